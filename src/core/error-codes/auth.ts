/** Failures of the credential checks: docker's configuration and helpers, Google, the registry. */
import type { CodeSpec } from '../errors.js';

/** Auth codes, part of the closed set `ERROR_CODES`. */
export const AUTH_CODES = {
  'auth.no_credentials': {
    category: 'auth',
    temporary: false,
    description: 'Docker has no credential for this registry host.',
  },
  'auth.wrong_host': {
    category: 'auth',
    temporary: false,
    description: 'Credentials exist, but for other registry hosts than the one pushed to.',
  },
  'auth.helper_missing': {
    category: 'auth',
    temporary: false,
    description: 'The configured docker-credential-* helper is not on PATH.',
  },
  'auth.helper_failed': {
    category: 'auth',
    temporary: false,
    description: 'The credential helper failed, hung or printed garbage.',
  },
  'auth.helper_slow': { category: 'auth', temporary: true, description: 'The credential helper is slow to answer.' },
  'auth.token_expired': { category: 'auth', temporary: false, description: 'The token in use has expired.' },
  'auth.short_lived': {
    category: 'auth',
    temporary: false,
    description: 'A short-lived token (oauth2accesstoken) will expire, possibly mid-push.',
  },
  'auth.unauthorized': {
    category: 'auth',
    temporary: false,
    description: 'The registry or token endpoint rejected the credential (UNAUTHORIZED).',
  },
  'auth.denied': {
    category: 'auth',
    temporary: false,
    description: 'The identity may not push here (DENIED, missing permission).',
  },
  'auth.invalid_grant': {
    category: 'auth',
    temporary: false,
    description: 'Google refused to refresh the credential (revoked or expired refresh token).',
  },
  'auth.clock_skew': {
    category: 'local',
    temporary: false,
    description: "This machine's clock differs from the registry's: tokens may be rejected.",
  },
  'auth.token_endpoint': {
    category: 'auth',
    temporary: true,
    description: 'The token endpoint is down, hangs or answers with something that is not a token.',
  },
  'auth.config_invalid': {
    category: 'local',
    temporary: false,
    description: 'A docker config.json or ADC file is not valid JSON or not of a known shape.',
  },
  'auth.error': { category: 'auth', temporary: true, description: 'Another credential failure.' },
} as const satisfies Record<string, CodeSpec>;

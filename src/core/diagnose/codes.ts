/**
 * The closed set of finding codes the diagnosis engine can raise, with the category each
 * belongs to by default and its ranking weight. The weight says how directly a finding of
 * that code answers "why does my push fail or retry?": a refusal in the registry's own words
 * outranks a warning that only might matter. Reports and the TUI rank findings with it
 * (see `rank.ts`); rules may add a boost within their own evidence.
 */
import { CATEGORIES, type Category } from '../errors.js';

/** Where a finding puts the trouble: a category, or `unknown` when no cause was seen. */
export type FindingCategory = Category | 'unknown';
/** Every finding category. */
export const FINDING_CATEGORIES: readonly FindingCategory[] = [...CATEGORIES, 'unknown'];

interface FindingSpec {
  category: FindingCategory;
  weight: number;
  title: string;
}

/** Every finding code, its default category, weight (0-100) and a short title. */
export const FINDING_CODES = {
  'network.retries_with_probe_trouble': {
    category: 'network',
    weight: 82,
    title: 'Retries while probes to the push target failed or slowed',
  },
  'network.upload_path': {
    category: 'network',
    weight: 74,
    title: 'Retries while every probe was healthy: the upload path itself',
  },
  'network.endpoint_failing': { category: 'network', weight: 62, title: 'A registry endpoint fails its probes' },
  'network.ipv6_unreachable': { category: 'network', weight: 40, title: 'IPv6 addresses resolve but do not connect' },
  'network.ipv4_unreachable': { category: 'network', weight: 58, title: 'IPv4 addresses resolve but do not connect' },
  'network.dns_resolver_split': { category: 'network', weight: 72, title: 'Some resolvers fail where others answer' },
  'network.tls_interception': { category: 'network', weight: 50, title: 'TLS is intercepted by a proxy' },
  'network.tls_certificate': { category: 'network', weight: 76, title: 'Certificate problem' },
  'registry.server_errors': {
    category: 'registry',
    weight: 80,
    title: 'The registry answers with server errors (5xx)',
  },
  'registry.rate_limited': { category: 'registry', weight: 84, title: 'Rate limit or quota exceeded (429)' },
  'registry.unexpected_answer': {
    category: 'registry',
    weight: 55,
    title: 'The registry answers in a way clients cannot use',
  },
  'auth.no_credentials': { category: 'auth', weight: 91, title: 'No docker credential for the pushed host' },
  'auth.wrong_host': { category: 'auth', weight: 93, title: 'Credentials exist, but for another registry host' },
  'auth.helper_missing': { category: 'auth', weight: 92, title: 'The credential helper is not on PATH' },
  'auth.helper_failed': { category: 'auth', weight: 88, title: 'The credential helper fails' },
  'auth.token_expired': { category: 'auth', weight: 87, title: 'The token expired' },
  'auth.expires_during_push': { category: 'auth', weight: 79, title: 'The token expires before the push can finish' },
  'auth.push_denied': { category: 'auth', weight: 90, title: 'The identity may not push here' },
  'auth.unauthorized': { category: 'auth', weight: 86, title: 'The credential was rejected' },
  'auth.token_endpoint': { category: 'auth', weight: 72, title: 'A token endpoint fails' },
  'auth.helper_slow': { category: 'auth', weight: 30, title: 'The credential helper is slow' },
  'auth.check_failed': { category: 'auth', weight: 48, title: 'A credential check could not complete' },
  'local.resolver': {
    category: 'local',
    weight: 92,
    title: "This machine's resolver fails for hosts that exist",
  },
  'local.connectivity': {
    category: 'local',
    weight: 90,
    title: 'Every host fails to connect the same way: no route, firewall or offline',
  },
  'local.config_invalid': { category: 'local', weight: 88, title: 'A credential file cannot be read' },
  'local.clock_skew': { category: 'local', weight: 66, title: "This machine's clock is off" },
  'local.push_environment': {
    category: 'local',
    weight: 89,
    title: 'The push fails on this machine (daemon, disk, image)',
  },
  'image.blob_upload_unknown': { category: 'image', weight: 83, title: 'The registry lost the blob upload' },
  'image.digest_mismatch': { category: 'image', weight: 84, title: 'Digest or size mismatch of an uploaded layer' },
  'image.manifest_invalid': { category: 'image', weight: 85, title: 'The registry rejected the manifest' },
  'image.reference_unknown': {
    category: 'image',
    weight: 84,
    title: 'The repository or a blob is unknown to the registry',
  },
  'image.large_layer_retries': { category: 'image', weight: 76, title: 'A very large layer keeps being retried' },
  'push.cause_unknown': {
    category: 'unknown',
    weight: 70,
    title: 'The push failed or retried, and nothing said why',
  },
  'push.permanent_error_repeated': {
    category: 'auth',
    weight: 96,
    title: 'A permanent error is retried by an outer loop',
  },
} as const satisfies Record<string, FindingSpec>;

/** A finding code from the closed set. */
export type FindingCode = keyof typeof FINDING_CODES;

/** True when `code` is a finding code this version knows. */
export function isFindingCode(code: string): code is FindingCode {
  return Object.hasOwn(FINDING_CODES, code);
}

/** The ranking weight of a code (0 for codes this version does not know). */
export function findingWeight(code: string): number {
  return isFindingCode(code) ? FINDING_CODES[code].weight : 0;
}

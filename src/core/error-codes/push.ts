/** Failures a wrapped push prints, and gcrwatch's own (`local.*`). */
import type { CodeSpec } from '../errors.js';

/** Push codes, part of the closed set `ERROR_CODES`. */
export const PUSH_CODES = {
  'push.unauthorized': { category: 'auth', temporary: false, description: 'The push was refused: unauthorized.' },
  'push.denied': {
    category: 'auth',
    temporary: false,
    description: 'The push was refused: denied (no permission on the repository).',
  },
  'push.no_credentials': {
    category: 'auth',
    temporary: false,
    description: 'No basic auth credentials: docker had nothing to send.',
  },
  'push.helper_missing': {
    category: 'auth',
    temporary: false,
    description: 'Docker could not run its credential helper (not on PATH).',
  },
  'push.toomanyrequests': {
    category: 'registry',
    temporary: false,
    description: 'Rate limit or quota exceeded (toomanyrequests, Quota exceeded).',
  },
  'push.server_error': {
    category: 'registry',
    temporary: true,
    description: 'The registry answered a push request with 5xx.',
  },
  'push.blob_upload_unknown': {
    category: 'image',
    temporary: false,
    description: 'The registry lost or rejected the blob upload session.',
  },
  'push.blob_unknown': {
    category: 'image',
    temporary: false,
    description: 'A referenced blob is unknown to the registry.',
  },
  'push.digest_invalid': {
    category: 'image',
    temporary: false,
    description: 'Digest or size mismatch between the layer and what was uploaded.',
  },
  'push.manifest_invalid': { category: 'image', temporary: false, description: 'The registry rejected the manifest.' },
  'push.name_unknown': {
    category: 'image',
    temporary: false,
    description: 'The repository name is unknown (or the project/repository does not exist).',
  },
  'push.unsupported': {
    category: 'image',
    temporary: false,
    description: 'The registry does not support the operation or media type.',
  },
  'push.tls_timeout': { category: 'network', temporary: true, description: 'net/http: TLS handshake timeout.' },
  'push.io_timeout': { category: 'network', temporary: true, description: 'i/o timeout on the upload connection.' },
  'push.connection_reset': {
    category: 'network',
    temporary: true,
    description: 'Connection reset by peer during the push.',
  },
  'push.eof': { category: 'network', temporary: true, description: 'The connection closed unexpectedly (EOF).' },
  'push.no_such_host': {
    category: 'network',
    temporary: false,
    description: 'The registry host name did not resolve.',
  },
  'push.connection_refused': {
    category: 'network',
    temporary: true,
    description: 'The registry refused the connection.',
  },
  'push.network_unreachable': {
    category: 'network',
    temporary: true,
    description: 'No route to the registry (network is unreachable, no route to host).',
  },
  'push.tls_certificate': {
    category: 'network',
    temporary: false,
    description: 'Docker rejected the registry certificate (x509).',
  },
  'push.disk_full': { category: 'local', temporary: false, description: 'No space left on device.' },
  'push.image_not_found': {
    category: 'local',
    temporary: false,
    description: 'The image to push does not exist locally.',
  },
  'push.daemon_unreachable': {
    category: 'local',
    temporary: false,
    description: 'The docker daemon could not be reached.',
  },
  'push.error': { category: 'registry', temporary: true, description: 'Another error printed by the push tool.' },
  'local.log_unwritable': {
    category: 'local',
    temporary: false,
    description: 'The session log cannot be written (read-only, disk full).',
  },
  'local.child_failed': {
    category: 'local',
    temporary: false,
    description: 'The wrapped command could not be started.',
  },
  'local.error': { category: 'local', temporary: true, description: 'Another local failure.' },
} as const satisfies Record<string, CodeSpec>;

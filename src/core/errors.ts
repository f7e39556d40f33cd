/**
 * The closed set of failure codes. Every failure gcrwatch reports — a probe, a push line, a
 * credential check — carries one of these codes and its category. Node's `err.code`
 * (ENOTFOUND, ECONNRESET, CERT_*, UND_ERR_*) is mapped onto this set in `classify.ts`, and
 * nowhere else. docs/errors.md's table says what `ERROR_CODES` says, row for row
 * (`test/core/errors.test.ts` checks it).
 */

/** Where the trouble lies. */
export type Category = 'network' | 'auth' | 'image' | 'registry' | 'local';
export const CATEGORIES: readonly Category[] = ['network', 'auth', 'image', 'registry', 'local'];

/** The phase of a round a failure happened in. */
export type FailurePhase = 'dns' | 'connect' | 'proxy' | 'tls' | 'http' | 'auth' | 'push' | 'local';

/** A failure as it travels in events. */
export interface ProbeErrorInfo {
  code: ErrorCode;
  category: Category;
  phase?: FailurePhase;
  message: string;
}

interface CodeSpec {
  category: Category;
  /** Whether waiting and trying again may help (docker's notion of retryable). */
  temporary: boolean;
  description: string;
}

/** Every code gcrwatch can report, with its category and meaning. */
export const ERROR_CODES = {
  'dns.nxdomain': { category: 'network', temporary: false, description: 'The name does not exist (NXDOMAIN).' },
  'dns.servfail': {
    category: 'network',
    temporary: true,
    description: 'The resolver failed to answer (SERVFAIL, or getaddrinfo EAI_AGAIN).',
  },
  'dns.refused': { category: 'network', temporary: false, description: 'The resolver refused the query (REFUSED).' },
  'dns.timeout': { category: 'network', temporary: true, description: 'No answer from the resolver in time.' },
  'dns.no_address': {
    category: 'network',
    temporary: false,
    description: 'The name exists but has no address of the wanted family (NODATA).',
  },
  'dns.bad_response': {
    category: 'network',
    temporary: true,
    description: 'The resolver answered with a malformed packet.',
  },
  'dns.error': { category: 'network', temporary: true, description: 'Another resolver failure.' },
  'tcp.refused': {
    category: 'network',
    temporary: true,
    description: 'Connection refused: nothing listens, or a firewall rejects.',
  },
  'tcp.reset': { category: 'network', temporary: true, description: 'Connection reset by the peer or a middlebox.' },
  'tcp.timeout': {
    category: 'network',
    temporary: true,
    description: 'Connect did not complete in time (black hole, SYN dropped).',
  },
  'tcp.unreachable': {
    category: 'network',
    temporary: true,
    description: 'No route to the host or network (EHOSTUNREACH, ENETUNREACH).',
  },
  'tcp.error': { category: 'network', temporary: true, description: 'Another connect failure.' },
  'tls.expired': { category: 'network', temporary: false, description: 'The server certificate has expired.' },
  'tls.not_yet_valid': {
    category: 'network',
    temporary: false,
    description: 'The server certificate is not valid yet (or this clock is wrong).',
  },
  'tls.hostname_mismatch': {
    category: 'network',
    temporary: false,
    description: 'The certificate does not name the host.',
  },
  'tls.untrusted': {
    category: 'network',
    temporary: false,
    description: 'The certificate chain does not lead to a trusted CA (or is self-signed).',
  },
  'tls.timeout': {
    category: 'network',
    temporary: true,
    description: 'The TLS handshake did not complete in time (docker: TLS handshake timeout).',
  },
  'tls.reset': {
    category: 'network',
    temporary: true,
    description: 'The connection was reset or closed during the handshake.',
  },
  'tls.protocol': {
    category: 'network',
    temporary: false,
    description: 'No TLS spoken, or no protocol version in common (plain HTTP on 443, TLS 1.0 only).',
  },
  'tls.error': { category: 'network', temporary: true, description: 'Another TLS failure.' },
  'http.timeout': {
    category: 'network',
    temporary: true,
    description: 'No complete response in time (headers or body never came).',
  },
  'http.reset': {
    category: 'network',
    temporary: true,
    description: 'The connection was reset or closed before the response was complete.',
  },
  'http.5xx': {
    category: 'registry',
    temporary: true,
    description: 'The registry answered with a server error (500-599).',
  },
  'http.429': {
    category: 'registry',
    temporary: true,
    description: 'Too many requests or quota exceeded (Retry-After is recorded).',
  },
  'http.no_challenge': {
    category: 'registry',
    temporary: false,
    description: '401 without a WWW-Authenticate challenge: clients cannot log in.',
  },
  'http.not_registry': {
    category: 'network',
    temporary: false,
    description: 'Something answered that is not a registry (a captive portal or proxy page).',
  },
  'http.unexpected_status': {
    category: 'registry',
    temporary: false,
    description: 'A status a registry should not give to GET /v2/.',
  },
  'http.error': { category: 'network', temporary: true, description: 'Another HTTP failure.' },
  'proxy.denied': {
    category: 'network',
    temporary: false,
    description: 'The proxy refused the CONNECT (403 and similar).',
  },
  'proxy.auth_required': { category: 'network', temporary: false, description: 'The proxy wants credentials (407).' },
  'proxy.unreachable': { category: 'network', temporary: true, description: 'The proxy itself could not be reached.' },
  'proxy.error': {
    category: 'network',
    temporary: true,
    description: 'The proxy failed the CONNECT in another way (502, closed).',
  },
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

/** A code from the closed set. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** True when `code` is in the closed set. */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

/** Build the error info of `code` with its category from the closed set. */
export function failure(code: ErrorCode, message: string, phase?: FailurePhase): ProbeErrorInfo {
  const info: ProbeErrorInfo = { code, category: ERROR_CODES[code].category, message };
  if (phase) info.phase = phase;
  return info;
}

/** Whether retrying may help, for a code of the closed set. */
export function isTemporary(code: ErrorCode): boolean {
  return ERROR_CODES[code].temporary;
}

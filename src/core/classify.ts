/**
 * The one place where Node's error codes become gcrwatch's closed set of failure codes.
 * Each function takes whatever was thrown (anything: errors are not trusted to be Errors)
 * and returns a `ProbeErrorInfo` with a stable code, its category and a one-line message.
 */
import { failure, type ErrorCode, type FailurePhase, type ProbeErrorInfo } from './errors.js';

/** The `code` of an error-like value, if it has one. */
export function errorCodeOf(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

/** A one-line message for any thrown value. */
export function messageOf(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  return raw.split('\n')[0]!.trim() || 'unknown error';
}

/** True for our own deadline firing (AbortSignal.timeout or an abort with a TimeoutError). */
export function isDeadline(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const name = (err as { name?: unknown }).name;
  return name === 'TimeoutError' || name === 'AbortError' || errorCodeOf(err) === 'ABORT_ERR';
}

const DNS_CODES: Record<string, ErrorCode> = {
  ENOTFOUND: 'dns.nxdomain',
  EAI_NONAME: 'dns.nxdomain',
  ENODATA: 'dns.no_address',
  EAI_NODATA: 'dns.no_address',
  ESERVFAIL: 'dns.servfail',
  EAI_AGAIN: 'dns.servfail',
  EAI_FAIL: 'dns.servfail',
  EREFUSED: 'dns.refused',
  ETIMEOUT: 'dns.timeout',
  ETIMEDOUT: 'dns.timeout',
  EBADRESP: 'dns.bad_response',
  EFORMERR: 'dns.bad_response',
  EOF: 'dns.bad_response',
  ECONNREFUSED: 'dns.refused',
};

/** Classify a resolver failure (getaddrinfo or c-ares). */
export function classifyDnsError(err: unknown): ProbeErrorInfo {
  if (isDeadline(err)) return failure('dns.timeout', 'no DNS answer before the deadline', 'dns');
  const code = errorCodeOf(err) ?? '';
  return failure(DNS_CODES[code] ?? 'dns.error', messageOf(err), 'dns');
}

const TCP_CODES: Record<string, ErrorCode> = {
  ECONNREFUSED: 'tcp.refused',
  ECONNRESET: 'tcp.reset',
  EPIPE: 'tcp.reset',
  ETIMEDOUT: 'tcp.timeout',
  EHOSTUNREACH: 'tcp.unreachable',
  ENETUNREACH: 'tcp.unreachable',
  EHOSTDOWN: 'tcp.unreachable',
  EADDRNOTAVAIL: 'tcp.unreachable',
  EAFNOSUPPORT: 'tcp.unreachable',
};

/** Classify a TCP connect failure. */
export function classifyTcpError(err: unknown): ProbeErrorInfo {
  if (isDeadline(err)) return failure('tcp.timeout', 'TCP connect did not complete before the deadline', 'connect');
  const code = errorCodeOf(err) ?? '';
  return failure(TCP_CODES[code] ?? 'tcp.error', messageOf(err), 'connect');
}

const TLS_CODES: Record<string, ErrorCode> = {
  CERT_HAS_EXPIRED: 'tls.expired',
  CERT_NOT_YET_VALID: 'tls.not_yet_valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls.hostname_mismatch',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls.untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls.untrusted',
  UNABLE_TO_GET_ISSUER_CERT: 'tls.untrusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls.untrusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls.untrusted',
  CERT_UNTRUSTED: 'tls.untrusted',
  CERT_SIGNATURE_FAILURE: 'tls.untrusted',
  CERT_REJECTED: 'tls.untrusted',
  INVALID_CA: 'tls.untrusted',
  ERR_SSL_WRONG_VERSION_NUMBER: 'tls.protocol',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'tls.protocol',
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'tls.protocol',
  ERR_SSL_NO_PROTOCOLS_AVAILABLE: 'tls.protocol',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'tls.protocol',
  ERR_SSL_RECORD_LAYER_FAILURE: 'tls.protocol',
  ECONNRESET: 'tls.reset',
  EPIPE: 'tls.reset',
};

/** Classify a TLS handshake or verification failure. */
export function classifyTlsError(err: unknown): ProbeErrorInfo {
  if (isDeadline(err)) return failure('tls.timeout', 'TLS handshake did not complete before the deadline', 'tls');
  const code = errorCodeOf(err) ?? '';
  const mapped = TLS_CODES[code] ?? (code.startsWith('ERR_SSL_') ? 'tls.protocol' : 'tls.error');
  return failure(mapped, messageOf(err), 'tls');
}

const HTTP_CODES: Record<string, ErrorCode> = {
  UND_ERR_HEADERS_TIMEOUT: 'http.timeout',
  UND_ERR_BODY_TIMEOUT: 'http.timeout',
  UND_ERR_CONNECT_TIMEOUT: 'http.timeout',
  UND_ERR_SOCKET: 'http.reset',
  UND_ERR_CLOSED: 'http.reset',
  ECONNRESET: 'http.reset',
  EPIPE: 'http.reset',
  HPE_INVALID_CONSTANT: 'http.error',
};

/** Classify a failure while sending the request or reading the response. */
export function classifyHttpError(err: unknown): ProbeErrorInfo {
  if (isDeadline(err)) return failure('http.timeout', 'no complete HTTP response before the deadline', 'http');
  const code = errorCodeOf(err) ?? '';
  return failure(HTTP_CODES[code] ?? 'http.error', messageOf(err), 'http');
}

/** Classify a failure of the given phase. */
export function classifyPhaseError(phase: FailurePhase, err: unknown): ProbeErrorInfo {
  switch (phase) {
    case 'dns':
      return classifyDnsError(err);
    case 'connect':
      return classifyTcpError(err);
    case 'tls':
      return classifyTlsError(err);
    case 'http':
      return classifyHttpError(err);
    case 'proxy':
      return isDeadline(err)
        ? failure('proxy.timeout', 'proxy CONNECT did not complete before the deadline', 'proxy')
        : failure('proxy.unreachable', messageOf(err), 'proxy');
    default:
      return failure('local.error', messageOf(err), phase);
  }
}

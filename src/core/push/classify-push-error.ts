/**
 * Error texts printed by push tools, mapped onto the closed set of `push.*` codes. The texts
 * are the ones docker, podman, skopeo and crane really print (see test/fixtures/push/):
 * the distribution error codes (`denied: ...`, `DENIED: ...`, `blob upload unknown`), Go's
 * network errors (`net/http: TLS handshake timeout`, `i/o timeout`, `connection reset by
 * peer`, `EOF`, `no such host`), and the tools' own messages.
 *
 * `retryable` is docker's own decision (moby `distribution/errors.go`, `retryOnError`): an
 * upload failing with unauthorized, denied, toomanyrequests, name unknown, unsupported, blob
 * unknown, no basic auth credentials / no token, an unparseable HTTP error body, or no space
 * left on device is not retried; every other upload error is retried (up to five attempts).
 * Failures outside the layer upload loop (no local image, no daemon, no credential helper,
 * the manifest PUT) are never retried, so they are not retryable either.
 */
import { ERROR_CODES, type Category, type ErrorCode } from '../errors.js';

/** A classified error text. */
export interface PushErrorClass {
  code: ErrorCode;
  category: Category;
  retryable: boolean;
}

/** One recognised text. Order matters: the first match wins, so specific texts come first. */
interface Rule {
  /** Any of these matches. Spec codes (`DENIED`) are matched case-sensitively, so that a
   * local "permission denied" is not taken for the registry's refusal. */
  pattern: RegExp[];
  code: ErrorCode;
  retryable: boolean;
}

const RULES: Rule[] = [
  // Local trouble first: their texts contain words ("denied", "EOF") of the registry rules.
  {
    pattern: [
      /cannot connect to the docker daemon|is the docker daemon running|permission denied while trying to connect to the docker daemon|error during connect:/i,
    ],
    code: 'push.daemon_unreachable',
    retryable: false,
  },
  { pattern: [/no space left on device/i], code: 'push.disk_full', retryable: false },
  {
    pattern: [
      /an image does not exist locally|tag does not exist:|no such image|image not known|reference does not exist/i,
    ],
    code: 'push.image_not_found',
    retryable: false,
  },
  {
    pattern: [
      /error getting credentials|docker-credential-[\w.-]+"?:? executable file not found|credential helper .*not found/i,
    ],
    code: 'push.helper_missing',
    retryable: false,
  },
  {
    pattern: [/no basic auth credentials|authorization server did not include a token/i],
    code: 'push.no_credentials',
    retryable: false,
  },
  // Registry refusals (distribution error codes in docker's lower case or the spec's upper case).
  {
    pattern: [
      /\bdenied: |requested access to the resource is denied|permission "[^"]+" denied|\b403 \(forbidden\)|\b403 forbidden/i,
      /\bDENIED\b/,
    ],
    code: 'push.denied',
    retryable: false,
  },
  {
    pattern: [/\bunauthorized\b|authentication required|invalid username\/password|\b401 \(unauthorized\)/i],
    code: 'push.unauthorized',
    retryable: false,
  },
  {
    pattern: [/toomanyrequests|too many requests|quota exceeded|rate limit exceeded|\b429\b/i],
    code: 'push.toomanyrequests',
    retryable: false,
  },
  {
    pattern: [/blob upload (unknown|invalid)/i, /BLOB_UPLOAD_(UNKNOWN|INVALID)/],
    code: 'push.blob_upload_unknown',
    retryable: true,
  },
  { pattern: [/\bblob unknown/i, /\bBLOB_UNKNOWN\b/], code: 'push.blob_unknown', retryable: false },
  {
    pattern: [
      /digest invalid|size invalid|digest did not match|does not match (the )?(expected )?digest/i,
      /DIGEST_INVALID|SIZE_INVALID/,
    ],
    code: 'push.digest_invalid',
    retryable: true,
  },
  // The manifest is PUT once after the layers, outside docker's retry loop.
  {
    pattern: [/manifest (invalid|unknown|unverified)/i, /MANIFEST_(INVALID|UNKNOWN|UNVERIFIED)/],
    code: 'push.manifest_invalid',
    retryable: false,
  },
  {
    pattern: [/name (unknown|invalid)|repository name not known to registry/i, /NAME_(UNKNOWN|INVALID)/],
    code: 'push.name_unknown',
    retryable: false,
  },
  {
    pattern: [/\bunsupported: |unsupported media ?type|manifest media type .* not supported/i, /\bUNSUPPORTED\b/],
    code: 'push.unsupported',
    retryable: false,
  },
  { pattern: [/error parsing HTTP \d{3} response body/i], code: 'push.server_error', retryable: false },
  {
    pattern: [
      /unexpected HTTP status: 5\d\d|\bstatus(?: code)? 5\d\d\b|\b50[0-4] (internal server error|bad gateway|service unavailable|gateway timeout)|\b5\d\d \((internal server error|bad gateway|service unavailable|gateway timeout)\)/i,
    ],
    code: 'push.server_error',
    retryable: true,
  },
  // Transport failures: all retried by docker.
  { pattern: [/tls handshake timeout/i], code: 'push.tls_timeout', retryable: true },
  {
    pattern: [
      /x509:|tls: failed to verify|certificate signed by unknown authority|certificate is (valid for|not valid)|certificate has expired/i,
    ],
    code: 'push.tls_certificate',
    retryable: true,
  },
  {
    pattern: [
      /i\/o timeout|client\.timeout exceeded|timeout awaiting response headers|context deadline exceeded|net\/http: request canceled/i,
    ],
    code: 'push.io_timeout',
    retryable: true,
  },
  { pattern: [/connection reset by peer|broken pipe|\bECONNRESET\b/i], code: 'push.connection_reset', retryable: true },
  {
    pattern: [
      /no such host|server misbehaving|lookup [^\s:]+ on [^\s]+: |temporary failure in name resolution|\bENOTFOUND\b/i,
    ],
    code: 'push.no_such_host',
    retryable: true,
  },
  { pattern: [/connection refused|\bECONNREFUSED\b/i], code: 'push.connection_refused', retryable: true },
  {
    pattern: [/network is unreachable|no route to host|\bENETUNREACH\b|\bEHOSTUNREACH\b/i],
    code: 'push.network_unreachable',
    retryable: true,
  },
  {
    pattern: [/use of closed network connection|unexpected EOF|server closed idle connection|(^|[\s:])EOF\s*$/i],
    code: 'push.eof',
    retryable: true,
  },
];

/** Classify an error text; undefined when no known error text is in it. */
export function classifyPushError(text: string): PushErrorClass | undefined {
  for (const rule of RULES) {
    if (rule.pattern.some((p) => p.test(text)))
      return { code: rule.code, category: ERROR_CODES[rule.code].category, retryable: rule.retryable };
  }
  return undefined;
}

/** The class of an error text nothing above recognises: docker retries what it does not know. */
export function unknownPushError(): PushErrorClass {
  return { code: 'push.error', category: ERROR_CODES['push.error'].category, retryable: true };
}

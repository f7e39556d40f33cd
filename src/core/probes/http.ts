/**
 * `GET /v2/` over the round's own verified TLS connection (http-exchange.ts). Measures time
 * to the first response bytes (server processing, curl's starttransfer − appconnect) and the
 * rest of the answer (transfer), and judges the answer as a registry client would: a 401
 * with a Bearer or Basic challenge, or a 200 from a registry, is healthy.
 */
import type tls from 'node:tls';
import { failure, type ProbeErrorInfo } from '../errors.js';
import type { AuthChallenge, HttpDetails } from '../events.js';
import { parseChallenge } from '../auth-challenge.js';
import { exchange } from './http-exchange.js';
import { PhaseFailure } from './run-phase.js';

/** What the HTTP phase measured. */
export interface HttpOutcome {
  ttfbMs: number;
  transferMs: number;
  details: HttpDetails;
}

/** Request parameters. */
export interface HttpProbeOptions {
  host: string;
  port: number;
  userAgent: string;
  path?: string;
}

const MAX_BODY_BYTES = 64 * 1024;

/**
 * Send `GET /v2/` on `socket` (already connected and verified) and read the whole answer.
 * TTFB counts from the moment the request is written, as curl's does, so the figure is the
 * network's and the server's, not this process's. Rejects with the socket error, the abort
 * reason, a protocol error, or a `PhaseFailure` when the answer is not a healthy registry
 * answer (5xx, 429, 401 without challenge, not a registry). The socket is closed in every case.
 */
export async function probeHttp(socket: tls.TLSSocket, opts: HttpProbeOptions, signal: AbortSignal): Promise<HttpOutcome> {
  try {
    const res = await exchange(socket, requestHead(opts), signal, MAX_BODY_BYTES);
    const ttfbMs = round3(res.firstByteAt - res.writtenAt);
    const transferMs = round3(res.endAt - res.firstByteAt);
    const details = describeResponse(res.status, res.headers);
    const verdict = judgeResponse(details, res.body.toString('utf8'));
    if (verdict) throw new PhaseFailure(verdict, { details, ttfbMs, transferMs });
    return { ttfbMs, transferMs, details };
  } finally {
    socket.destroy();
  }
}

/** The request, as a registry client sends it: one connection, closed after the answer. */
function requestHead(opts: HttpProbeOptions): string {
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const authority = opts.port === 443 ? host : `${host}:${opts.port}`;
  return `GET ${opts.path ?? '/v2/'} HTTP/1.1\r\nhost: ${authority}\r\nuser-agent: ${opts.userAgent}\r\naccept: */*\r\nconnection: close\r\n\r\n`;
}

function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Read a body to its end, keeping at most `cap` bytes of it (as UTF-8 text). */
export async function readCapped(body: AsyncIterable<Buffer>, cap: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < cap) chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks).toString('utf8', 0, Math.min(size, cap));
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** Extract what a registry client looks at from the response headers. */
export function describeResponse(status: number, headers: Record<string, string | string[] | undefined>): HttpDetails {
  const details: HttpDetails = { status };
  const challenge = header(headers, 'www-authenticate');
  if (challenge) {
    const parsed: AuthChallenge | undefined = parseChallenge(challenge);
    if (parsed) details.challenge = parsed;
  }
  const retryAfter = header(headers, 'retry-after');
  if (retryAfter) {
    const seconds = /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) : Math.round((Date.parse(retryAfter) - Date.now()) / 1000);
    if (Number.isFinite(seconds)) details.retryAfterSeconds = Math.max(0, seconds);
  }
  const api = header(headers, 'docker-distribution-api-version');
  if (api) details.registryHeader = api;
  const date = header(headers, 'date');
  if (date) details.date = date;
  return details;
}

/** The failure a client should see in this answer to `GET /v2/`, or undefined when healthy. */
export function judgeResponse(details: HttpDetails, body: string): ProbeErrorInfo | undefined {
  const status = details.status ?? 0;
  if (status >= 500) return failure('http.5xx', `GET /v2/ answered ${status}${retryNote(details)}`, 'http');
  if (status === 429) return failure('http.429', `GET /v2/ answered 429 Too Many Requests${retryNote(details)}`, 'http');
  if (status === 401) {
    return details.challenge ? undefined : failure('http.no_challenge', 'GET /v2/ answered 401 without a WWW-Authenticate challenge', 'http');
  }
  if (status === 200) {
    const looksEmpty = /^\s*(\{\s*\})?\s*$/.test(body);
    return details.registryHeader || looksEmpty ? undefined
      : failure('http.not_registry', 'GET /v2/ answered 200 without Docker-Distribution-API-Version: not a registry', 'http');
  }
  return failure('http.unexpected_status', `GET /v2/ answered ${status}`, 'http');
}

function retryNote(details: HttpDetails): string {
  return details.retryAfterSeconds !== undefined ? ` (Retry-After ${details.retryAfterSeconds}s)` : '';
}

/**
 * `GET /v2/` over the round's own verified TLS connection, with undici. Measures time to the
 * first response bytes (server processing, curl's starttransfer − appconnect) and to the last
 * (transfer), and judges the answer as a registry client would: a 401 with a Bearer or Basic
 * challenge, or a 200 from a registry, is healthy.
 */
import type tls from 'node:tls';
import { performance } from 'node:perf_hooks';
import { failure, type ProbeErrorInfo } from '../errors.js';
import type { AuthChallenge, HttpDetails } from '../events.js';
import { parseChallenge } from '../auth-challenge.js';
import { handedSocketClientsFor } from './handed-socket-clients.js';
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
  /**
   * What the undici Client for this origin is kept with, reused round after round (the
   * session's probe options); without it, a Client serves this probe alone.
   */
  owner?: object;
}

const MAX_BODY_BYTES = 64 * 1024;

/**
 * Send `GET /v2/` on `socket` (already connected and verified) and read the whole answer.
 * TTFB counts from the moment the request is written to the moment the first response bytes
 * are read from the socket, transfer from there to the last bytes, as curl's do, so the
 * figures are the network's and the server's, not this process's. Rejects with the
 * undici/socket error, the abort reason, or a `PhaseFailure` when the answer is not a
 * healthy registry answer (5xx, 429, 401 without challenge, not a registry). The socket is
 * closed in every case.
 */
export async function probeHttp(
  socket: tls.TLSSocket,
  opts: HttpProbeOptions,
  signal: AbortSignal,
): Promise<HttpOutcome> {
  const clock = timeExchange(socket);
  const origin = `https://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${opts.port}`;
  try {
    const res = await handedSocketClientsFor(opts.owner ?? {}).request(origin, socket, {
      path: opts.path ?? '/v2/',
      method: 'GET',
      headers: { 'user-agent': opts.userAgent, accept: '*/*', connection: 'close' },
      signal,
    });
    const body = await readCapped(res.body, MAX_BODY_BYTES);
    const { ttfbMs, transferMs } = clock.read();
    const details = describeResponse(res.statusCode, res.headers);
    const verdict = judgeResponse(details, body);
    if (verdict) throw new PhaseFailure(verdict, { details, ttfbMs, transferMs });
    return { ttfbMs, transferMs, details };
  } finally {
    clock.stop();
    socket.destroy();
  }
}

/**
 * The moments curl brackets: the request written (the first write on the socket), the first
 * and the last response bytes read from it. undici reads on 'readable'; a 'data' listener
 * beside it is told of every chunk undici reads and takes nothing away.
 */
function timeExchange(socket: tls.TLSSocket): { read(): { ttfbMs: number; transferMs: number }; stop(): void } {
  let writtenAt: number | undefined;
  let firstByteAt: number | undefined;
  let lastByteAt: number | undefined;
  const write = socket.write;
  socket.write = function timedWrite(this: tls.TLSSocket, ...args: Parameters<typeof write>) {
    writtenAt ??= performance.now();
    socket.write = write;
    return write.apply(this, args);
  } as typeof write;
  const onData = () => {
    lastByteAt = performance.now();
    firstByteAt ??= lastByteAt;
  };
  socket.on('data', onData);
  return {
    read() {
      const now = performance.now();
      const first = firstByteAt ?? now;
      return { ttfbMs: round3(first - (writtenAt ?? first)), transferMs: round3((lastByteAt ?? now) - first) };
    },
    stop() {
      socket.off('data', onData);
      if (socket.write !== write) socket.write = write;
    },
  };
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
    const seconds = /^\d+$/.test(retryAfter.trim())
      ? Number(retryAfter)
      : Math.round((Date.parse(retryAfter) - Date.now()) / 1000);
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
  if (status === 429)
    return failure('http.429', `GET /v2/ answered 429 Too Many Requests${retryNote(details)}`, 'http');
  if (status === 401) {
    return details.challenge
      ? undefined
      : failure('http.no_challenge', 'GET /v2/ answered 401 without a WWW-Authenticate challenge', 'http');
  }
  if (status === 200) {
    const looksEmpty = /^\s*(\{\s*\})?\s*$/.test(body);
    return details.registryHeader || looksEmpty
      ? undefined
      : failure(
          'http.not_registry',
          'GET /v2/ answered 200 without Docker-Distribution-API-Version: not a registry',
          'http',
        );
  }
  return failure('http.unexpected_status', `GET /v2/ answered ${status}`, 'http');
}

function retryNote(details: HttpDetails): string {
  return details.retryAfterSeconds !== undefined ? ` (Retry-After ${details.retryAfterSeconds}s)` : '';
}

/**
 * The HTTP phase: `GET /v2/` over the round's own verified TLS connection, with Node's HTTP
 * client (`https.request` handed the socket through `createConnection`). Measures time to the
 * first response bytes (server processing, curl's starttransfer − appconnect) and to the last
 * (transfer), and judges the answer as a registry client would: a 401 with a Bearer or Basic
 * challenge, or a 200 from a registry, is healthy.
 */
import https from 'node:https';
import type tls from 'node:tls';
import { failure, type ProbeErrorInfo } from '../errors.js';
import type { AuthChallenge, HttpDetails } from '../events.js';
import { parseChallenge } from '../auth-challenge.js';
import { PhaseFailure, roundMs, runPhase } from './run-phase.js';
import type { PhaseContext, PhaseResult } from './types.js';

/** What the HTTP phase measured. */
export interface HttpOutcome {
  ttfbMs: number;
  transferMs: number;
  details: HttpDetails;
}

/** The request: on `socket` (connected and verified), to `host:port`. */
export interface HttpRequest {
  socket: tls.TLSSocket;
  host: string;
  port: number;
  userAgent: string;
  path?: string;
}

const MAX_BODY_BYTES = 64 * 1024;

/**
 * Send `GET /v2/` on the round's socket and read the whole answer (its first 64 KiB kept).
 * TTFB counts from the request sent ('finish': handed to the operating system) to the first
 * response bytes read from the socket ('data'), transfer from there to the last bytes, as
 * curl's do, so the figures are the network's and the server's, not this process's. Fails with the socket or parser error, or with the verdict on an answer
 * that is not a healthy registry answer (5xx, 429, 401 without challenge, not a registry),
 * whose details are then the `partial`. The socket is closed in every case.
 */
export function probeHttp(ctx: PhaseContext, req: HttpRequest): Promise<PhaseResult<HttpOutcome, HttpOutcome>> {
  const { socket } = req;
  return runPhase<HttpOutcome, HttpOutcome>(ctx, 'http', (end) => {
    let sentAt: number | undefined;
    let firstByteAt: number | undefined;
    let lastByteAt: number | undefined;
    const onData = () => {
      lastByteAt = ctx.clock.now();
      firstByteAt ??= lastByteAt;
    };
    socket.on('data', onData);
    const times = () => {
      const now = ctx.clock.now();
      const first = firstByteAt ?? now;
      const ttfbMs = Math.max(0, first - (sentAt ?? first));
      return { ttfbMs: roundMs(ttfbMs), transferMs: roundMs((lastByteAt ?? now) - first) };
    };
    const close = () => {
      socket.off('data', onData);
      request.destroy();
      socket.destroy();
    };
    const onError = (err: Error) => {
      close();
      end.fail(err);
    };
    const request = https.request(
      {
        host: req.host,
        port: req.port,
        path: req.path ?? '/v2/',
        method: 'GET',
        headers: requestHeaders(req),
        createConnection: () => socket,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        // Only a 200's body is judged (is it a registry's?); any other is read and let go.
        if (res.statusCode === 200)
          res.on('data', (chunk: Buffer) => {
            if (size < MAX_BODY_BYTES) chunks.push(chunk);
            size += chunk.length;
          });
        else res.resume();
        res.once('error', onError);
        // Ahead of Node's own 'end' listener: the socket closed here is not first shut down
        // (a TLS close_notify and a shutdown(2) per round, ~0.04 ms of CPU, for a peer that closes anyway).
        res.prependOnceListener('end', () => {
          const outcome = { ...times(), details: describeResponse(res.statusCode ?? 0, res.headers) };
          close();
          const body = Buffer.concat(chunks).toString('utf8', 0, Math.min(size, MAX_BODY_BYTES));
          const verdict = judgeResponse(outcome.details, body);
          if (verdict) end.fail(new PhaseFailure(verdict), outcome);
          else end.ok(outcome);
        });
      },
    );
    request.once('finish', () => {
      sentAt = ctx.clock.now();
    });
    request.once('error', onError);
    request.end();
    return close;
  });
}

/** Characters of a host name or address, and of gcrwatch's own user agent: nothing to escape. */
const PLAIN_HEADER = /^[\w.:[\]/()+ -]+$/;

/**
 * The request's headers. As a list (documented: the form of `rawHeaders`) Node writes them as
 * given, without an object's per-header checks (~0.02 ms a round); so Host is in it, as Node
 * would write it, and only plain values take this path (anything else is checked by Node).
 */
function requestHeaders({ host, port, userAgent }: HttpRequest): string[] | Record<string, string> {
  const common = { 'user-agent': userAgent, accept: '*/*', connection: 'close' };
  if (!PLAIN_HEADER.test(host) || !PLAIN_HEADER.test(userAgent)) return common;
  const name = host.includes(':') ? `[${host}]` : host;
  const value = port === 443 ? name : `${name}:${port}`;
  return ['host', value, 'user-agent', userAgent, 'accept', '*/*', 'connection', 'close'];
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

/** Challenges seen, parsed once each: a registry sends the same one round after round. */
const challenges = new Map<string, Readonly<AuthChallenge> | null>();
const MAX_CHALLENGES = 64;

/** The parsed challenge of a `WWW-Authenticate` value: frozen, the same object for the same value. */
function challengeOf(value: string): Readonly<AuthChallenge> | undefined {
  let parsed = challenges.get(value);
  if (parsed === undefined) {
    const fresh = parseChallenge(value);
    parsed = fresh ? Object.freeze(fresh) : null;
    if (challenges.size >= MAX_CHALLENGES) challenges.clear();
    challenges.set(value, parsed);
  }
  return parsed ?? undefined;
}

/** Extract what a registry client looks at from the response headers. */
export function describeResponse(status: number, headers: Record<string, string | string[] | undefined>): HttpDetails {
  const details: HttpDetails = { status };
  const challenge = header(headers, 'www-authenticate');
  if (challenge) {
    const parsed = challengeOf(challenge);
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

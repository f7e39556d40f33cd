/**
 * The demo push's network work, done for real against the demo world: getting a registry
 * token from the token endpoint, and uploading a layer (a POST with a body streamed at a
 * set pace, on a fresh connection through the host's fault proxy). Failures are reported
 * the way docker words them, with the matching gcrwatch code, so the demo's retries read
 * like a real push's.
 */
import https from 'node:https';
import { createHash } from 'node:crypto';
import type { ErrorCode } from '../core/errors.js';

/** Where and how to connect: loopback address and port, the name for SNI, the demo CA. */
export interface Endpoint {
  address: string;
  port: number;
  servername: string;
  ca: string;
}

/** A failed attempt, in docker's words. */
export class UploadError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

/** A registry token and when it expires. */
export interface RegistryToken {
  token: string;
  expiresAt: number;
  /** A short hash of the token, to show that it changed (never the token). */
  fingerprint: string;
  ms: number;
}

/** Ask the token endpoint for a push token on `repository`. */
export async function fetchToken(
  ep: Endpoint,
  realmPath: string,
  service: string,
  repository: string,
  user: { username: string; password: string },
  timeoutMs: number,
): Promise<RegistryToken> {
  const started = Date.now();
  const query = `?service=${encodeURIComponent(service)}&scope=${encodeURIComponent(`repository:${repository}:push,pull`)}`;
  const auth = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
  const { status, body } = await request(
    ep,
    { method: 'GET', path: realmPath + query, headers: { authorization: auth } },
    undefined,
    timeoutMs,
  );
  if (status !== 200)
    throw new UploadError(
      `token endpoint answered ${status}`,
      status === 401 ? 'push.unauthorized' : status === 403 ? 'push.denied' : 'push.server_error',
    );
  const parsed = JSON.parse(body) as { token?: string; expires_in?: number };
  if (!parsed.token) throw new UploadError('token endpoint answered without a token', 'push.error');
  return {
    token: parsed.token,
    expiresAt: started + (parsed.expires_in ?? 60) * 1000,
    fingerprint: createHash('sha256').update(parsed.token).digest('hex').slice(0, 8),
    ms: Date.now() - started,
  };
}

/** Upload `bytes` to `repository` over `durationMs` (one chunk every 100 ms). Resolves on 202 Accepted. */
export async function uploadLayer(
  ep: Endpoint,
  repository: string,
  token: string,
  bytes: number,
  durationMs: number,
  timeoutMs: number,
): Promise<void> {
  const chunks = Math.max(1, Math.round(durationMs / 100));
  const size = Math.ceil(bytes / chunks);
  const body = { chunks, size };
  const { status } = await request(
    ep,
    {
      method: 'POST',
      path: `/v2/${repository}/blobs/uploads/`,
      headers: {
        authorization: `Bearer ${token}`,
        'content-length': String(chunks * size),
        'content-type': 'application/octet-stream',
      },
    },
    body,
    timeoutMs,
  );
  if (status === 202) return;
  if (status >= 500) throw new UploadError(`received unexpected HTTP status: ${status}`, 'push.server_error');
  if (status === 401) throw new UploadError('unauthorized: authentication required', 'push.unauthorized');
  throw new UploadError(`received unexpected HTTP status: ${status}`, 'push.error');
}

/**
 * One request on a fresh connection. The TLS handshake must finish within `timeoutMs`
 * ("TLS handshake timeout"), and the answer must come within `timeoutMs` of the last byte
 * sent ("i/o timeout"). With a body, the request succeeds once the answer has come *and*
 * the whole body has been sent (a registry may answer before reading it all).
 */
function request(
  ep: Endpoint,
  opts: { method: string; path: string; headers: Record<string, string> },
  body: { chunks: number; size: number } | undefined,
  timeoutMs: number,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: ep.address,
      port: ep.port,
      servername: ep.servername,
      ca: ep.ca,
      agent: false,
      ...opts,
    });
    let timer = setTimeout(
      () => fail(new UploadError('net/http: TLS handshake timeout', 'push.tls_timeout')),
      timeoutMs,
    );
    let pacer: NodeJS.Timeout | undefined;
    let answer: { status: number; body: string } | undefined;
    let sent = !body;
    const settle = () => {
      if (!answer || !sent) return;
      clearTimeout(timer);
      resolve(answer);
    };
    const fail = (err: Error) => {
      clearTimeout(timer);
      clearInterval(pacer);
      req.destroy();
      reject(err);
    };
    const awaitAnswer = () => {
      sent = true;
      timer = setTimeout(() => fail(new UploadError('i/o timeout', 'push.io_timeout')), timeoutMs);
      settle();
    };
    req.on('socket', (socket) =>
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        if (!body) {
          req.end();
          awaitAnswer();
          return;
        }
        let chunks = 0;
        pacer = setInterval(() => {
          req.write(Buffer.alloc(body.size, chunks % 251));
          if (++chunks < body.chunks) return;
          clearInterval(pacer);
          req.end(awaitAnswer);
        }, 100);
      }),
    );
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        if (text.length < 65536) text += d;
      });
      res.on('end', () => {
        answer = { status: res.statusCode ?? 0, body: text };
        // A refusal ends the upload at once; an acceptance waits for the body to be sent.
        if (answer.status >= 300) sent = true;
        if (sent) clearInterval(pacer);
        settle();
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE')
        fail(new UploadError('write tcp: connection reset by peer', 'push.connection_reset'));
      else if (err.code === 'ECONNREFUSED')
        fail(new UploadError('connect: connection refused', 'push.connection_refused'));
      else fail(new UploadError(err.message, 'push.error'));
    });
  });
}

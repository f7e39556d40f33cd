/**
 * A tiny HTTPS client for peer tests: one request on a fresh connection, trusting a given CA,
 * with SNI set to a chosen name while connecting to a loopback address (as `curl --resolve`).
 */
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';

/** What came back, or the error that ended the exchange. */
export interface Reply {
  status?: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Set when headers arrived but the body did not end within the timeout. */
  bodyIncomplete?: boolean;
  error?: NodeJS.ErrnoException;
}

/** Options for {@link fetchOnce}. */
export interface FetchOnceOptions {
  url: string;
  ca?: string;
  /** Name for SNI and Host; default the URL's host. */
  servername?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

/** One request, no keep-alive, no retries. Never rejects: failures come back in `error`. */
export function fetchOnce(options: FetchOnceOptions): Promise<Reply> {
  const url = new URL(options.url);
  const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve) => {
    const reply: Reply = { headers: {}, body: '' };
    const timer = setTimeout(() => {
      if (reply.status !== undefined) reply.bodyIncomplete = true;
      else reply.error = Object.assign(new Error('timeout'), { code: 'TIMEOUT' });
      req.destroy();
      resolve(reply);
    }, options.timeoutMs ?? 5_000);
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        agent: false,
        ca: options.ca,
        servername: options.servername,
        headers: { ...(options.servername ? { host: options.servername } : {}), ...options.headers },
      },
      (res) => {
        reply.status = res.statusCode;
        reply.headers = res.headers;
        res.setEncoding('utf8');
        res.on('data', (text: string) => (reply.body += text));
        res.on('end', () => {
          clearTimeout(timer);
          resolve(reply);
        });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reply.error = error;
      resolve(reply);
    });
    req.end(options.body);
  });
}

/** A bare TLS handshake; resolves with the socket's verdict and closes it. Never rejects. */
export function handshake(
  options: ConnectionOptions & { timeoutMs?: number },
): Promise<{ ok: boolean; error?: NodeJS.ErrnoException; protocol?: string | null; authorizationError?: string }> {
  return new Promise((resolve) => {
    const socket: TLSSocket = tlsConnect(options);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ ok: false, error: Object.assign(new Error('timeout'), { code: 'TIMEOUT' }) });
    }, options.timeoutMs ?? 5_000);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const protocol = socket.getProtocol();
      socket.destroy();
      resolve({ ok: true, protocol });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ok: false, error });
    });
  });
}

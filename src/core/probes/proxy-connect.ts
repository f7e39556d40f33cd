/**
 * The proxy phase of a round: `CONNECT host:port` on a TCP connection to an HTTP proxy, as
 * docker and curl open a tunnel to an HTTPS registry. A 2xx answer leaves a tunnel over which
 * the TLS handshake with the registry itself happens. A refusal is classified here, because
 * only the status line says why:
 *   407 -> proxy.auth_required, 403 and other 4xx -> proxy.denied,
 *   5xx (the proxy could not reach the registry) and anything else -> proxy.error.
 */
import type net from 'node:net';
import { failure, type ProbeErrorInfo } from '../errors.js';
import type { ProbeDetails } from '../events.js';
import type { ProxyEndpoint } from '../proxy/proxy-settings.js';
import { PhaseFailure, runPhase } from './run-phase.js';
import type { ProbeContext } from './types.js';

/** What to ask the proxy for. */
export interface TunnelRequest {
  host: string;
  port: number;
  /** `Basic ...`, when the proxy URL carries credentials. */
  authorization?: string;
  userAgent: string;
}

/** An open tunnel: the same socket, now carrying bytes to `host:port`. */
export interface TunnelOutcome {
  socket: net.Socket;
  status: number;
}

/** What a failed CONNECT still showed, kept in `PhaseFailure.detail`. */
export interface TunnelRefusal {
  status?: number;
}

/** Proxies answer CONNECT with a few headers; more than this is not a proxy speaking. */
const MAX_HEAD_BYTES = 16 * 1024;

/**
 * Send `CONNECT` on `socket` (connected to the proxy) and read the answer's head. Resolves
 * with the tunnel on 2xx; rejects with `PhaseFailure` (a `proxy.*` code) otherwise, with the
 * socket error, or with the abort reason. The socket is destroyed on failure.
 */
export function openTunnel(socket: net.Socket, req: TunnelRequest, signal: AbortSignal): Promise<TunnelOutcome> {
  return new Promise((resolve, reject) => {
    const authority = `${req.host.includes(':') ? `[${req.host}]` : req.host}:${req.port}`;
    let head = Buffer.alloc(0);
    const fail = (err: unknown) => {
      cleanup();
      socket.destroy();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > MAX_HEAD_BYTES)
          fail(
            refusal(
              failure(
                'proxy.error',
                `the proxy answered CONNECT ${authority} with more than ${MAX_HEAD_BYTES} bytes of headers`,
                'proxy',
              ),
            ),
          );
        return;
      }
      // Stop reading before the TLS layer takes over; what came after the head is the tunnel's.
      socket.pause();
      cleanup();
      const rest = head.subarray(end + 4);
      if (rest.length) socket.unshift(rest);
      settle(head.subarray(0, end).toString('latin1'));
    };
    const settle = (text: string) => {
      const status = parseStatus(text);
      if (status !== undefined && status >= 200 && status < 300) {
        resolve({ socket, status });
        return;
      }
      socket.destroy();
      reject(refusal(judgeRefusal(status, text, authority), status));
    };
    const onClose = () =>
      fail(
        refusal(
          failure('proxy.error', `the proxy closed the connection before answering CONNECT ${authority}`, 'proxy'),
        ),
      );
    const onError = (err: Error) => fail(err);
    const onAbort = () => fail(signal.reason);
    const cleanup = () => {
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onError);
      signal.removeEventListener('abort', onAbort);
    };
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.once('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.write(connectRequest(authority, req));
  });
}

function connectRequest(authority: string, req: TunnelRequest): string {
  const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`, `User-Agent: ${req.userAgent}`];
  if (req.authorization) lines.push(`Proxy-Authorization: ${req.authorization}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function parseStatus(head: string): number | undefined {
  const m = /^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(head);
  return m ? Number(m[1]) : undefined;
}

function refusal(info: ProbeErrorInfo, status?: number): PhaseFailure {
  const detail: TunnelRefusal = status === undefined ? {} : { status };
  return new PhaseFailure(info, detail);
}

/** The code and the one-line message for a CONNECT that was not answered with 2xx. */
export function judgeRefusal(status: number | undefined, head: string, authority: string): ProbeErrorInfo {
  const statusLine = head.split('\r\n')[0]!.slice(0, 120);
  if (status === undefined)
    return failure(
      'proxy.error',
      `the proxy answered CONNECT ${authority} with something that is not HTTP: "${statusLine}"`,
      'proxy',
    );
  if (status === 407) {
    const challenge = /^proxy-authenticate:\s*(.+)$/im.exec(head)?.[1]?.trim();
    return failure(
      'proxy.auth_required',
      `the proxy wants credentials for CONNECT ${authority} (407${challenge ? `, ${challenge.slice(0, 80)}` : ''})`,
      'proxy',
    );
  }
  if (status >= 400 && status < 500)
    return failure('proxy.denied', `the proxy refused CONNECT ${authority}: ${statusLine}`, 'proxy');
  if (status >= 500)
    return failure('proxy.error', `the proxy could not open a tunnel to ${authority}: ${statusLine}`, 'proxy');
  return failure('proxy.error', `the proxy answered CONNECT ${authority} with ${statusLine}`, 'proxy');
}

/** What the proxy phase of a round produced. */
export interface TunnelPhase {
  ms: number;
  details: NonNullable<ProbeDetails['proxy']>;
  /** Set when no tunnel was opened; the socket is then destroyed. */
  error?: ProbeErrorInfo;
}

/** The proxy phase of a round: CONNECT to `ctx.target` on `socket`, timed and classified. */
export async function tunnelPhase(socket: net.Socket, ctx: ProbeContext, proxy: ProxyEndpoint): Promise<TunnelPhase> {
  const outcome = await runPhase('proxy', ctx.signal, () =>
    openTunnel(
      socket,
      {
        host: ctx.target.host,
        port: ctx.target.port,
        authorization: proxy.authorization,
        userAgent: ctx.options.userAgent,
      },
      ctx.signal,
    ),
  );
  const refused =
    !outcome.ok && outcome.cause instanceof PhaseFailure
      ? (outcome.cause.detail as TunnelRefusal | undefined)
      : undefined;
  const status = outcome.ok ? outcome.value.status : refused?.status;
  const details = status === undefined ? { url: proxy.display } : { url: proxy.display, status };
  if (outcome.ok) return { ms: outcome.ms, details };
  socket.destroy();
  return { ms: outcome.ms, details, error: outcome.error };
}

/** A proxy that does not resolve or does not accept the connection: the user's proxy is down. */
export function proxyUnreachable(proxy: ProxyEndpoint, cause: ProbeErrorInfo): ProbeErrorInfo {
  return failure(
    'proxy.unreachable',
    `proxy ${proxy.display} (${proxy.source}): ${cause.message} (${cause.code})`,
    cause.phase,
  );
}

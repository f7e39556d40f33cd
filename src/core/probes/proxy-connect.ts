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
import type { PhaseContext, PhaseResult } from './types.js';

/** What to ask the proxy for, on `socket` (connected to the proxy). */
export interface TunnelRequest {
  socket: net.Socket;
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

/** What a failed CONNECT still showed. */
export interface TunnelRefusal {
  status?: number;
}

/** Proxies answer CONNECT with a few headers; more than this is not a proxy speaking. */
const MAX_HEAD_BYTES = 16 * 1024;

/**
 * The proxy phase: send `CONNECT` and read the answer's head. Succeeds with the tunnel on
 * 2xx; fails with a `proxy.*` code (and the status, when there was one), the socket's error,
 * or the deadline. The socket is destroyed on failure and on abort.
 */
export function openTunnel(ctx: PhaseContext, req: TunnelRequest): Promise<PhaseResult<TunnelOutcome, TunnelRefusal>> {
  const { socket } = req;
  return runPhase<TunnelOutcome, TunnelRefusal>(ctx, 'proxy', (end) => {
    const authority = `${req.host.includes(':') ? `[${req.host}]` : req.host}:${req.port}`;
    let head = Buffer.alloc(0);
    const fail = (err: unknown, status?: number) => {
      cleanup();
      socket.destroy();
      end.fail(err, status === undefined ? {} : { status });
    };
    const refuse = (info: ProbeErrorInfo, status?: number) => fail(new PhaseFailure(info), status);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const at = head.indexOf('\r\n\r\n');
      if (at < 0) {
        if (head.length > MAX_HEAD_BYTES)
          refuse(
            failure(
              'proxy.error',
              `the proxy answered CONNECT ${authority} with more than ${MAX_HEAD_BYTES} bytes of headers`,
              'proxy',
            ),
          );
        return;
      }
      // Stop reading before the TLS layer takes over; what came after the head is the tunnel's.
      socket.pause();
      cleanup();
      const rest = head.subarray(at + 4);
      if (rest.length) socket.unshift(rest);
      const text = head.subarray(0, at).toString('latin1');
      const status = parseStatus(text);
      if (status !== undefined && status >= 200 && status < 300) end.ok({ socket, status });
      else refuse(judgeRefusal(status, text, authority), status);
    };
    const onClose = () =>
      refuse(failure('proxy.error', `the proxy closed the connection before answering CONNECT ${authority}`, 'proxy'));
    const onError = (err: Error) => fail(err);
    const cleanup = () => {
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onError);
    };
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.once('error', onError);
    socket.write(connectRequest(authority, req));
    return () => {
      cleanup();
      socket.destroy();
    };
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
export async function tunnelPhase(
  socket: net.Socket,
  ctx: PhaseContext,
  proxy: ProxyEndpoint,
  userAgent: string,
): Promise<TunnelPhase> {
  const outcome = await openTunnel(ctx, {
    socket,
    host: ctx.target.host,
    port: ctx.target.port,
    authorization: proxy.authorization,
    userAgent,
  });
  const status = outcome.ok ? outcome.value.status : outcome.partial?.status;
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

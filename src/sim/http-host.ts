/**
 * One listener for an HTTP peer whose *transport* can change at runtime: HTTPS, plain HTTP on the
 * same port ("HTTP spoken on 443"), TLS 1.0 only, or a handshake that never completes. The raw
 * TCP listener hands each connection to the inner server that matches the transport in force, so
 * switching needs no new port. Shared by the registry front, the token and the OAuth servers.
 */
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type RequestListener,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { DEFAULT_HOST, listen, SocketSet, stopListening, type PeerAddress } from './lifecycle.js';

/**
 * - `https`: TLS 1.2/1.3 with the configured certificate.
 * - `http`: plain HTTP, no TLS (a TLS client sees a protocol error).
 * - `tls1.0`: only TLS 1.0 is offered (a modern client refuses it).
 * - `handshake-stall`: the TCP connection is accepted and nothing is ever read or written.
 */
export type HttpTransport = 'https' | 'http' | 'tls1.0' | 'handshake-stall';

/** A certificate chain (leaf first) and its private key, PEM. */
export interface CertificatePair {
  cert: string;
  key: string;
}

/** Options for {@link HttpHost.start}. */
export interface HttpHostOptions {
  host?: string;
  port?: number;
  /** Needed for the `https` and `tls1.0` transports. */
  tls?: CertificatePair;
  /** Default `https` when `tls` is given, else `http`. */
  transport?: HttpTransport;
  handler: RequestListener;
}

/** Faults a service peer (token or OAuth endpoint) can be switched into. */
export type ServiceFault = 'none' | 'down' | 'html' | 'hang' | 'error500';

/** A listening HTTP peer. */
export class HttpHost {
  /** The transport used for new connections; switch at any time. */
  transport: HttpTransport;
  private readonly sockets = new SocketSet();
  private readonly modern: HttpsServer | undefined;
  private readonly legacy: HttpsServer | undefined;
  private readonly plain: ReturnType<typeof createHttpServer>;
  private closed = false;

  private constructor(
    private readonly server: Server,
    /** Where the peer listens. */
    readonly address: PeerAddress,
    options: HttpHostOptions,
  ) {
    this.transport = options.transport ?? (options.tls ? 'https' : 'http');
    this.plain = createHttpServer(options.handler);
    if (options.tls) {
      this.modern = createHttpsServer(modernContext(options.tls), options.handler);
      this.legacy = createHttpsServer(legacyContext(options.tls), options.handler);
      for (const tls of [this.modern, this.legacy]) tls.on('tlsClientError', () => {});
    }
    server.on('connection', (socket) => this.dispatch(socket));
  }

  /** Starts listening on host:port (default 127.0.0.1:0). */
  static async start(options: HttpHostOptions): Promise<HttpHost> {
    // Answers leave at once, as a registry's front end sends them: no Nagle wait for an ACK.
    const server = createNetServer({ noDelay: true });
    const address = await listen(server, options.host ?? DEFAULT_HOST, options.port ?? 0);
    return new HttpHost(server, address, options);
  }

  /** `https://host:port` (or `http://` for the plain transport). IPv6 hosts are bracketed. */
  get url(): string {
    const host = this.address.host.includes(':') ? `[${this.address.host}]` : this.address.host;
    return `${this.transport === 'http' ? 'http' : 'https'}://${host}:${this.address.port}`;
  }

  /** Replaces the certificate for new TLS handshakes (e.g. switch to an expired leaf). */
  setCertificate(tls: CertificatePair): void {
    this.modern?.setSecureContext(modernContext(tls));
    this.legacy?.setSecureContext(legacyContext(tls));
  }

  /** Stops listening (new clients get ECONNREFUSED); open connections stay. */
  async down(): Promise<void> {
    await stopListening(this.server);
  }

  /** Listens again on the same address after {@link HttpHost.down}. */
  async up(): Promise<void> {
    if (!this.closed && !this.server.listening) await listen(this.server, this.address.host, this.address.port);
  }

  /** Destroys every open connection (keep-alive ones too). */
  dropConnections(): void {
    this.sockets.destroyAll();
  }

  /** Stops listening and destroys every connection. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.sockets.destroyAll();
    await stopListening(this.server);
  }

  private dispatch(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('error', () => {});
    if (this.transport === 'handshake-stall') return;
    const inner = this.transport === 'http' ? this.plain : this.transport === 'tls1.0' ? this.legacy : this.modern;
    if (!inner) {
      socket.destroy(new Error(`transport ${this.transport} needs a certificate`));
      return;
    }
    inner.emit('connection', socket);
  }
}

/**
 * Answers a request according to a service fault; returns true when it did (the caller then
 * does nothing more). `down` is handled by the listener, `hang` by never answering.
 */
export function answerFault(fault: ServiceFault, res: ServerResponse): boolean {
  switch (fault) {
    case 'none':
    case 'down':
      return false;
    case 'hang':
      return true;
    case 'html':
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><head><title>Sign in</title></head><body>Captive portal</body></html>\n');
      return true;
    case 'error500':
      sendJson(res, 500, { error: 'internal_error', error_description: 'simulated failure' });
      return true;
  }
}

/** Applies a service fault's listener side: `down` stops listening, anything else listens. */
export async function applyListenerFault(host: HttpHost, fault: ServiceFault): Promise<void> {
  if (fault === 'down') await host.down();
  else await host.up();
}

/** Sends `body` as JSON with the given status and extra headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Reads a request body as text, up to `limit` bytes (more is cut off). */
export async function readBody(req: IncomingMessage, limit = 1 << 20): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    if (size < limit) chunks.push(chunk.subarray(0, limit - size));
    size += chunk.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Decodes `Authorization: Basic ...` into user and password, or undefined. */
export function basicCredentials(req: IncomingMessage): { username: string; password: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function modernContext(tls: CertificatePair) {
  return { cert: tls.cert, key: tls.key, ALPNProtocols: ['http/1.1'] };
}

/** OpenSSL 3 refuses TLS 1.0 at its default security level; level 0 re-enables it. */
function legacyContext(tls: CertificatePair) {
  return {
    cert: tls.cert,
    key: tls.key,
    minVersion: 'TLSv1',
    maxVersion: 'TLSv1',
    ciphers: 'DEFAULT@SECLEVEL=0',
  } as const;
}

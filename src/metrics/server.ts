/**
 * The `/metrics` endpoint: a small HTTP server that renders a prom-client registry in the
 * Prometheus text format on every scrape. It only answers GET/HEAD of `/metrics` (and a
 * pointer at `/`); it never reads the network or the session itself.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** Where to listen: `host` is an IP address (127.0.0.1 by default at the flag). */
export interface MetricsListen {
  host: string;
  port: number;
}

/** A listening metrics server. */
export interface MetricsServer {
  /** The address actually bound (port resolved when 0 was asked). */
  address: MetricsListen;
  url: string;
  close(): Promise<void>;
}

/** Thrown when the address cannot be bound; `code` is Node's (EADDRINUSE, EACCES, ...). */
export class MetricsListenError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'MetricsListenError';
  }
}

/** Serve `registry` at `http://host:port/metrics`. Rejects with `MetricsListenError`. */
export function startMetricsServer(registry: Registry, listen: MetricsListen): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    void answer(registry, req, res);
  });
  // A scraper keeps its connection open; closing the server must not wait for it.
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        new MetricsListenError(`cannot listen on ${hostPort(listen)}: ${err.code ?? err.message}`, err.code ?? 'ERROR'),
      );
    });
    server.listen(listen.port, listen.host, () => {
      const bound = server.address() as AddressInfo;
      const address = { host: listen.host, port: bound.port };
      resolve({
        address,
        url: `http://${hostPort(address)}/metrics`,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** `host:port`, with brackets around an IPv6 host. */
export function hostPort(a: MetricsListen): string {
  return `${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
}

async function answer(registry: Registry, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  if (path === '/') {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('gcrwatch: metrics at /metrics\n');
    return;
  }
  if (path !== '/metrics') {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: metrics are at /metrics\n');
    return;
  }
  try {
    const body = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (err) {
    res
      .writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
      .end(`metrics failed: ${(err as Error).message}\n`);
  }
}

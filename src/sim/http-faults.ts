/**
 * HTTP-level faults for the fault proxy: the proxy ends TLS itself with the world's own
 * certificate (an `https.Server` fed the accepted socket with `emit('connection')`) and relays
 * each request to the registry with `https.request` (servername from the Host header, the
 * world's CA). The first `count` requests matching a rule's method and path get the rule's
 * answer instead — a status with a registry error body (`{"errors":[{code, message}]}`),
 * `Retry-After` for 429, a Bearer challenge for 401 — after the request body has been read,
 * so the client sees the answer rather than a broken pipe.
 */
import { Agent, createServer, request, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { pushBounded, type PeerAddress } from './lifecycle.js';

/** One HTTP fault: answer the first `count` matching requests with `status`. */
export interface HttpFaultRule {
  /** Method to match, e.g. `PATCH`. */
  method: string;
  /** A regular expression (source) the request path, without its query, must match. */
  path: string;
  count: number;
  status: number;
  /** The registry error code in the body; by default UNAVAILABLE (503), TOOMANYREQUESTS (429), UNAUTHORIZED (401), UNKNOWN. */
  code?: string;
  message?: string;
  /** Sent as `Retry-After` (seconds). */
  retryAfterSeconds?: number;
  /** Sent as `Www-Authenticate` (e.g. `Bearer realm="https://auth.gcr.io/v2/token",service="gcr.io"`). */
  challenge?: string;
}

/** A request the proxy answered with a fault. `at` is epoch milliseconds. */
export interface HttpFaultRecord {
  at: number;
  method: string;
  path: string;
  status: number;
}

/** TLS material: the leaf (with its chain) and key to serve, the CA to trust upstream. */
export interface HttpFaultTls {
  cert: string;
  key: string;
  ca?: string;
}

const DEFAULT_CODE: Record<number, string> = {
  401: 'UNAUTHORIZED',
  429: 'TOOMANYREQUESTS',
  503: 'UNAVAILABLE',
};

const DEFAULT_MESSAGE: Record<string, string> = {
  UNAUTHORIZED: 'authentication required',
  TOOMANYREQUESTS: 'too many requests',
  UNAVAILABLE: 'service unavailable',
  UNKNOWN: 'internal server error',
};

/** Terminates TLS on sockets handed to it and relays their requests, applying the rules. */
export class HttpFaultRelay {
  private readonly server: Server;
  private readonly agent: Agent;
  private readonly left = new Map<HttpFaultRule, number>();
  private rules: HttpFaultRule[] = [];
  readonly answered: HttpFaultRecord[] = [];

  constructor(
    tls: HttpFaultTls,
    private readonly upstream: () => PeerAddress,
  ) {
    this.agent = new Agent({ keepAlive: true, ...(tls.ca ? { ca: tls.ca } : {}) });
    this.server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => this.onRequest(req, res));
    this.server.on('tlsClientError', () => undefined);
  }

  /** Replaces the rules and restarts their counts. */
  setRules(rules: HttpFaultRule[]): void {
    this.rules = rules.map((r) => ({ ...r }));
    this.left.clear();
    for (const r of this.rules) this.left.set(r, r.count);
  }

  /** Serve an accepted client socket (raw TCP: TLS starts here). */
  handle(socket: Socket): void {
    this.server.emit('connection', socket);
  }

  /** Drops kept-alive upstream connections. */
  close(): void {
    this.agent.destroy();
    this.server.close();
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0]!;
    const rule = this.rules.find(
      (r) => r.method === req.method && (this.left.get(r) ?? 0) > 0 && new RegExp(r.path).test(path),
    );
    if (rule) {
      this.left.set(rule, this.left.get(rule)! - 1);
      req.resume();
      req.once('end', () => this.answer(req, res, rule, path));
      return;
    }
    this.relay(req, res);
  }

  private answer(req: IncomingMessage, res: ServerResponse, rule: HttpFaultRule, path: string): void {
    pushBounded(this.answered, { at: Date.now(), method: req.method ?? '', path, status: rule.status });
    const code = rule.code ?? DEFAULT_CODE[rule.status] ?? 'UNKNOWN';
    const body = JSON.stringify({ errors: [{ code, message: rule.message ?? DEFAULT_MESSAGE[code] ?? code }] });
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Docker-Distribution-Api-Version': 'registry/2.0',
    };
    if (rule.retryAfterSeconds !== undefined) headers['Retry-After'] = rule.retryAfterSeconds;
    if (rule.challenge) headers['Www-Authenticate'] = rule.challenge;
    res.writeHead(rule.status, headers).end(body);
  }

  private relay(req: IncomingMessage, res: ServerResponse): void {
    const { host, port } = this.upstream();
    const servername = (req.headers.host ?? '').replace(/:\d+$/, '');
    const headers = { ...req.headers };
    delete headers.connection;
    delete headers['keep-alive'];
    const out = request(
      { host, port, method: req.method, path: req.url, headers, servername, agent: this.agent },
      (answer) => {
        const back = { ...answer.headers };
        delete back.connection;
        delete back['keep-alive'];
        res.writeHead(answer.statusCode ?? 502, back);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  }
}

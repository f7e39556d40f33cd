/**
 * An HTTPS server that answers like a container registry's front door — `GET /v2/` with a Bearer
 * challenge — and can be switched at runtime into every way a registry answer goes wrong:
 * 5xx and 429 with Retry-After, a 401 without a challenge, headers that never come, a body that
 * never ends, a 200 from something that is not a registry; and, through its transport, plain
 * HTTP on the TLS port, TLS 1.0 only, or a TLS handshake that never completes.
 *
 * With a Bearer token it also accepts an upload (`POST /v2/NAME/blobs/uploads/` -> 202) and its
 * cancellation (`DELETE` -> 204), enough for a push-permission check; it stores nothing.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpHost, sendJson, type CertificatePair, type HttpTransport } from './http-host.js';
import { pushBounded, TimerBag, type PeerAddress } from './lifecycle.js';

/** What `/v2/` (and every other path) answers. */
export type FrontMode =
  /** A healthy token-auth registry: 401 + `WWW-Authenticate: Bearer realm=...,service=...`. */
  | { kind: 'challenge' }
  /** A registry with no auth: 200 `{}`. */
  | { kind: 'open' }
  /** That status (500, 502, 503, 429, ...) with a registry error body and optional Retry-After (seconds). */
  | { kind: 'status'; status: number; retryAfter?: number }
  /** 401 with no WWW-Authenticate header. */
  | { kind: 'no-challenge' }
  /** The request is read and never answered. */
  | { kind: 'no-headers' }
  /** 200 headers, then a body that trickles forever. */
  | { kind: 'endless-body' }
  /** 200 with an HTML page and no Docker-Distribution-API-Version header (a captive portal). */
  | { kind: 'not-registry' };

/** One request the front received. The Authorization value itself is never kept. */
export interface FrontRequestRecord {
  method: string;
  path: string;
  at: number;
  auth: 'none' | 'basic' | 'bearer' | 'other';
}

/** Options for {@link startRegistryFront}. */
export interface RegistryFrontOptions {
  host?: string;
  port?: number;
  /** Certificate chain and key; without it only the `http` transport works. */
  tls?: CertificatePair;
  transport?: HttpTransport;
  mode?: FrontMode;
  /** Token realm announced in the challenge; default `https://gcr.io/v2/token` (as gcr.io). */
  realm?: string;
  /** Service announced in the challenge; default `gcr.io`. */
  service?: string;
}

const API_VERSION = { 'docker-distribution-api-version': 'registry/2.0' };

/** A running registry front. Create it with {@link startRegistryFront}. */
export class RegistryFront {
  /** Requests received (the last 10 000), oldest first. */
  readonly requests: FrontRequestRecord[] = [];
  /** The realm and service announced in Bearer challenges; may be changed. */
  realm: string;
  service: string;
  private currentMode: FrontMode;
  private clockSkewMs = 0;
  private answerDelayMs = 0;
  private readonly timers = new TimerBag();
  private readonly host: HttpHost;

  private constructor(host: HttpHost, options: RegistryFrontOptions) {
    this.host = host;
    this.currentMode = options.mode ?? { kind: 'challenge' };
    this.realm = options.realm ?? 'https://gcr.io/v2/token';
    this.service = options.service ?? 'gcr.io';
  }

  /** @internal use {@link startRegistryFront}. */
  static async start(options: RegistryFrontOptions = {}): Promise<RegistryFront> {
    let front: RegistryFront | undefined;
    const host = await HttpHost.start({ ...options, handler: (req, res) => front!.handle(req, res) });
    front = new RegistryFront(host, options);
    return front;
  }

  /** Where the front listens. */
  get address(): PeerAddress {
    return this.host.address;
  }

  /** Base URL, e.g. `https://127.0.0.1:41234`. */
  get url(): string {
    return this.host.url;
  }

  /** The answer mode now in force. */
  get mode(): FrontMode {
    return this.currentMode;
  }

  /** Switches the answer mode for requests from now on. */
  setMode(mode: FrontMode): void {
    this.currentMode = mode;
  }

  /** Switches the transport for new connections (`handshake-stall`, `http`, `tls1.0`, `https`). */
  setTransport(transport: HttpTransport): void {
    this.host.transport = transport;
  }

  /** Replaces the certificate for new handshakes. */
  setCertificate(tls: CertificatePair): void {
    this.host.setCertificate(tls);
  }

  /** Makes the `Date` header run `ms` ahead (negative: behind) of this machine's clock. */
  setClockSkew(ms: number): void {
    this.clockSkewMs = ms;
  }

  /**
   * Holds every answer `ms` after its request arrived: a registry slow to process a request
   * (the time to first byte a client measures grows by `ms`). 0 answers at once.
   */
  setAnswerDelay(ms: number): void {
    this.answerDelayMs = Math.max(0, ms);
  }

  /** Number of requests received so far. */
  get requestCount(): number {
    return this.requests.length;
  }

  /** A JSON-safe snapshot (for control over a socket). */
  stats(): { requests: FrontRequestRecord[]; mode: FrontMode; transport: HttpTransport } {
    return { requests: this.requests.map((r) => ({ ...r })), mode: this.currentMode, transport: this.host.transport };
  }

  /** Stops listening and destroys every connection (hanging and endless answers too). Idempotent. */
  close(): Promise<void> {
    this.timers.clearAll();
    return this.host.close();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0]!;
    pushBounded(this.requests, { method: req.method ?? 'GET', path, at: Date.now(), auth: authKind(req) });
    req.resume();
    if (this.answerDelayMs > 0) this.timers.timeout(() => this.answer(req, res, path), this.answerDelayMs);
    else this.answer(req, res, path);
  }

  private answer(req: IncomingMessage, res: ServerResponse, path: string): void {
    if (res.destroyed) return;
    if (this.clockSkewMs !== 0) res.setHeader('date', new Date(Date.now() + this.clockSkewMs).toUTCString());
    const mode = this.currentMode;
    switch (mode.kind) {
      case 'challenge':
        return this.answerWithAuth(req, res, path);
      case 'open':
        return sendJson(res, 200, {}, API_VERSION);
      case 'status':
        return sendJson(res, mode.status, registryError(mode.status), {
          ...API_VERSION,
          ...(mode.retryAfter !== undefined ? { 'retry-after': String(mode.retryAfter) } : {}),
        });
      case 'no-challenge':
        return sendJson(
          res,
          401,
          { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] },
          API_VERSION,
        );
      case 'no-headers':
        return;
      case 'endless-body':
        return endlessBody(res);
      case 'not-registry':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!DOCTYPE html><html><head><title>Welcome</title></head><body>It works!</body></html>\n');
        return;
    }
  }

  /** Token-auth registry behaviour: challenge without a Bearer token, minimal API with one. */
  private answerWithAuth(req: IncomingMessage, res: ServerResponse, path: string): void {
    const upload = /^\/v2\/(.+)\/blobs\/uploads\/([^/]*)$/.exec(path);
    if (authKind(req) !== 'bearer') {
      const scope = upload ? `,scope="repository:${upload[1]}:pull,push"` : '';
      const challenge = `Bearer realm="${this.realm}",service="${this.service}"${scope}`;
      sendJson(
        res,
        401,
        { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: null }] },
        {
          ...API_VERSION,
          'www-authenticate': challenge,
        },
      );
    } else if (path === '/v2/' || path === '/v2') {
      sendJson(res, 200, {}, API_VERSION);
    } else if (upload && req.method === 'POST' && upload[2] === '') {
      const uuid = randomUUID();
      res.writeHead(202, {
        ...API_VERSION,
        location: `/v2/${upload[1]}/blobs/uploads/${uuid}`,
        'docker-upload-uuid': uuid,
        range: '0-0',
        'content-length': '0',
      });
      res.end();
    } else if (upload && req.method === 'DELETE' && upload[2] !== '') {
      res.writeHead(204, API_VERSION);
      res.end();
    } else {
      sendJson(
        res,
        404,
        { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }] },
        API_VERSION,
      );
    }
  }
}

/** Starts a registry front (HTTPS when `tls` is given). Close it with `close()`. */
export function startRegistryFront(options: RegistryFrontOptions = {}): Promise<RegistryFront> {
  return RegistryFront.start(options);
}

function authKind(req: IncomingMessage): FrontRequestRecord['auth'] {
  const value = req.headers.authorization;
  if (!value) return 'none';
  if (/^Bearer\s/i.test(value)) return 'bearer';
  if (/^Basic\s/i.test(value)) return 'basic';
  return 'other';
}

function registryError(status: number): unknown {
  if (status === 429) return { errors: [{ code: 'TOOMANYREQUESTS', message: 'Quota exceeded.' }] };
  return { errors: [{ code: 'UNAVAILABLE', message: `simulated ${status}` }] };
}

function endlessBody(res: ServerResponse): void {
  res.writeHead(200, { ...API_VERSION, 'content-type': 'application/json' });
  res.write('{');
  const timer = setInterval(() => res.write(' '), 100);
  res.once('close', () => clearInterval(timer));
}

/**
 * The small HTTP client of the registry's view (undici): one request with a deadline and a
 * capped body, the wall-clock times around it (for clock skew), and the registry's own
 * words out of a distribution-spec error body (`{"errors":[{"code","message"}]}`).
 * Redirects are not followed: a registry that redirects its token endpoint is reported as
 * it answered.
 */
import type { SecureContext } from 'node:tls';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { undici } from '../lazy-require.js';
import { readCapped } from '../probes/http.js';

/** What one request gave back. Header names are lower case. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  ms: number;
  /** Wall-clock (epoch ms) when the request was sent and when its headers arrived. */
  sentAt: number;
  receivedAt: number;
}

/** One request. */
export interface HttpCall {
  method?: 'GET' | 'POST' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
}

/** A client bound to a trust store, a deadline per request, and the check's abort signal. */
export interface RegistryHttp {
  send(url: string, call?: HttpCall): Promise<HttpAnswer>;
  close(): Promise<void>;
}

/** Options of {@link createRegistryHttp}. */
export interface RegistryHttpOptions {
  timeoutMs: number;
  userAgent: string;
  secureContext?: SecureContext;
  signal?: AbortSignal;
  /**
   * The proxy dispatcher for a URL (HTTPS_PROXY / --proxy, NO_PROXY), or undefined to connect
   * directly. Asked once per origin; the dispatchers it returns are closed with the client.
   */
  proxyFor?: (url: string) => Dispatcher | undefined;
  now?: () => number;
}

const MAX_BODY = 64 * 1024;

/** A client for one run of the registry checks; `close()` it afterwards. */
export function createRegistryHttp(opts: RegistryHttpOptions): RegistryHttp {
  const direct = new (undici().Agent)({
    connect: opts.secureContext ? { secureContext: opts.secureContext } : {},
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    connectTimeout: opts.timeoutMs,
    pipelining: 0,
  });
  const proxied = new Map<string, Dispatcher | undefined>();
  const dispatcherFor = (url: string): Dispatcher => {
    if (!opts.proxyFor) return direct;
    const origin = new URL(url).origin;
    if (!proxied.has(origin)) proxied.set(origin, opts.proxyFor(url));
    return proxied.get(origin) ?? direct;
  };
  const now = opts.now ?? Date.now;
  return {
    async send(url, call = {}) {
      const deadline = AbortSignal.timeout(opts.timeoutMs);
      const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
      const started = performance.now();
      const sentAt = now();
      const res = await undici().request(url, {
        method: call.method ?? 'GET',
        headers: { 'user-agent': opts.userAgent, ...call.headers },
        body: call.body,
        dispatcher: dispatcherFor(url),
        signal,
      });
      const receivedAt = now();
      const body = await readCapped(res.body, MAX_BODY);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers))
        if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      return {
        status: res.statusCode,
        headers,
        body,
        ms: Math.round((performance.now() - started) * 10) / 10,
        sentAt,
        receivedAt,
      };
    },
    close: async () => {
      const all = [direct, ...proxied.values()].filter((d): d is Dispatcher => d !== undefined);
      await Promise.all(all.map((d) => d.close().catch(() => undefined)));
    },
  };
}

/**
 * The registry's own words from an error body: `DENIED: Permission "..." denied on ...`,
 * several errors joined with `; `. Undefined when the body is not a registry error.
 */
export function registryWords(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const errors = (parsed as { errors?: unknown })?.errors;
  if (!Array.isArray(errors) || !errors.length) return undefined;
  const words = errors
    .filter((e): e is { code?: unknown; message?: unknown } => typeof e === 'object' && e !== null)
    .map((e) =>
      [typeof e.code === 'string' ? e.code : '', typeof e.message === 'string' ? e.message : '']
        .filter(Boolean)
        .join(': '),
    )
    .filter(Boolean);
  return words.length ? words.join('; ') : undefined;
}

/** `https://host[:port]` for a registry endpoint. */
export function registryBase(host: string, port: number): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return port === 443 ? `https://${h}` : `https://${h}:${port}`;
}

/** One line for a request that got no answer: `no answer in time`, `ECONNREFUSED: connect ...`. */
export function describeHttpFailure(err: unknown): string {
  const e = err as { name?: string; code?: string; message?: string };
  if (
    e?.name === 'TimeoutError' ||
    e?.code === 'UND_ERR_HEADERS_TIMEOUT' ||
    e?.code === 'UND_ERR_BODY_TIMEOUT' ||
    e?.code === 'UND_ERR_CONNECT_TIMEOUT'
  )
    return 'no answer in time';
  if (e?.name === 'AbortError') return 'stopped';
  return `${e?.code ? `${e.code}: ` : ''}${String(e?.message ?? err).split('\n')[0]}`;
}

/**
 * Which proxy applies to a URL, decided as docker (Go's net/http) and curl decide it:
 *   - an `https://` URL uses `https_proxy` / `HTTPS_PROXY`, an `http://` URL uses
 *     `http_proxy` / `HTTP_PROXY` (the lower-case name wins when both are set, as in curl);
 *     there is no fallback from HTTPS to HTTP_PROXY, because docker has none;
 *   - `no_proxy` / `NO_PROXY` lists hosts reached directly (see `no-proxy.ts`);
 *   - `--proxy URL` (or the config file's `proxy`) replaces the environment's proxies for
 *     every URL, still subject to NO_PROXY, as `curl -x` is; `--no-proxy` turns proxies off.
 * Credentials in a proxy URL are secrets: they are registered for redaction here, and only
 * the `authorization` header value and `url` carry them; `display` never does.
 * Pure apart from that registration: the environment is passed in.
 */
import { registerSecret } from '../log/redact.js';
import { bypassesProxy, parseNoProxy, type NoProxyRule } from './no-proxy.js';

/** A proxy to tunnel through. */
export interface ProxyEndpoint {
  /** Host name or IP address of the proxy (IPv6 without brackets). */
  host: string;
  port: number;
  /** `http://host:port`, without credentials: what events, logs and screens show. */
  display: string;
  /** `Basic ...` for the Proxy-Authorization header, when the URL carries credentials. */
  authorization?: string;
  /** Where the setting came from: `--proxy`, `config`, `HTTPS_PROXY`, `https_proxy`, ... */
  source: string;
}

/** The proxies of a session. */
export interface ProxySettings {
  https?: ProxyEndpoint;
  http?: ProxyEndpoint;
  noProxy: NoProxyRule[];
  /** The NO_PROXY text and where it came from, for `config print`. */
  noProxyText?: string;
  noProxySource?: string;
}

/** What the settings are made from. */
export interface ProxyInputs {
  env: NodeJS.ProcessEnv;
  /** An explicit proxy for every URL (`--proxy`, or the config file). */
  proxy?: string;
  proxySource?: string;
  /** `--no-proxy`: no proxy at all, whatever the environment says. */
  disabled?: boolean;
  /** An explicit NO_PROXY list (the config file's `noProxy`); the environment's otherwise. */
  noProxy?: string;
  noProxySource?: string;
}

/** A proxy setting that cannot be used; the message names where it came from. */
export class ProxyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProxyConfigError';
  }
}

/** First non-empty variable of `names` in `env`, with its name. */
function fromEnv(env: NodeJS.ProcessEnv, names: string[]): { value: string; name: string } | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { value, name };
  }
  return undefined;
}

/**
 * Parse a proxy URL (`http://[user:pass@]host[:port]`, or `host:port` as curl and Go accept).
 * The port defaults to 80, as Go's does. Throws `ProxyConfigError` naming `source`.
 */
export function parseProxyUrl(raw: string, source: string): ProxyEndpoint {
  const text = raw.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ProxyConfigError(
      `${source}: "${stripCredentials(text)}" is not a proxy URL (e.g. http://proxy.corp:3128)`,
    );
  }
  if (url.protocol !== 'http:') {
    throw new ProxyConfigError(
      `${source}: ${url.protocol}// proxies are not supported; use an http:// proxy URL (HTTP CONNECT)`,
    );
  }
  if (!url.hostname) throw new ProxyConfigError(`${source}: no host in the proxy URL`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port ? Number(url.port) : 80;
  const endpoint: ProxyEndpoint = { host, port, display: `http://${url.host}`, source };
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const pass = decodeURIComponent(url.password);
    registerSecret(pass);
    registerSecret(url.password);
    registerSecret(`${user}:${pass}`);
    endpoint.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  }
  return endpoint;
}

/** `scheme://host...` without `user:pass@`, for messages about a value that did not parse. */
function stripCredentials(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^@/]*@/i, '$1');
}

/** Build the session's proxy settings. Throws `ProxyConfigError` for an unusable URL. */
export function resolveProxySettings(inputs: ProxyInputs): ProxySettings {
  const settings: ProxySettings = { noProxy: [] };
  if (inputs.disabled) return settings;
  const noProxy =
    inputs.noProxy !== undefined
      ? { value: inputs.noProxy, name: inputs.noProxySource ?? 'config' }
      : fromEnv(inputs.env, ['no_proxy', 'NO_PROXY']);
  if (noProxy) {
    settings.noProxy = parseNoProxy(noProxy.value);
    settings.noProxyText = noProxy.value;
    settings.noProxySource = noProxy.name;
  }
  if (inputs.proxy !== undefined) {
    const endpoint = parseProxyUrl(inputs.proxy, inputs.proxySource ?? '--proxy');
    settings.https = endpoint;
    settings.http = endpoint;
    return settings;
  }
  const https = fromEnv(inputs.env, ['https_proxy', 'HTTPS_PROXY']);
  const http = fromEnv(inputs.env, ['http_proxy', 'HTTP_PROXY']);
  if (https) settings.https = parseProxyUrl(https.value, https.name);
  if (http) settings.http = parseProxyUrl(http.value, http.name);
  return settings;
}

/**
 * The proxy a request to `url` goes through, or undefined for a direct connection. This is
 * the one answer to "which proxy?" for the probes and for the credential checks alike.
 */
export function proxyForUrl(url: string | URL, settings: ProxySettings): ProxyEndpoint | undefined {
  const u = typeof url === 'string' ? new URL(url) : url;
  const endpoint = u.protocol === 'https:' ? settings.https : u.protocol === 'http:' ? settings.http : undefined;
  if (!endpoint) return undefined;
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  return bypassesProxy(settings.noProxy, u.hostname, port) ? undefined : endpoint;
}

/** `proxyForUrl` with settings read from `env` alone (no flags): for code outside a session. */
export function proxyForUrlFromEnv(url: string | URL, env: NodeJS.ProcessEnv = process.env): ProxyEndpoint | undefined {
  return proxyForUrl(url, resolveProxySettings({ env }));
}

/** The URL of a registry's `/v2/` endpoint, the URL a probe of `host:port` requests. */
export function registryUrl(host: string, port: number): URL {
  const h = host.includes(':') ? `[${host}]` : host;
  return new URL(`https://${h}:${port}/v2/`);
}

/**
 * An undici dispatcher that takes the proxy `proxyForUrl` chose, for HTTP clients other than
 * the probes (the credential checks' token and tokeninfo requests): a `ProxyAgent` tunnelling
 * through the proxy with its credentials, or undefined for a direct connection (use undici's
 * default). The caller closes the agent it got.
 */
import type { Dispatcher } from 'undici';
import { undici } from '../lazy-require.js';
import { proxyForUrl, type ProxySettings } from './proxy-settings.js';

/** Extra TLS trust for the request through the tunnel (the session's CA files). */
export interface DispatcherTls {
  ca?: string | string[];
}

/** A dispatcher for requests to `url` under `settings`, or undefined when they go direct. */
export function proxyDispatcherFor(
  url: string | URL,
  settings: ProxySettings,
  tls: DispatcherTls = {},
): Dispatcher | undefined {
  const endpoint = proxyForUrl(url, settings);
  if (!endpoint) return undefined;
  return new (undici().ProxyAgent)({
    uri: endpoint.display,
    ...(endpoint.authorization ? { token: endpoint.authorization } : {}),
    ...(tls.ca ? { requestTls: { ca: tls.ca } } : {}),
  });
}

/**
 * The proxy part of the monitor configuration: `--proxy`, `--no-proxy`, the environment's
 * HTTPS_PROXY / NO_PROXY, and `--compare-direct`, which gives each proxied target a twin
 * probed without the proxy (id `HOST (direct)`).
 */
import {
  ProxyConfigError,
  proxyForUrl,
  registryUrl,
  resolveProxySettings,
  type ProxyEndpoint,
  type ProxySettings,
} from '../core/proxy/proxy-settings.js';
import type { Target } from '../core/targets.js';
import { UsageError } from './usage-error.js';

/** How the session's probes reach their targets. */
export interface ProxyRouting {
  settings: ProxySettings;
  /** The targets, with a `direct` twin after each proxied one under --compare-direct. */
  targets: Target[];
  proxyFor: (target: Target) => ProxyEndpoint | undefined;
  /** For session.start: the proxies in use, without credentials. */
  recorded: Record<string, unknown>;
}

/** What the proxy choice is made from. */
export interface ProxyChoice {
  /** `--proxy URL` / config `proxy` (a string), `--no-proxy` (false), or unset. */
  proxy?: string | false;
  proxySource?: string;
  noProxy?: string;
  noProxySource?: string;
  compareDirect?: boolean;
}

/** Decide the proxy of every target. Throws `UsageError` for a proxy URL that cannot be used. */
export function buildProxyRouting(choice: ProxyChoice, targets: Target[], env: NodeJS.ProcessEnv): ProxyRouting {
  let settings: ProxySettings;
  try {
    settings = resolveProxySettings({
      env,
      proxy: typeof choice.proxy === 'string' ? choice.proxy : undefined,
      proxySource: choice.proxySource,
      disabled: choice.proxy === false,
      noProxy: choice.noProxy,
      noProxySource: choice.noProxySource,
    });
  } catch (err) {
    if (err instanceof ProxyConfigError) throw new UsageError(err.message);
    throw err;
  }
  // A target's proxy cannot change within a session: decided once, not a URL parsed every round.
  const decided = new Map<string, ProxyEndpoint | undefined>();
  const proxyFor = (t: Target) => {
    if (t.route === 'direct') return undefined;
    if (!decided.has(t.id)) decided.set(t.id, proxyForUrl(registryUrl(t.host, t.port), settings));
    return decided.get(t.id);
  };
  const routed = choice.compareDirect ? withDirectTwins(targets, proxyFor) : targets;
  return { settings, targets: routed, proxyFor, recorded: recordProxies(settings, choice.compareDirect) };
}

function withDirectTwins(targets: Target[], proxyFor: (t: Target) => ProxyEndpoint | undefined): Target[] {
  const out: Target[] = [];
  for (const t of targets) {
    if (!proxyFor(t)) {
      out.push(t);
      continue;
    }
    out.push({ ...t, route: 'proxy' });
    out.push({ id: `${t.id} (direct)`, host: t.host, port: t.port, source: t.source, route: 'direct' });
  }
  if (out.length === targets.length) {
    throw new UsageError(
      '--compare-direct: no proxy applies to any target (give --proxy URL or set HTTPS_PROXY; check NO_PROXY)',
    );
  }
  return out;
}

function recordProxies(settings: ProxySettings, compareDirect?: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (settings.https) out.httpsProxy = `${settings.https.display} (${settings.https.source})`;
  if (settings.noProxyText) out.noProxy = settings.noProxyText;
  if (compareDirect) out.compareDirect = true;
  return out;
}

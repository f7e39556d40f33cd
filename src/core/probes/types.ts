/**
 * The shape every probe shares. A probe is one phase of a round (DNS, connect, TLS, HTTP);
 * it receives the round's context and returns a value or throws. Timing of the phase, the
 * deadline and the mapping of what was thrown onto the closed error set happen once, in
 * `run-phase.ts`, not in each probe (blackbox_exporter's handler does the same).
 */
import type { SecureContext } from 'node:tls';
import type { ProxyEndpoint } from '../proxy/proxy-settings.js';
import type { Target } from '../targets.js';

/** Options that shape every round, fixed for a session. */
export interface ProbeOptions {
  /** Per-round deadline in ms. */
  timeoutMs: number;
  /** Restrict to one address family (-4 / -6). */
  family?: 4 | 6;
  /** curl-style pins: `host:port` -> address. */
  pins: Map<string, string>;
  /** Resolvers queried directly (c-ares) beside the system resolver, as `ip` or `ip:port`. */
  dnsServers: string[];
  /**
   * A resolver (`ip:port`) asked directly *instead of* the system resolver for the round's own
   * lookup. The demo world uses it: its names live on a DNS server on loopback, and changing
   * the system resolver would need root. Unset in normal use.
   */
  resolver?: string;
  /** Trust store with the extra CAs (--ca-file, NODE_EXTRA_CA_CERTS); Node's default when absent. */
  secureContext?: SecureContext;
  /** Value of the User-Agent header. */
  userAgent: string;
  /** The HTTP proxy to tunnel through (CONNECT), when one applies to this target. */
  proxyFor?: (target: Target) => ProxyEndpoint | undefined;
}

/** What a probe phase gets: the target, the options, and the round's deadline. */
export interface ProbeContext {
  target: Target;
  options: ProbeOptions;
  signal: AbortSignal;
}

/**
 * The shape every phase of a round shares. Each phase (system DNS, a DNS server asked
 * directly, TCP connect, proxy CONNECT, TLS, HTTP) is a function of the same context (the
 * target, the round's deadline, its AbortSignal and the clock) and its own input, and
 * resolves with a typed `PhaseResult`; none throws. Timing, cancellation and the mapping of
 * failures onto the closed error set happen once, in `run-phase.ts`, not in each phase
 * (blackbox_exporter's handler does the same).
 */
import type { SecureContext } from 'node:tls';
import type { Clock } from '../clock.js';
import type { ProbeErrorInfo } from '../errors.js';
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

/** What every phase gets: the same context, whatever the phase. */
export interface PhaseContext {
  target: Target;
  /** When the round must be over, in `clock.now()` milliseconds. */
  deadline: number;
  /** Aborts at the deadline (reason named `TimeoutError`) or when the session stops. */
  signal: AbortSignal;
  /** Monotonic time and timers for every measurement and wait of the phase. */
  clock: Clock;
}

/**
 * What a phase ends with: its value and duration, or its classified failure, its duration
 * and what it still learnt (`partial`: the certificate of a rejected handshake, the status of
 * an unhealthy answer, the status of a refused CONNECT).
 */
export type PhaseResult<T, P = never> =
  { ok: true; ms: number; value: T } | { ok: false; ms: number; error: ProbeErrorInfo; partial?: P };

/**
 * A round's context: the phases' context and the session's probe options. `deadline` and
 * `clock` default to `options.timeoutMs` from now on the system clock.
 */
export interface ProbeContext {
  target: Target;
  options: ProbeOptions;
  signal: AbortSignal;
  deadline?: number;
  clock?: Clock;
}

/**
 * One probe round of one target, on a fresh connection:
 *   1. DNS: the system resolver (or a --resolve pin), and every --dns-server beside it;
 *   2. TCP connect to the first address of the chosen family (IPv4 unless -6 or none),
 *      and, beside it, a connect to the first address of the other family;
 *   3. TLS handshake with SNI and full verification;
 *   4. GET /v2/ over that connection.
 * Through an HTTP proxy (`options.proxyFor`), the round is what docker experiences: DNS and
 * TCP connect go to the proxy, then `CONNECT host:port` (the `proxy` phase), then TLS with
 * the registry through the tunnel, then GET /v2/. A proxy that cannot be resolved or reached
 * is `proxy.unreachable`, in the phase where it failed.
 * Phase times follow curl's -w split as httpstat derives it. A round never throws: every
 * failure ends the chain and is reported with its phase and code.
 */
import { performance } from 'node:perf_hooks';
import type { DnsAnswer, PhaseTimes, ProbeDetails, TcpAttempt } from '../events.js';
import { failure, type ProbeErrorInfo } from '../errors.js';
import { isMdnsName } from '../mdns/mdns-socket.js';
import { resolveMdns } from '../mdns/resolve-local.js';
import { probeDnsServer, probeSystemDns, type DnsHedge, type ResolvedAddresses } from './dns.js';
import { probeHttp, type HttpOutcome } from './http.js';
import { proxyUnreachable, tunnelPhase } from './proxy-connect.js';
import { elapsedSince, PhaseFailure, runMeasuredPhase, runPhase, type PhaseOutcome } from './run-phase.js';
import { probeTcp } from './tcp.js';
import { probeTls } from './tls.js';
import type { ProbeContext } from './types.js';

/** What a round produced, before it becomes a `probe` event. */
export interface RoundResult {
  ok: boolean;
  /** The round's own duration in this process (at least `phases.total`). */
  ms: number;
  phases: PhaseTimes;
  details: ProbeDetails;
  error?: ProbeErrorInfo;
}

/** Run one round for `ctx.target`. Never throws. */
export async function runRound(ctx: ProbeContext): Promise<RoundResult> {
  const start = performance.now();
  const phases: PhaseTimes = {};
  const details: ProbeDetails = {};
  const sideDns = queryDnsServers(ctx);
  const end = async (error?: ProbeErrorInfo): Promise<RoundResult> => {
    const ms = elapsedSince(start);
    phases.total = sumOfPhases(phases);
    const extra = await sideDns;
    if (extra.length) details.dns = [...(details.dns ?? []), ...extra];
    const result: RoundResult = { ok: !error, ms, phases, details };
    if (error) result.error = error;
    return result;
  };

  const proxy = ctx.options.proxyFor?.(ctx.target);
  if (proxy) details.proxy = { url: proxy.display };
  if (ctx.target.route) details.route = ctx.target.route;
  const hop: Hop = proxy ? { host: proxy.host, port: proxy.port } : ctx.target;

  const resolved = await resolve(ctx, hop, details);
  phases.dns = resolved.ms;
  if (!resolved.ok) return end(proxy ? proxyUnreachable(proxy, resolved.error) : resolved.error);

  const primary = choosePrimary(resolved.value, ctx.options.family);
  details.address = primary.address;
  details.family = primary.family;
  const other = otherFamilyAttempt(ctx, hop, resolved.value, primary.family);
  const connected = await runMeasuredPhase('connect', ctx.signal, () =>
    probeTcp(primary.address, hop.port, ctx.signal),
  );
  phases.connect = connected.ms;
  details.tcp = [tcpAttempt(primary, connected)];
  const otherAttempt = await other;
  if (otherAttempt) details.tcp.push(otherAttempt);
  if (!connected.ok) return end(proxy ? proxyUnreachable(proxy, connected.error) : connected.error);

  if (proxy) {
    const tunnel = await tunnelPhase(connected.value, ctx, proxy);
    phases.proxy = tunnel.ms;
    details.proxy = tunnel.details;
    if (tunnel.error) return end(tunnel.error);
  }

  const secured = await runMeasuredPhase('tls', ctx.signal, () =>
    probeTls(connected.value, { host: ctx.target.host, secureContext: ctx.options.secureContext }, ctx.signal),
  );
  phases.tls = secured.ms;
  if (!secured.ok) {
    connected.value.destroy();
    details.tls = tlsDetailsFromFailure(secured);
    return end(secured.error);
  }
  details.tls = secured.value.details;

  const answered = await runPhase('http', ctx.signal, () =>
    probeHttp(
      secured.value.socket,
      { host: ctx.target.host, port: ctx.target.port, userAgent: ctx.options.userAgent, owner: ctx.options },
      ctx.signal,
    ),
  );
  secured.value.socket.destroy();
  if (!answered.ok) {
    const partial = httpPartial(answered.cause);
    if (partial) {
      details.http = partial.details;
      phases.ttfb = partial.ttfbMs;
      phases.transfer = partial.transferMs;
    } else {
      phases.ttfb = answered.ms;
    }
    return end(answered.error);
  }
  phases.ttfb = answered.value.ttfbMs;
  phases.transfer = answered.value.transferMs;
  details.http = answered.value.details;
  return end();
}

/**
 * The round's total: the sum of its phases, the time the network and the server took end to
 * end, as curl's time_total. The round's own duration (`ms`) also holds gcrwatch's work
 * between the phases (~2 ms of JavaScript on a loaded machine), which is not the network's.
 */
function sumOfPhases(phases: PhaseTimes): number {
  const sum =
    (phases.dns ?? 0) +
    (phases.connect ?? 0) +
    (phases.proxy ?? 0) +
    (phases.tls ?? 0) +
    (phases.ttfb ?? 0) +
    (phases.transfer ?? 0);
  return Math.round(sum * 1000) / 1000;
}

/** Where the round's TCP connection goes: the registry, or the proxy in front of it. */
interface Hop {
  host: string;
  port: number;
}

async function resolve(ctx: ProbeContext, hop: Hop, details: ProbeDetails): Promise<PhaseOutcome<ResolvedAddresses>> {
  const pin = ctx.options.pins.get(`${hop.host}:${hop.port}`);
  if (pin) {
    details.pinned = true;
    const v6 = pin.includes(':');
    return { ok: true, ms: 0, value: { v4: v6 ? [] : [pin], v6: v6 ? [pin] : [] } };
  }
  // A `.local` name lives in multicast DNS: ask it there, as the DNS phase of the round.
  const mdns = isMdnsName(hop.host);
  if (ctx.options.resolver && !mdns) return resolveWith(ctx.options.resolver, ctx, hop, details);
  const resolver = mdns ? 'mdns' : 'system';
  const outcome = await runPhase('dns', ctx.signal, () =>
    mdns
      ? resolveMdns(hop.host, ctx.options.family ?? 0, Math.min(MDNS_TIMEOUT_MS, ctx.options.timeoutMs), ctx.signal)
      : probeSystemDns(hop.host, ctx.options.family ?? 0, dnsHedge(ctx)),
  );
  const answer: DnsAnswer = outcome.ok
    ? { resolver, ok: true, ms: outcome.ms, v4: outcome.value.v4, v6: outcome.value.v6 }
    : { resolver, ok: false, ms: outcome.ms, v4: [], v6: [], error: outcome.error };
  if (hop.host !== ctx.target.host) answer.host = hop.host;
  details.dns = [answer];
  return outcome;
}

/** Ask the nameservers directly once getaddrinfo has taken 40 % of the round, answering by 80 %. */
function dnsHedge(ctx: ProbeContext): DnsHedge {
  return { afterMs: ctx.options.timeoutMs * 0.4, budgetMs: ctx.options.timeoutMs * 0.4, signal: ctx.signal };
}

/** The round's lookup through one resolver asked directly (`ProbeOptions.resolver`). */
async function resolveWith(
  server: string,
  ctx: ProbeContext,
  hop: Hop,
  details: ProbeDetails,
): Promise<PhaseOutcome<ResolvedAddresses>> {
  const answer = await probeDnsServer(hop.host, server, ctx.options.timeoutMs);
  const family = ctx.options.family;
  const found = { v4: family === 6 ? [] : answer.v4, v6: family === 4 ? [] : answer.v6 };
  if (hop.host !== ctx.target.host) answer.host = hop.host;
  details.dns = [answer];
  if (!answer.ok)
    return { ok: false, ms: answer.ms, error: answer.error ?? failure('dns.error', `no answer from ${server}`, 'dns') };
  if (!found.v4.length && !found.v6.length)
    return {
      ok: false,
      ms: answer.ms,
      error: failure('dns.no_address', `no IPv${family} address for ${hop.host}`, 'dns'),
    };
  return { ok: true, ms: answer.ms, value: found };
}

/** mDNS responders answer within a second on a LAN (RFC 6762 §6: 20-500 ms); 2 s is plenty. */
const MDNS_TIMEOUT_MS = 2000;

function queryDnsServers(ctx: ProbeContext): Promise<DnsAnswer[]> {
  const { dnsServers, timeoutMs } = ctx.options;
  // Unicast resolvers know nothing of `.local`: asking them would only add noise.
  if (
    !dnsServers.length ||
    isMdnsName(ctx.target.host) ||
    ctx.options.pins.has(`${ctx.target.host}:${ctx.target.port}`)
  )
    return Promise.resolve([]);
  return Promise.all(dnsServers.map((s) => probeDnsServer(ctx.target.host, s, timeoutMs)));
}

interface Endpoint {
  address: string;
  family: 4 | 6;
}

/** IPv4 first unless -6 is asked or there is none: docker falls back to it silently. */
function choosePrimary(found: ResolvedAddresses, family?: 4 | 6): Endpoint {
  if (family === 6 || found.v4.length === 0) return { address: found.v6[0]!, family: 6 };
  return { address: found.v4[0]!, family: 4 };
}

/** Connect to the other family's first address too, so a one-family outage is seen. */
async function otherFamilyAttempt(
  ctx: ProbeContext,
  hop: Hop,
  found: ResolvedAddresses,
  primary: 4 | 6,
): Promise<TcpAttempt | undefined> {
  if (ctx.options.family) return undefined;
  const family: 4 | 6 = primary === 4 ? 6 : 4;
  const address = (family === 4 ? found.v4 : found.v6)[0];
  if (!address) return undefined;
  const outcome = await runMeasuredPhase('connect', ctx.signal, () => probeTcp(address, hop.port, ctx.signal));
  if (outcome.ok) outcome.value.destroy();
  return tcpAttempt({ address, family }, outcome);
}

function tcpAttempt(ep: Endpoint, outcome: PhaseOutcome<unknown>): TcpAttempt {
  const attempt: TcpAttempt = { family: ep.family, address: ep.address, ok: outcome.ok, ms: outcome.ms };
  if (!outcome.ok) attempt.error = outcome.error;
  return attempt;
}

function tlsDetailsFromFailure(outcome: PhaseOutcome<unknown>): ProbeDetails['tls'] {
  const seen = (outcome as { cause?: { detail?: unknown } }).cause?.detail;
  if (seen && typeof seen === 'object') return { ...(seen as object), verified: false } as ProbeDetails['tls'];
  return { verified: false };
}

/** The answer a failed HTTP phase still got (status, Retry-After), when it got one. */
function httpPartial(cause: unknown): HttpOutcome | undefined {
  const detail = cause instanceof PhaseFailure ? cause.detail : undefined;
  return detail && typeof detail === 'object' && 'details' in detail ? (detail as HttpOutcome) : undefined;
}

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
import { systemClock } from '../clock.js';
import type { DnsAnswer, PhaseTimes, ProbeDetails, TcpAttempt } from '../events.js';
import { failure, type ProbeErrorInfo } from '../errors.js';
import { isMdnsName } from '../mdns/mdns-socket.js';
import { resolveMdns } from '../mdns/resolve-local.js';
import { probeDnsServer, probeSystemDns, type ResolvedAddresses } from './dns.js';
import { probeHttp } from './http.js';
import { proxyUnreachable, tunnelPhase } from './proxy-connect.js';
import { roundMs, runPhase } from './run-phase.js';
import { probeTcp } from './tcp.js';
import { probeTls } from './tls.js';
import type { PhaseContext, PhaseResult, ProbeContext, ProbeOptions } from './types.js';

/** What a round produced, before it becomes a `probe` event. */
export interface RoundResult {
  ok: boolean;
  /** The round's own duration in this process (at least `phases.total`). */
  ms: number;
  phases: PhaseTimes;
  details: ProbeDetails;
  error?: ProbeErrorInfo;
}

/** Run one round for `round.target`. Never throws. */
export async function runRound(round: ProbeContext): Promise<RoundResult> {
  const { options } = round;
  const clock = round.clock ?? systemClock;
  const start = clock.now();
  const ctx: PhaseContext = {
    target: round.target,
    deadline: round.deadline ?? start + options.timeoutMs,
    signal: round.signal,
    clock,
  };
  const phases: PhaseTimes = {};
  const details: ProbeDetails = {};
  const sideDns = queryDnsServers(ctx, options);
  const end = async (error?: ProbeErrorInfo): Promise<RoundResult> => {
    const ms = roundMs(clock.now() - start);
    phases.total = sumOfPhases(phases);
    const extra = await sideDns;
    if (extra.length) details.dns = [...(details.dns ?? []), ...extra];
    const result: RoundResult = { ok: !error, ms, phases, details };
    if (error) result.error = error;
    return result;
  };

  const proxy = options.proxyFor?.(ctx.target);
  if (proxy) details.proxy = { url: proxy.display };
  if (ctx.target.route) details.route = ctx.target.route;
  const hop: Hop = proxy ? { host: proxy.host, port: proxy.port } : ctx.target;

  const resolved = await resolve(ctx, options, hop, details);
  phases.dns = resolved.ms;
  if (!resolved.ok) return end(proxy ? proxyUnreachable(proxy, resolved.error) : resolved.error);

  const primary = choosePrimary(resolved.value, options.family);
  details.address = primary.address;
  details.family = primary.family;
  const other = otherFamilyAttempt(ctx, options, hop, resolved.value, primary.family);
  const connected = await probeTcp(ctx, { address: primary.address, port: hop.port });
  phases.connect = connected.ms;
  details.tcp = [tcpAttempt(primary, connected)];
  const otherAttempt = await other;
  if (otherAttempt) details.tcp.push(otherAttempt);
  if (!connected.ok) return end(proxy ? proxyUnreachable(proxy, connected.error) : connected.error);

  if (proxy) {
    const tunnel = await tunnelPhase(connected.value, ctx, proxy, options.userAgent);
    phases.proxy = tunnel.ms;
    details.proxy = tunnel.details;
    if (tunnel.error) return end(tunnel.error);
  }

  const secured = await probeTls(ctx, {
    socket: connected.value,
    host: ctx.target.host,
    secureContext: options.secureContext,
  });
  phases.tls = secured.ms;
  if (!secured.ok) {
    details.tls = secured.partial ?? { verified: false };
    return end(secured.error);
  }
  details.tls = secured.value.details;

  const answered = await probeHttp(ctx, {
    socket: secured.value.socket,
    host: ctx.target.host,
    port: ctx.target.port,
    userAgent: options.userAgent,
  });
  const answer = answered.ok ? answered.value : answered.partial;
  if (answer) {
    details.http = answer.details;
    phases.ttfb = answer.ttfbMs;
    phases.transfer = answer.transferMs;
  } else {
    phases.ttfb = answered.ms;
  }
  return end(answered.ok ? undefined : answered.error);
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

async function resolve(
  ctx: PhaseContext,
  options: ProbeOptions,
  hop: Hop,
  details: ProbeDetails,
): Promise<PhaseResult<ResolvedAddresses>> {
  const pin = options.pins.get(`${hop.host}:${hop.port}`);
  if (pin) {
    details.pinned = true;
    const v6 = pin.includes(':');
    return { ok: true, ms: 0, value: { v4: v6 ? [] : [pin], v6: v6 ? [pin] : [] } };
  }
  // A `.local` name lives in multicast DNS: ask it there, as the DNS phase of the round.
  const mdns = isMdnsName(hop.host);
  const resolver = mdns ? 'mdns' : (options.resolver ?? 'system');
  const family = options.family ?? 0;
  const outcome = await (mdns
    ? runPhase<ResolvedAddresses>(ctx, 'dns', (end) => {
        const timeoutMs = Math.min(MDNS_TIMEOUT_MS, options.timeoutMs);
        resolveMdns(hop.host, family, timeoutMs, ctx.signal).then((v) => end.ok(v), end.fail);
      })
    : options.resolver
      ? probeDnsServer(ctx, { host: hop.host, server: options.resolver }).then((r) => onlyFamily(r, hop.host, family))
      : probeSystemDns(ctx, { host: hop.host, family, hedge: dnsHedge(options) }));
  const answer = dnsAnswer(resolver, outcome);
  if (hop.host !== ctx.target.host) answer.host = hop.host;
  details.dns = [answer];
  return outcome;
}

/** A resolver's answer as the round reports it. */
function dnsAnswer(resolver: string, outcome: PhaseResult<ResolvedAddresses>): DnsAnswer {
  return outcome.ok
    ? { resolver, ok: true, ms: outcome.ms, v4: outcome.value.v4, v6: outcome.value.v6 }
    : { resolver, ok: false, ms: outcome.ms, v4: [], v6: [], error: outcome.error };
}

/** A DNS server's answer restricted to the family asked (-4/-6); none of it is no address. */
function onlyFamily(
  outcome: PhaseResult<ResolvedAddresses>,
  host: string,
  family: 0 | 4 | 6,
): PhaseResult<ResolvedAddresses> {
  if (!outcome.ok || family === 0) return outcome;
  const found = { v4: family === 6 ? [] : outcome.value.v4, v6: family === 4 ? [] : outcome.value.v6 };
  if (found.v4.length || found.v6.length) return { ...outcome, value: found };
  return { ok: false, ms: outcome.ms, error: failure('dns.no_address', `no IPv${family} address for ${host}`, 'dns') };
}

/** Ask the nameservers directly once getaddrinfo has taken 40 % of the round, answering by 80 %. */
function dnsHedge(options: ProbeOptions) {
  return { afterMs: options.timeoutMs * 0.4, budgetMs: options.timeoutMs * 0.4 };
}

/** mDNS responders answer within a second on a LAN (RFC 6762 §6: 20-500 ms); 2 s is plenty. */
const MDNS_TIMEOUT_MS = 2000;

/** The --dns-server answers, asked beside the round's own lookup. */
function queryDnsServers(ctx: PhaseContext, options: ProbeOptions): Promise<DnsAnswer[]> {
  const { host, port } = ctx.target;
  // Unicast resolvers know nothing of `.local`: asking them would only add noise.
  if (!options.dnsServers.length || isMdnsName(host) || options.pins.has(`${host}:${port}`)) return Promise.resolve([]);
  return Promise.all(
    options.dnsServers.map((server) => probeDnsServer(ctx, { host, server }).then((r) => dnsAnswer(server, r))),
  );
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
  ctx: PhaseContext,
  options: ProbeOptions,
  hop: Hop,
  found: ResolvedAddresses,
  primary: 4 | 6,
): Promise<TcpAttempt | undefined> {
  if (options.family) return undefined;
  const family: 4 | 6 = primary === 4 ? 6 : 4;
  const address = (family === 4 ? found.v4 : found.v6)[0];
  if (!address) return undefined;
  const outcome = await probeTcp(ctx, { address, port: hop.port });
  if (outcome.ok) outcome.value.destroy();
  return tcpAttempt({ address, family }, outcome);
}

function tcpAttempt(ep: Endpoint, outcome: PhaseResult<unknown>): TcpAttempt {
  const attempt: TcpAttempt = { family: ep.family, address: ep.address, ok: outcome.ok, ms: outcome.ms };
  if (!outcome.ok) attempt.error = outcome.error;
  return attempt;
}

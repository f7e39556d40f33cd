/**
 * The DNS phases. Through the system resolver (getaddrinfo, as curl and docker use it), with
 * all addresses split into A and AAAA; getaddrinfo cannot tell NXDOMAIN from NODATA, nor
 * SERVFAIL from REFUSED or a timeout, so a failure is refined with one direct query to the
 * system's own nameservers through c-ares. And through one DNS server asked directly
 * (`--dns-server`, `ProbeOptions.resolver`), with c-ares.
 */
import { promises as dnsp } from 'node:dns';
import { isIP } from 'node:net';
import { classifyDnsError, errorCodeOf } from '../classify.js';
import { PhaseFailure, runPhase } from './run-phase.js';
import type { PhaseContext, PhaseResult } from './types.js';

const { Resolver } = dnsp;

/** Addresses found for a host, by family. */
export interface ResolvedAddresses {
  v4: string[];
  v6: string[];
}

/**
 * getaddrinfo runs on libuv's thread pool and cannot be cancelled. A resolver that never
 * answers would pin a thread per round; instead a host with a lookup still pending shares
 * that lookup, so at most one thread per host is ever held.
 */
const pendingLookups = new Map<string, Promise<ResolvedAddresses>>();

function lookupAll(host: string, family: 0 | 4 | 6): Promise<ResolvedAddresses> {
  const key = `${host}/${family}`;
  const pending = pendingLookups.get(key);
  if (pending) return pending;
  const lookup = dnsp.lookup(host, { all: true, family, order: 'verbatim' }).then((list) => ({
    v4: list.filter((a) => a.family === 4).map((a) => a.address),
    v6: list.filter((a) => a.family === 6).map((a) => a.address),
  }));
  pendingLookups.set(key, lookup);
  const forget = () => pendingLookups.delete(key);
  lookup.then(forget, forget);
  return lookup;
}

/** A system lookup: the host, the family wanted, and when to ask the nameservers beside it. */
export interface SystemDnsQuery {
  host: string;
  family: 0 | 4 | 6;
  /**
   * When getaddrinfo has not answered after `afterMs`, ask the system's nameservers directly
   * (for at most `budgetMs`): glibc drops a reply it cannot parse and waits on, so a resolver
   * sending garbage would otherwise look exactly like one that is silent.
   */
  hedge?: { afterMs: number; budgetMs: number };
}

/** Nameserver answers that settle what a pending getaddrinfo will say (or why it hangs). */
const DECISIVE = new Set(['EBADRESP', 'EFORMERR', 'ESERVFAIL', 'EREFUSED', 'ENOTFOUND', 'ECONNREFUSED']);
/** The longest a failed lookup waits for the nameservers' own answer. */
const REFINE_MS = 1500;

/**
 * The DNS phase through the system resolver. Fails with a refined code (`dns.nxdomain`,
 * `dns.no_address`, `dns.servfail`, `dns.refused`, `dns.timeout`, `dns.bad_response`),
 * including when the wanted family has no address. Cancelling it leaves the getaddrinfo call
 * (it cannot be stopped; later rounds share it) and stops the rest.
 */
export function probeSystemDns(ctx: PhaseContext, query: SystemDnsQuery): Promise<PhaseResult<ResolvedAddresses>> {
  const { host, family, hedge } = query;
  return runPhase(ctx, 'dns', (end) => {
    if (isIP(host)) return end.ok(isIP(host) === 4 ? { v4: [host], v6: [] } : { v4: [], v6: [host] });
    const nameservers = new NameserverQueries();
    const timer = hedge ? ctx.clock.setTimeout(() => askEarly(), hedge.afterMs) : undefined;
    const askEarly = () =>
      void nameservers.ask(host, hedge!.budgetMs).then((code) => {
        if (!code || !DECISIVE.has(code)) return;
        const message = `getaddrinfo ${host} has not answered after ${hedge!.afterMs} ms; the nameserver answered ${code}`;
        end.fail(new PhaseFailure(classifyDnsError({ code, message })));
      });
    const release = () => {
      if (timer !== undefined) ctx.clock.clearTimeout(timer);
      nameservers.cancel();
    };
    lookupAll(host, family).then(
      (found) => {
        release();
        if (found.v4.length + found.v6.length > 0) end.ok(found);
        else end.fail({ code: 'ENODATA', message: `no address for ${host}` });
      },
      (err: unknown) => {
        if (timer !== undefined) ctx.clock.clearTimeout(timer);
        if (end.ended()) return;
        // Near the deadline the nameservers get what is left, and the deadline ends the phase.
        const budget = Math.max(100, Math.min(REFINE_MS, ctx.deadline - ctx.clock.now()));
        void refine(nameservers, host, err, budget).then((info) => {
          nameservers.cancel();
          end.fail(new PhaseFailure(info, err));
        });
      },
    );
    return release;
  });
}

/** Direct queries to the system's nameservers (c-ares, /etc/resolv.conf), all cancellable at once. */
class NameserverQueries {
  private readonly open = new Set<InstanceType<typeof Resolver>>();

  /**
   * Ask for A and AAAA: the most telling failure code, `ENODATA` when neither has records,
   * or undefined when an address came back (or the queries were cancelled).
   */
  async ask(host: string, budgetMs: number): Promise<string | undefined> {
    const resolver = new Resolver({ timeout: Math.max(100, Math.round(budgetMs)), tries: 1 });
    this.open.add(resolver);
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 'OK',
        (e: unknown) => errorCodeOf(e) ?? 'ERR',
      );
    const codes = await Promise.all([codeOf(resolver.resolve4(host)), codeOf(resolver.resolve6(host))]);
    if (!this.open.delete(resolver)) return undefined;
    resolver.cancel();
    return codes.find((c) => c !== 'OK' && c !== 'ENODATA') ?? (codes.includes('OK') ? undefined : 'ENODATA');
  }

  cancel(): void {
    for (const resolver of this.open) resolver.cancel();
    this.open.clear();
  }
}

/** What getaddrinfo's generic error hid, asked of the nameservers directly. */
async function refine(nameservers: NameserverQueries, host: string, err: unknown, budgetMs: number) {
  const base = classifyDnsError(err);
  const precise = await nameservers.ask(host, budgetMs);
  if (!precise) return base;
  const refined = classifyDnsError({ code: precise, message: base.message });
  return { ...refined, message: `${base.message} (resolver: ${precise})` };
}

/** A lookup through one DNS server asked directly. */
export interface DnsServerQuery {
  host: string;
  /** `ip` or `ip:port`. */
  server: string;
}

/**
 * The DNS phase through one resolver asked directly with c-ares, A and AAAA side by side (as
 * `--dns-server` asks). Succeeds when either family has an address; fails with the most
 * telling code of the two answers. Waits at most until the deadline; cancelling it cancels
 * both queries.
 */
export function probeDnsServer(ctx: PhaseContext, query: DnsServerQuery): Promise<PhaseResult<ResolvedAddresses>> {
  return runPhase(ctx, 'dns', (end) => {
    const timeout = Math.max(100, Math.round(ctx.deadline - ctx.clock.now()));
    const resolver = new Resolver({ timeout, tries: 1 });
    resolver.setServers([query.server]);
    const sentAt = ctx.clock.now();
    const settle = <T>(p: Promise<T>) =>
      p.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
    void Promise.all([settle(resolver.resolve4(query.host)), settle(resolver.resolve6(query.host))]).then(
      ([a, aaaa]) => {
        resolver.cancel();
        const found = { v4: 'value' in a ? a.value : [], v6: 'value' in aaaa ? aaaa.value : [] };
        if (found.v4.length + found.v6.length > 0) return end.ok(found, ctx.clock.now() - sentAt);
        const errors = [a, aaaa].flatMap((r) => ('error' in r ? [r.error] : []));
        end.fail(errors.find((e) => errorCodeOf(e) !== 'ENODATA') ?? errors[0] ?? { code: 'ENODATA' });
      },
    );
    return () => resolver.cancel();
  });
}

/**
 * DNS through the system resolver (getaddrinfo, as curl and docker use it), with all
 * addresses split into A and AAAA. getaddrinfo cannot tell NXDOMAIN from NODATA, nor
 * SERVFAIL from REFUSED or a timeout, so a failure is refined with one direct query to the
 * system's own nameservers through c-ares.
 */
import { promises as dnsp } from 'node:dns';
const { Resolver } = dnsp;
import { isIP } from 'node:net';
import { classifyDnsError, errorCodeOf } from '../classify.js';
import type { DnsAnswer } from '../events.js';
import { elapsedSince, PhaseFailure } from './run-phase.js';
import { performance } from 'node:perf_hooks';

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

/**
 * When getaddrinfo has not answered after `afterMs`, ask the system's nameservers directly
 * (for at most `budgetMs`): glibc drops a reply it cannot parse and waits on, so a resolver
 * sending garbage would otherwise look exactly like one that is silent.
 */
export interface DnsHedge {
  afterMs: number;
  budgetMs: number;
  signal?: AbortSignal;
}

/**
 * Resolve `host` with the system resolver. Throws `PhaseFailure` with a refined code
 * (`dns.nxdomain`, `dns.no_address`, `dns.servfail`, `dns.refused`, `dns.timeout`,
 * `dns.bad_response`) on failure, including when the wanted family has no address. With
 * `hedge`, a lookup still pending ends early when the nameservers' own answer is decisive.
 */
export async function probeSystemDns(host: string, family: 0 | 4 | 6, hedge?: DnsHedge): Promise<ResolvedAddresses> {
  if (isIP(host)) {
    return isIP(host) === 4 ? { v4: [host], v6: [] } : { v4: [], v6: [host] };
  }
  let found: ResolvedAddresses;
  try {
    const lookup = lookupAll(host, family);
    found = await (hedge ? hedged(lookup, host, hedge) : lookup);
  } catch (err) {
    if (err instanceof PhaseFailure) throw err;
    throw new PhaseFailure(await refineSystemFailure(host, err), err);
  }
  if (found.v4.length + found.v6.length === 0) {
    throw new PhaseFailure(classifyDnsError({ code: 'ENODATA', message: `no address for ${host}` }));
  }
  return found;
}

/** Nameserver answers that settle what a pending getaddrinfo will say (or why it hangs). */
const DECISIVE = new Set(['EBADRESP', 'EFORMERR', 'ESERVFAIL', 'EREFUSED', 'ENOTFOUND', 'ECONNREFUSED']);

function hedged(lookup: Promise<ResolvedAddresses>, host: string, hedge: DnsHedge): Promise<ResolvedAddresses> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      hedge.signal?.removeEventListener('abort', stop);
      fn();
    };
    const stop = () => finish(() => reject(hedge.signal!.reason));
    const timer = setTimeout(() => {
      void askNameservers(host, hedge.budgetMs).then((code) => {
        if (!code || !DECISIVE.has(code)) return;
        const message = `getaddrinfo ${host} has not answered after ${hedge.afterMs} ms; the nameserver answered ${code}`;
        finish(() => reject(new PhaseFailure(classifyDnsError({ code, message }))));
      });
    }, hedge.afterMs);
    hedge.signal?.addEventListener('abort', stop, { once: true });
    lookup.then(
      (v) => finish(() => resolve(v)),
      (e: unknown) => finish(() => reject(e)),
    );
  });
}

/**
 * Ask the system's nameservers (c-ares, /etc/resolv.conf) for A and AAAA: the most telling
 * failure code, `ENODATA` when neither has records, or undefined when an address came back.
 */
async function askNameservers(host: string, timeoutMs: number): Promise<string | undefined> {
  const resolver = new Resolver({ timeout: Math.max(100, Math.round(timeoutMs)), tries: 1 });
  const codes = await Promise.all([
    resolver.resolve4(host).then(
      () => 'OK',
      (e: unknown) => errorCodeOf(e) ?? 'ERR',
    ),
    resolver.resolve6(host).then(
      () => 'OK',
      (e: unknown) => errorCodeOf(e) ?? 'ERR',
    ),
  ]);
  resolver.cancel();
  return codes.find((c) => c !== 'OK' && c !== 'ENODATA') ?? (codes.includes('OK') ? undefined : 'ENODATA');
}

/** Ask the system's nameservers directly what getaddrinfo's generic error hid. */
async function refineSystemFailure(host: string, err: unknown) {
  const base = classifyDnsError(err);
  const precise = await askNameservers(host, 1500);
  if (!precise) return base;
  const refined = classifyDnsError({ code: precise, message: base.message });
  return { ...refined, message: `${base.message} (resolver: ${precise})` };
}

/** Query one resolver directly through c-ares, for A and AAAA, as `--dns-server` asks. */
export async function probeDnsServer(host: string, server: string, timeoutMs: number): Promise<DnsAnswer> {
  const resolver = new Resolver({ timeout: Math.max(100, timeoutMs), tries: 1 });
  resolver.setServers([server]);
  const start = performance.now();
  const settle = <T>(p: Promise<T>) =>
    p.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
  const [a, aaaa] = await Promise.all([settle(resolver.resolve4(host)), settle(resolver.resolve6(host))]);
  const ms = elapsedSince(start);
  resolver.cancel();
  const v4 = 'value' in a ? a.value : [];
  const v6 = 'value' in aaaa ? aaaa.value : [];
  const answer: DnsAnswer = { resolver: server, ok: v4.length + v6.length > 0, ms, v4, v6 };
  if (!answer.ok) {
    const errors = [a, aaaa].flatMap((r) => ('error' in r ? [r.error] : []));
    const decisive = errors.find((e) => errorCodeOf(e) !== 'ENODATA') ?? errors[0] ?? { code: 'ENODATA' };
    answer.error = classifyDnsError(decisive);
  }
  return answer;
}

/**
 * Resolving a `.local` host name with multicast DNS instead of getaddrinfo, so the DNS phase
 * of a `.local` target measures what an mDNS lookup costs. Settles at the first response that
 * carries an address for the name, as getaddrinfo with nss-mdns does.
 */
import type { Answer } from 'dns-packet';
import { failure } from '../errors.js';
import type { ResolvedAddresses } from '../probes/dns.js';
import { PhaseFailure } from '../probes/run-phase.js';
import { canonicalName, openMdnsQuerier } from './mdns-socket.js';

/** Addresses for `name` among `records`, by family. */
export function addressesOf(records: Answer[], name: string): ResolvedAddresses {
  const wanted = canonicalName(name);
  const found: ResolvedAddresses = { v4: [], v6: [] };
  for (const r of records) {
    if (canonicalName(r.name) !== wanted) continue;
    if (r.type === 'A' && !found.v4.includes(r.data)) found.v4.push(r.data);
    if (r.type === 'AAAA' && !found.v6.includes(r.data)) found.v6.push(r.data);
  }
  return found;
}

/**
 * Ask for `host`'s A (and AAAA, unless `family` is 4) records over mDNS. Resolves with the
 * addresses of the first answer; rejects with `PhaseFailure` `dns.timeout` when no responder
 * answers within `timeoutMs`, `dns.no_address` when one answers without the wanted family,
 * or the abort reason.
 */
export async function resolveMdns(
  host: string,
  family: 0 | 4 | 6,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<ResolvedAddresses> {
  let settle!: (value: ResolvedAddresses | Error) => void;
  const outcome = new Promise<ResolvedAddresses | Error>((r) => {
    settle = r;
  });
  const querier = await openMdnsQuerier(({ records }) => {
    const found = addressesOf(records, host);
    const usable = family === 4 ? found.v4.length : family === 6 ? found.v6.length : found.v4.length + found.v6.length;
    if (usable) settle(found);
    else if (found.v4.length + found.v6.length)
      settle(new PhaseFailure(failure('dns.no_address', `${host} has no IPv${family} address in mDNS`, 'dns')));
  });
  const timer = setTimeout(
    () =>
      settle(
        new PhaseFailure(
          failure('dns.timeout', `no mDNS responder answered for ${host} within ${timeoutMs} ms`, 'dns'),
        ),
      ),
    timeoutMs,
  );
  const onAbort = () => settle(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const types = family === 4 ? (['A'] as const) : family === 6 ? (['AAAA'] as const) : (['A', 'AAAA'] as const);
    querier.send(types.map((type) => ({ type, name: canonicalName(host) })));
    const result = await outcome;
    if (result instanceof Error) throw result;
    return family === 4 ? { v4: result.v4, v6: [] } : family === 6 ? { v4: [], v6: result.v6 } : result;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    querier.close();
  }
}

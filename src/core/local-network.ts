/**
 * What this machine's own network looks like at the start of a session: the nameservers
 * the system resolver asks (/etc/resolv.conf), systemd-resolved's upstream servers when the
 * only one is its stub, and the interfaces with an address besides loopback. Recorded in
 * `session.start`, so a finding about the local resolver can name it, in replay and report too.
 */
import { getServers } from 'node:dns';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { LocalNetwork } from './events.js';

/** The address systemd-resolved's stub listens on. */
export const RESOLVED_STUB = '127.0.0.53';
const RESOLVED_UPSTREAM = '/run/systemd/resolve/resolv.conf';

/** `nameserver` lines of a resolv.conf text. */
export function nameserversIn(text: string): string[] {
  return [...text.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1]!);
}

/** Read the local network's facts; never throws (an unreadable file is left out). */
export function readLocalNetwork(upstreamFile = RESOLVED_UPSTREAM): LocalNetwork {
  const nameservers = getServers();
  const out: LocalNetwork = { nameservers, interfaces: externalInterfaces() };
  if (nameservers.length === 1 && nameservers[0] === RESOLVED_STUB) {
    try {
      const upstream = nameserversIn(readFileSync(upstreamFile, 'utf8'));
      out.stub = 'systemd-resolved';
      if (upstream.length) out.upstream = upstream;
    } catch {
      // No systemd-resolved here (something else listens on its address): say only the address.
    }
  }
  return out;
}

function externalInterfaces(): string[] {
  return Object.entries(os.networkInterfaces())
    .filter(([, addrs]) => addrs?.some((a) => !a.internal))
    .map(([name]) => name);
}

/** `127.0.0.53 (systemd-resolved's stub; upstream 10.0.0.2)`, `10.0.0.2, 10.0.0.3`. */
export function describeResolver(n: LocalNetwork | undefined): string {
  if (!n?.nameservers.length) return 'the system resolver';
  const list = n.nameservers.join(', ');
  if (!n.stub) return `the system resolver (${list}, from /etc/resolv.conf)`;
  return `systemd-resolved's stub at ${list}${n.upstream ? `, which asks ${n.upstream.join(', ')}` : ''}`;
}

/**
 * node-dns-sd's parsed records as dns-packet answers, the form the rest of core/mdns reads:
 * AAAA addresses compressed (`::1`, not eight groups), TXT pairs as `key=value` strings.
 */
import type { Answer } from 'dns-packet';
import type { DnsSdPacket, DnsSdRecord } from 'node-dns-sd';

/** Every answer, authority and additional record of `packet` that browsing reads; others dropped. */
export function toAnswers(packet: Pick<DnsSdPacket, 'answers' | 'authorities' | 'additionals'>): Answer[] {
  const out: Answer[] = [];
  for (const r of [...packet.answers, ...packet.authorities, ...packet.additionals]) {
    const answer = toAnswer(r);
    if (answer) out.push(answer);
  }
  return out;
}

function toAnswer(r: DnsSdRecord): Answer | undefined {
  const { name, rdata } = r;
  if (r.type === 'A' && typeof rdata === 'string') return { type: 'A', name, data: rdata };
  if (r.type === 'AAAA' && typeof rdata === 'string') return { type: 'AAAA', name, data: compressIpv6(rdata) };
  if (r.type === 'PTR' && typeof rdata === 'string') return { type: 'PTR', name, data: rdata };
  if (r.type === 'SRV' && typeof rdata === 'object' && 'port' in rdata && typeof rdata.target === 'string') {
    const { priority, weight, port, target } = rdata as {
      priority: number;
      weight: number;
      port: number;
      target: string;
    };
    return { type: 'SRV', name, data: { priority, weight, port, target } };
  }
  if (r.type === 'TXT' && typeof rdata === 'object')
    return { type: 'TXT', name, data: Object.entries(rdata).map(([k, v]) => `${k}=${String(v)}`) };
  return undefined;
}

/** `0000:...:0001` as `::1` (the URL parser writes the canonical form of RFC 5952). */
export function compressIpv6(address: string): string {
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address;
  }
}

/**
 * What `gcrwatch discover` does once its options are read: browse DNS-SD for registries, then
 * print them as a table or as NDJSON `discover` events.
 */
import { EventBus } from '../../core/bus.js';
import type { DiscoverEvent } from '../../core/events.js';
import { redactText } from '../../core/log/redact.js';
import { browseRegistries, type DiscoveredRegistry } from '../../core/mdns/browse.js';
import { targetId } from '../../core/targets.js';
import { StreamLineWriter } from '../outputs/line-writer.js';
import { JsonOutput } from '../outputs/json.js';
import type { CliIO } from '../outputs/attach.js';

/** Browse, print, and return the exit status. */
export async function discover(waitSeconds: number, json: boolean, io: CliIO): Promise<number> {
  const err = new StreamLineWriter(io.stderr as unknown as import('node:stream').Writable);
  const found = await browseRegistries(waitSeconds, (text) => err.line(`gcrwatch: warning: mDNS: ${text}`));
  const out = new StreamLineWriter(io.stdout as unknown as import('node:stream').Writable);
  if (json) {
    const bus = new EventBus();
    bus.subscribe(new JsonOutput(out));
    for (const r of found) bus.emit(toEvent(r));
  } else {
    // What responders publish (names, TXT paths) is written like everything else: redacted.
    for (const line of formatDiscovered(found, waitSeconds)) out.line(redactText(line));
  }
  return found.length ? 0 : 1;
}

function toEvent(r: DiscoveredRegistry): Omit<DiscoverEvent, 'v' | 't'> {
  return { type: 'discover', ...r };
}

/** The table `discover` prints. */
export function formatDiscovered(found: DiscoveredRegistry[], waitSeconds: number): string[] {
  if (!found.length) return [`no registry answered over mDNS within ${waitSeconds} s`];
  const rows = found.map((r) => [
    r.name,
    r.service,
    `${r.host}:${r.port}`,
    r.addresses.join(' ') || '-',
    `--target https://${targetId(r.host, r.port)}`,
  ]);
  const header = ['name', 'service', 'host:port', 'addresses', 'watch it with'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((cells) =>
    cells.map((c, i) => (i < cells.length - 1 ? c.padEnd(widths[i]!) : c)).join('  '),
  );
}

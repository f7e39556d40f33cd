/**
 * `gcrwatch discover`: list the registries and caches advertised on the local network over
 * DNS-SD, as a table (with the `--target` to watch each) or as NDJSON `discover` events.
 */
import { EventBus } from '../../core/bus.js';
import type { DiscoverEvent } from '../../core/events.js';
import { redactText } from '../../core/log/redact.js';
import { browseRegistries, type DiscoveredRegistry } from '../../core/mdns/browse.js';
import { targetId } from '../../core/targets.js';
import { parseDuration } from '../duration.js';
import { StreamLineWriter } from '../outputs/line-writer.js';
import { JsonOutput } from '../outputs/json.js';
import type { CliIO } from '../outputs/attach.js';
import type { RegisterCommand } from './index.js';

const EXAMPLES = `
Examples:
  gcrwatch discover                       registries and caches on this network, after 3 s
  gcrwatch discover --wait 1s --json      one NDJSON "discover" event per registry
  gcrwatch --target https://cache.local:5000   then watch one of them

Looks for _docker-registry._tcp and _registry._tcp services, and _http._tcp / _https._tcp
services whose TXT record says path=/v2/, asking again (about a second each) for records the
answers left out. --wait counts in whole seconds (rounded up). Exit status: 0 when something
was found, 1 when not.`;

/** Register `discover`. */
export const registerDiscoverCommand: RegisterCommand = (program, ctx) => {
  program
    .command('discover')
    .description('list container registries advertised on the local network (mDNS / DNS-SD)')
    .option('-w, --wait <duration>', 'how long to listen for answers (whole seconds)', '3s')
    .option('--json', 'NDJSON "discover" events on stdout')
    .addHelpText('after', EXAMPLES)
    .action((opts: { wait: string; json?: boolean }) => {
      const waitSeconds = Math.ceil(parseDuration(opts.wait, '--wait', { min: 100, max: 60_000 }) / 1000);
      ctx.setResult(discover(waitSeconds, Boolean(opts.json || program.opts().json), ctx.io));
    });
};

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

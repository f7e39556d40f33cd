/**
 * DNS-SD browsing (RFC 6763) for registries and pull-through caches on the local network:
 * `_docker-registry._tcp` and `_registry._tcp` services, and `_http._tcp` / `_https._tcp`
 * services whose TXT record names a `/v2/` path (`path=/v2/`). For each instance found by its
 * PTR record, the SRV (host, port), TXT and A/AAAA records are taken from the same responses
 * when the responder included them, and asked for in further rounds when it did not.
 * The queries are node-dns-sd's (run in a worker, `dns-sd-worker.ts`): it listens in whole
 * seconds and sends on the first non-loopback IPv4 interface only.
 */
import { Worker } from 'node:worker_threads';
import type { Answer } from 'dns-packet';
import type { DiscoverEvent } from '../events.js';
import type { DnsSdMessage, DnsSdRound } from './dns-sd-worker.js';
import { addressesOf } from './resolve-local.js';
import { canonicalName } from './mdns-socket.js';

/** Service types that are registries by definition. */
export const REGISTRY_SERVICES = ['_docker-registry._tcp.local', '_registry._tcp.local'];
/** Service types that are registries only when their TXT path is `/v2/`. */
export const HTTP_SERVICES = ['_http._tcp.local', '_https._tcp.local'];

/** A registry found on the local network: the fields of a `discover` event. */
export type DiscoveredRegistry = Omit<DiscoverEvent, 'v' | 't' | 'type'>;

interface Instance {
  /** Lower-cased, for matching. */
  fqdn: string;
  /** As published, for showing. */
  label: string;
  service: string;
  host?: string;
  port?: number;
  txt?: Record<string, string>;
}

/** Everything learnt so far; records may arrive in any order and any response. */
class BrowseState {
  readonly instances = new Map<string, Instance>();
  readonly records: Answer[] = [];

  add(records: Answer[]): void {
    this.records.push(...records);
    for (const r of records) {
      const name = canonicalName(r.name);
      if (r.type === 'PTR' && [...REGISTRY_SERVICES, ...HTTP_SERVICES].includes(name)) {
        const fqdn = canonicalName(r.data);
        if (!this.instances.has(fqdn))
          this.instances.set(fqdn, { fqdn, label: r.data.replace(/\.$/, ''), service: name });
      }
    }
    for (const inst of this.instances.values()) this.fill(inst, records);
  }

  private fill(inst: Instance, records: Answer[]): void {
    for (const r of records) {
      if (canonicalName(r.name) !== inst.fqdn) continue;
      if (r.type === 'SRV') {
        inst.host = canonicalName(r.data.target);
        inst.port = r.data.port;
      }
      if (r.type === 'TXT') inst.txt = parseTxt(r.data);
    }
  }
}

/** TXT strings `key=value` as a map (keys lower-cased, as RFC 6763 §6.4 says they compare). */
export function parseTxt(data: string | Buffer | Array<string | Buffer>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of Array.isArray(data) ? data : [data]) {
    const text = Buffer.isBuffer(item) ? item.toString('utf8') : item;
    const eq = text.indexOf('=');
    if (eq > 0) out[text.slice(0, eq).toLowerCase()] = text.slice(eq + 1);
    else if (text) out[text.toLowerCase()] = '';
  }
  return out;
}

/** The instance label of `fqdn`, with DNS-SD's escapes (`\032` for a space) undone. */
function instanceName(published: string, service: string): string {
  const label = published.toLowerCase().endsWith(`.${service}`) ? published.slice(0, -service.length - 1) : published;
  return label.replace(/\\(\d{3})/g, (_, d: string) => String.fromCharCode(Number(d))).replace(/\\(.)/g, '$1');
}

/** Names still to ask about: instances without SRV or TXT, hosts without an address; none asked twice. */
function missingNames(state: BrowseState, asked: Set<string>): string[] {
  const names: string[] = [];
  const ask = (name: string) => {
    if (!asked.has(canonicalName(name))) {
      asked.add(canonicalName(name));
      names.push(name);
    }
  };
  for (const inst of state.instances.values()) {
    if (inst.port === undefined || !inst.txt) ask(inst.label);
    if (inst.host) {
      const a = addressesOf(state.records, inst.host);
      if (!a.v4.length && !a.v6.length) ask(inst.host);
    }
  }
  return names;
}

function isRegistry(inst: Instance): boolean {
  if (REGISTRY_SERVICES.includes(inst.service)) return true;
  return /^\/v2\/?$/.test(inst.txt?.path ?? '');
}

/** Follow-up rounds (SRV/TXT, then addresses) at most, and how long each listens. */
const FOLLOW_UPS = 2;
const FOLLOW_UP_SECONDS = 1;

/**
 * Browse for `waitSeconds` (a whole number, at least 1), ask for what the answers left out,
 * and return the registries found, sorted by name. `onPrinted` receives any text node-dns-sd
 * printed (a failure to join the group on an interface).
 */
export async function browseRegistries(
  waitSeconds: number,
  onPrinted: (text: string) => void = () => undefined,
): Promise<DiscoveredRegistry[]> {
  const state = new BrowseState();
  const asked = new Set<string>();
  const rounds = startDnsSd((records) => state.add(records), onPrinted);
  try {
    await rounds.ask({ names: [...REGISTRY_SERVICES, ...HTTP_SERVICES], type: 'PTR', waitSeconds });
    for (let i = 0; i < FOLLOW_UPS; i++) {
      const names = missingNames(state, asked);
      if (!names.length) break;
      await rounds.ask({ names, type: '*', waitSeconds: FOLLOW_UP_SECONDS });
    }
  } finally {
    await rounds.close();
  }
  return [...state.instances.values()]
    .filter((inst) => inst.host && inst.port !== undefined && isRegistry(inst))
    .map((inst) => {
      const a = addressesOf(state.records, inst.host!);
      const found: DiscoveredRegistry = {
        name: instanceName(inst.label, inst.service),
        service: inst.service.replace(/\.local$/, ''),
        host: inst.host!,
        port: inst.port!,
        addresses: [...a.v4, ...a.v6],
      };
      if (inst.txt?.path) found.path = inst.txt.path;
      return found;
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * What node-dns-sd prints when an interface has a second address: the group is joined already
 * through the first (EADDRINUSE), and so cannot be left through the second (EADDRNOTAVAIL).
 */
const HARMLESS = /^Catching error on (address already in use|dropMembership): .*"(EADDRINUSE|EADDRNOTAVAIL)"/;

/** The worker running node-dns-sd: one round at a time. */
function startDnsSd(
  onRecords: (records: Answer[]) => void,
  onPrinted: (text: string) => void,
): { ask(round: DnsSdRound): Promise<void>; close(): Promise<void> } {
  const worker = new Worker(new URL('./dns-sd-worker.js', import.meta.url), { stdout: true });
  worker.stdout.setEncoding('utf8').on('data', (text: string) => {
    for (const line of text.split('\n')) if (line.trim() && !HARMLESS.test(line)) onPrinted(line.trim());
  });
  let pending: { resolve(): void; reject(err: Error): void } | undefined;
  worker.on('message', (m: DnsSdMessage) => {
    if ('records' in m) onRecords(m.records);
    else if ('done' in m) pending?.resolve();
    else pending?.reject(new Error(`mDNS discovery failed: ${m.error}`));
  });
  worker.on('error', (err) => pending?.reject(err));
  return {
    ask: (round) =>
      new Promise((resolve, reject) => {
        pending = { resolve, reject };
        worker.postMessage(round);
      }),
    close: async () => {
      await worker.terminate();
    },
  };
}

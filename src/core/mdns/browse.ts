/**
 * DNS-SD browsing (RFC 6763) for registries and pull-through caches on the local network:
 * `_docker-registry._tcp` and `_registry._tcp` services, and `_http._tcp` / `_https._tcp`
 * services whose TXT record names a `/v2/` path (`path=/v2/`). For each instance found by its
 * PTR record, the SRV (host, port), TXT and A/AAAA records are taken from the same responses
 * when the responder included them, and asked for when it did not.
 */
import type { Answer, Question } from 'dns-packet';
import type { DiscoverEvent } from '../events.js';
import { addressesOf } from './resolve-local.js';
import { canonicalName, openMdnsQuerier, type MdnsQuerier } from './mdns-socket.js';

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

/** Ask for what is missing: SRV/TXT of instances, addresses of their hosts. */
function askForMissing(state: BrowseState, querier: MdnsQuerier, asked: Set<string>): void {
  const questions: Question[] = [];
  const ask = (q: Question) => {
    const key = `${q.type} ${q.name}`;
    if (!asked.has(key)) {
      asked.add(key);
      questions.push(q);
    }
  };
  for (const inst of state.instances.values()) {
    if (inst.port === undefined) ask({ type: 'SRV', name: inst.fqdn });
    if (!inst.txt) ask({ type: 'TXT', name: inst.fqdn });
    if (inst.host) {
      const a = addressesOf(state.records, inst.host);
      if (!a.v4.length && !a.v6.length) {
        ask({ type: 'A', name: inst.host });
        ask({ type: 'AAAA', name: inst.host });
      }
    }
  }
  if (questions.length) querier.send(questions);
}

function isRegistry(inst: Instance): boolean {
  if (REGISTRY_SERVICES.includes(inst.service)) return true;
  return /^\/v2\/?$/.test(inst.txt?.path ?? '');
}

/** Browse for `waitMs` and return the registries found, sorted by name. */
export async function browseRegistries(waitMs: number, signal?: AbortSignal): Promise<DiscoveredRegistry[]> {
  const state = new BrowseState();
  const asked = new Set<string>();
  // An answer can arrive before the querier is handed back: the holder is empty until then.
  const holder: { querier?: MdnsQuerier } = {};
  const querier = await openMdnsQuerier(({ records }) => {
    state.add(records);
    if (holder.querier) askForMissing(state, holder.querier, asked);
  });
  holder.querier = querier;
  try {
    querier.send([...REGISTRY_SERVICES, ...HTTP_SERVICES].map((name) => ({ type: 'PTR' as const, name })));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, waitMs);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  } finally {
    querier.close();
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

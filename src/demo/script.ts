/**
 * The demo's scripted trouble, as a pure function of the time into a repeating cycle: what
 * each simulated registry host suffers at that moment. The runner (`scenario.ts`) applies
 * it to the real servers; the probes and the demo push then meet it for real.
 *
 *   gcr.io (the push target)  TLS handshakes slow down (6 s), then stall: timeouts (16-28 s)
 *   eu.gcr.io                 the resolver answers SERVFAIL (32-46 s)
 *   us-docker.pkg.dev         /v2/ answers 503 with Retry-After (52-62 s)
 *   the others                healthy all along, for comparison
 */

/** The simulated registry hosts, in table order; the first is the push target. */
export const DEMO_HOSTS: readonly string[] = [
  'gcr.io',
  'eu.gcr.io',
  'asia.gcr.io',
  'us-docker.pkg.dev',
  'europe-docker.pkg.dev',
];

/** The push target of the demo push. */
export const DEMO_PUSH_HOST = 'gcr.io';

/** The script repeats with this period. */
export const DEMO_CYCLE_MS = 80_000;

/** What one host suffers at a moment. */
export interface HostConditions {
  /** Hold the server's first TLS bytes this long (a slow handshake). */
  tlsDelayMs: number;
  /** Accept connections and never answer (TLS handshake timeouts). */
  tlsStall: boolean;
  /** The resolver answers SERVFAIL for the host. */
  dnsFailing: boolean;
  /** `/v2/` answers this status (with Retry-After) instead of the 401 challenge. */
  httpStatus?: number;
}

/** A phase of the script, with what the event log says when it starts. */
interface Spell {
  host: string;
  from: number;
  to: number;
  set: Partial<HostConditions>;
  says: string;
}

const SPELLS: readonly Spell[] = [
  { host: 'gcr.io', from: 6_000, to: 10_000, set: { tlsDelayMs: 120 }, says: 'gcr.io: TLS handshakes slow down' },
  { host: 'gcr.io', from: 10_000, to: 13_000, set: { tlsDelayMs: 350 }, says: 'gcr.io: TLS handshakes slower still' },
  {
    host: 'gcr.io',
    from: 13_000,
    to: 16_000,
    set: { tlsDelayMs: 800 },
    says: 'gcr.io: TLS handshakes close to the timeout',
  },
  {
    host: 'gcr.io',
    from: 16_000,
    to: 28_000,
    set: { tlsStall: true },
    says: 'gcr.io: TLS handshakes stall (timeouts)',
  },
  {
    host: 'eu.gcr.io',
    from: 32_000,
    to: 46_000,
    set: { dnsFailing: true },
    says: 'eu.gcr.io: the resolver answers SERVFAIL',
  },
  {
    host: 'us-docker.pkg.dev',
    from: 52_000,
    to: 62_000,
    set: { httpStatus: 503 },
    says: 'us-docker.pkg.dev: the registry answers 503',
  },
];

const HEALTHY: HostConditions = { tlsDelayMs: 0, tlsStall: false, dnsFailing: false };

/** What `host` suffers `ms` after the demo started. */
export function conditionsAt(host: string, ms: number): HostConditions {
  const t = ((ms % DEMO_CYCLE_MS) + DEMO_CYCLE_MS) % DEMO_CYCLE_MS;
  const spell = SPELLS.find((s) => s.host === host && t >= s.from && t < s.to);
  return spell ? { ...HEALTHY, ...spell.set } : { ...HEALTHY };
}

/** What the script announces between `fromMs` (excluded) and `toMs` (included): spells starting and ending. */
export function announcementsBetween(fromMs: number, toMs: number): string[] {
  const out: string[] = [];
  for (let cycle = Math.floor(Math.max(0, fromMs) / DEMO_CYCLE_MS); cycle * DEMO_CYCLE_MS <= toMs; cycle++) {
    const base = cycle * DEMO_CYCLE_MS;
    for (const s of SPELLS) {
      if (base + s.from > fromMs && base + s.from <= toMs) out.push(`DEMO script: ${s.says}`);
      const next = SPELLS.find((n) => n.host === s.host && n.from === s.to);
      if (!next && base + s.to > fromMs && base + s.to <= toMs) out.push(`DEMO script: ${s.host} back to normal`);
    }
  }
  return out;
}

/** True when two conditions differ (the runner only touches a server when they do). */
export function sameConditions(a: HostConditions, b: HostConditions): boolean {
  return (
    a.tlsDelayMs === b.tlsDelayMs &&
    a.tlsStall === b.tlsStall &&
    a.dnsFailing === b.dnsFailing &&
    a.httpStatus === b.httpStatus
  );
}

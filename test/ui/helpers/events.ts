/**
 * Building session events for UI tests: the same shapes the probes, the push wrapper and
 * the credential checks emit (the recorded fixture under test/fixtures/ui holds real ones).
 */
import type { ErrorCode, FailurePhase } from '../../../src/core/errors.js';
import { ERROR_CODES } from '../../../src/core/errors.js';
import type {
  PhaseTimes,
  ProbeEvent,
  PushStartEvent,
  SessionEvent,
  SessionStartEvent,
  TargetInfo,
} from '../../../src/core/events.js';
import { SCHEMA_VERSION } from '../../../src/core/events.js';
import { SessionStore } from '../../../src/core/store.js';

/** A fixed start time for tests. */
export const T0 = Date.parse('2026-01-02T03:04:00.000Z');

/** ISO time `ms` after T0. */
export function at(ms: number): string {
  return new Date(T0 + ms).toISOString();
}

/** session.start for `ids` probed every `intervalMs`. */
export function sessionStart(
  ids: string[],
  intervalMs = 1000,
  extra: Partial<SessionStartEvent> = {},
): SessionStartEvent {
  const targets: TargetInfo[] = ids.map((id) => ({ id, host: id.replace(/:\d+$/, ''), port: 443, source: 'flag' }));
  return {
    v: SCHEMA_VERSION,
    t: at(0),
    type: 'session.start',
    version: '0.1.0',
    node: 'v20',
    platform: 'linux-x64',
    mode: 'tui',
    targets,
    options: { intervalMs },
    ...extra,
  };
}

/** A successful round at `ms` with the given phase times. */
export function okProbe(target: string, ms: number, phases: PhaseTimes, round = 0): ProbeEvent {
  return {
    v: SCHEMA_VERSION,
    t: at(ms),
    type: 'probe',
    target,
    round,
    kind: 'round',
    ok: true,
    ms: phases.total ?? 0,
    phases,
    details: {
      address: '127.0.0.1',
      family: 4,
      dns: [{ resolver: 'system', ok: true, ms: phases.dns ?? 0, v4: ['127.0.0.1'], v6: ['::1'] }],
      tcp: [{ family: 4, address: '127.0.0.1', ok: true, ms: phases.connect ?? 0 }],
      tls: { protocol: 'TLSv1.3', verified: true, daysLeft: 89 },
      http: { status: 401 },
    },
  };
}

/** A failed round at `ms`, failing with `code` in `phase` after the given phases. */
export function failedProbe(
  target: string,
  ms: number,
  code: ErrorCode,
  phase: FailurePhase,
  phases: PhaseTimes = {},
  round = 0,
): ProbeEvent {
  return {
    v: SCHEMA_VERSION,
    t: at(ms),
    type: 'probe',
    target,
    round,
    kind: 'round',
    ok: false,
    ms: phases.total ?? 0,
    phases,
    details: {},
    error: { code, category: ERROR_CODES[code].category, phase, message: `${code} for the test` },
  };
}

/** Any other event at `ms`. */
export function event<E extends SessionEvent>(ms: number, body: Omit<E, 'v' | 't'>): E {
  return { v: SCHEMA_VERSION, t: at(ms), ...body } as E;
}

/** push.start of `argv` to `registry` at `ms`. */
export function pushStart(argv: string[], registry = 'gcr.io', ms = 0): PushStartEvent {
  return event<PushStartEvent>(ms, { type: 'push.start', argv, tool: argv[0] ?? 'docker', registry });
}

/** A store fed with `events` and flushed. */
export function storeOf(events: SessionEvent[]): SessionStore {
  const store = new SessionStore();
  for (const e of events) store.onEvent(e);
  store.flush();
  return store;
}

/** Rounds of `target` every `intervalMs` from `fromMs`, total latency from `totals` (undefined = a TLS timeout). */
export function rounds(
  target: string,
  totals: (number | undefined)[],
  intervalMs = 1000,
  fromMs = intervalMs,
): ProbeEvent[] {
  return totals.map((total, i) => {
    const ms = fromMs + i * intervalMs;
    return total === undefined
      ? failedProbe(target, ms, 'tls.timeout', 'tls', { dns: 1, connect: 1, tls: 5000, total: 5002 }, i)
      : okProbe(target, ms, { dns: 1, connect: 1, tls: total / 2, ttfb: total / 2 - 2, total }, i);
  });
}

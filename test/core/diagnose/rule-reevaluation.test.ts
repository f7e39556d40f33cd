/**
 * A rule asks the engine to re-evaluate its findings only when they may have changed. Asking
 * less must never change what the diagnosis says: over the scenario logs and streams built to
 * make findings come and go with time (5xx bursts, 429 with Retry-After, a skewed clock), the
 * engine emits exactly what it emits when every rule is re-evaluated on every event. And on a
 * healthy stream no rule asks at every probe.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosisEngine } from '../../../src/core/diagnose/engine.js';
import { DEFAULT_RULES } from '../../../src/core/diagnose/rules/index.js';
import type { RuleFactory } from '../../../src/core/diagnose/types.js';
import type { EventInput, SessionEvent } from '../../../src/core/events.js';
import { SessionBuilder } from '../../support/session-builder.js';
import { readLog } from '../../support/session-log.js';

const SCENARIOS = path.join(import.meta.dirname, '..', '..', 'scenarios');

/** The same rules, each re-evaluated after every event it observes. */
const ALWAYS: RuleFactory[] = DEFAULT_RULES.map((make) => () => {
  const rule = make();
  return {
    ...rule,
    observe: (event, facts) => {
      rule.observe(event, facts);
      return true;
    },
  };
});

function diagnose(events: SessionEvent[], rules: readonly RuleFactory[]): EventInput[] {
  const emitted: EventInput[] = [];
  const engine = new DiagnosisEngine((e) => emitted.push(e), { rules });
  for (const e of events) engine.onEvent(e);
  engine.finish();
  return emitted;
}

const HOSTS = ['gcr.io', 'us.gcr.io', 'eu.gcr.io'];

/** Streams where findings appear and then go with the passing of time alone. */
const BUILT: Record<string, () => SessionEvent[]> = {
  '5xx bursts, then quiet for longer than the span': () =>
    new SessionBuilder(7)
      .start(HOSTS)
      .probeRounds(HOSTS, 0, 60, 2, (h, s) => (s >= 20 && s <= 30 && h === 'eu.gcr.io' ? { error: 'http.5xx' } : {}))
      .probeRounds(HOSTS, 62, 700, 2)
      .probeRounds(HOSTS, 702, 720, 2, (h) => (h === 'gcr.io' ? { error: 'http.5xx' } : {}))
      .probeRounds(HOSTS, 722, 1100, 2)
      .build(),
  '429 asking to wait longer than five minutes, then healthy': () =>
    new SessionBuilder(8)
      .start(HOSTS)
      .probeRounds(HOSTS, 0, 20, 2)
      .probeRounds(HOSTS, 22, 30, 2, (h) => (h === 'us.gcr.io' ? { error: 'http.429', retryAfterSeconds: 420 } : {}))
      .probeRounds(HOSTS, 32, 900, 2)
      .build(),
  'a clock that drifts past a minute and comes back': () =>
    new SessionBuilder(9)
      .start(HOSTS)
      .probeRounds(HOSTS, 0, 300, 2, (_h, s) => ({
        dateOffsetSeconds: s < 100 ? 0 : s < 200 ? -90 - (s - 100) : 0,
      }))
      .build(),
};

describe('re-evaluating rules only when their findings may change', () => {
  const logs = readdirSync(SCENARIOS, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => [`scenario ${d.name}`, () => readLog(path.join(SCENARIOS, d.name, 'session.ndjson'))] as const);

  it.each([...logs, ...Object.entries(BUILT)])('%s: the same findings as re-evaluating always', (_name, events) => {
    const stream = events();
    const always = diagnose(stream, ALWAYS);
    expect(diagnose(stream, DEFAULT_RULES)).toEqual(always);
  });

  it('the built streams raise and clear the findings they are about', () => {
    const codes = (events: SessionEvent[]) =>
      diagnose(events, DEFAULT_RULES).map((e) => `${(e as { code: string }).code}${'cleared' in e ? ' cleared' : ''}`);
    expect(codes(BUILT['5xx bursts, then quiet for longer than the span']!())).toEqual(
      expect.arrayContaining(['registry.server_errors', 'registry.server_errors cleared']),
    );
    expect(codes(BUILT['429 asking to wait longer than five minutes, then healthy']!())).toEqual(
      expect.arrayContaining(['registry.rate_limited', 'registry.rate_limited cleared']),
    );
    expect(codes(BUILT['a clock that drifts past a minute and comes back']!())).toEqual(
      expect.arrayContaining(['local.clock_skew', 'local.clock_skew cleared']),
    );
  });

  it('on a healthy stream, no rule asks again at every probe', () => {
    const events = new SessionBuilder(10)
      .start(HOSTS)
      .probeRounds(HOSTS, 0, 600, 2, () => ({ dateOffsetSeconds: 0 }))
      .build();
    const asked = new Map<string, number>();
    const counting = DEFAULT_RULES.map((make) => () => {
      const rule = make();
      return {
        ...rule,
        observe: (event: SessionEvent, facts: Parameters<typeof rule.observe>[1]) => {
          const again = rule.observe(event, facts);
          if (again && event.type === 'probe') asked.set(rule.name, (asked.get(rule.name) ?? 0) + 1);
          return again;
        },
      };
    });
    diagnose(events, counting);
    const probes = events.filter((e) => e.type === 'probe').length;
    const everyProbe = [...asked].filter(([, n]) => n > probes / 10).map(([name]) => name);
    expect(everyProbe).toEqual([]);
  });
});

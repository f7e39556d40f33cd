import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/bus.js';
import { SCHEMA_VERSION, type SessionEvent } from '../../src/core/events.js';
import { SessionStore } from '../../src/core/store.js';

const probe = (target: string, ok: boolean, tls = 10) => ({
  type: 'probe' as const,
  target,
  round: 0,
  kind: 'round' as const,
  ok,
  ms: tls + 5,
  phases: { dns: 1, connect: 2, tls, ttfb: 2, total: tls + 5 },
  details: {},
  ...(ok ? {} : { error: { code: 'tls.timeout' as const, category: 'network' as const, message: 'slow' } }),
});

describe('EventBus', () => {
  it('stamps v and t and delivers to every sink in order', () => {
    const bus = new EventBus(() => Date.parse('2026-11-27T10:00:00.123Z'));
    const a: string[] = [];
    const b: string[] = [];
    bus.subscribe({ name: 'a', onEvent: (e) => a.push(e.type) });
    bus.subscribe({ name: 'b', onEvent: (e) => b.push(e.type) });
    const e = bus.emit({ type: 'warning', code: 'local.error', message: 'm' });
    expect(e).toMatchObject({ v: SCHEMA_VERSION, t: '2026-11-27T10:00:00.123Z' });
    expect(a).toEqual(['warning']);
    expect(b).toEqual(['warning']);
  });

  it('queues events emitted by a sink so every sink sees one order', () => {
    const bus = new EventBus();
    const seenBySecond: string[] = [];
    bus.subscribe({
      name: 'reactor',
      onEvent: (e) => {
        if (e.type === 'probe') bus.emit({ type: 'warning', code: 'local.error', message: 'reaction' });
      },
    });
    bus.subscribe({ name: 'second', onEvent: (e) => seenBySecond.push(e.type) });
    bus.emit(probe('gcr.io', true));
    expect(seenBySecond).toEqual(['probe', 'warning']);
  });

  it('a failing sink is reported once and loses no event for the others', () => {
    const bus = new EventBus();
    const seen: SessionEvent[] = [];
    bus.subscribe({
      name: 'broken',
      onEvent: () => {
        throw new Error('kaput');
      },
    });
    bus.subscribe({ name: 'fine', onEvent: (e) => seen.push(e) });
    for (let i = 0; i < 3; i++) bus.emit(probe('gcr.io', true));
    expect(seen.filter((e) => e.type === 'probe')).toHaveLength(3);
    const warnings = seen.filter((e) => e.type === 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ message: 'broken failed: kaput' });
  });
});

describe('SessionStore', () => {
  it('folds probes into per-target state and notifies once per burst', () => {
    const bus = new EventBus();
    const store = new SessionStore();
    bus.subscribe(store);
    let notified = 0;
    store.subscribe(() => notified++);
    const before = store.getSnapshot();
    bus.emit({
      type: 'session.start',
      version: '0',
      node: 'v20',
      platform: 'linux',
      mode: 'plain',
      options: {},
      targets: [{ id: 'gcr.io', host: 'gcr.io', port: 443, source: 'default' }],
    });
    bus.emitMany([probe('gcr.io', true, 10), probe('gcr.io', true, 20), probe('gcr.io', false)]);
    expect(notified).toBe(2);
    expect(store.getSnapshot()).not.toBe(before);
    expect(store.getSnapshot()).toBe(store.getSnapshot());
    const t = store.state.targets.get('gcr.io')!;
    expect(t.stats.rounds).toBe(3);
    expect(t.history.size).toBe(3);
    expect(t.last?.ok).toBe(false);
    expect(t.stats.figures('tls').p95).toBe(20);
  });

  it('records only changes of health in the event log', () => {
    const store = new SessionStore();
    const bus = new EventBus();
    bus.subscribe(store);
    for (let i = 0; i < 10; i++) bus.emit(probe('gcr.io', true));
    bus.emit(probe('gcr.io', false));
    bus.emit(probe('gcr.io', false));
    bus.emit(probe('gcr.io', true));
    const recent = store.state.recent.toArray().map((e) => (e.type === 'probe' ? e.ok : e.type));
    expect(recent).toEqual([true, false, true]);
  });

  it('keeps the push state, markers and findings', () => {
    const store = new SessionStore();
    const bus = new EventBus();
    bus.subscribe(store);
    bus.emit({
      type: 'push.start',
      argv: ['docker', 'push', 'gcr.io/p/a'],
      tool: 'docker',
      registry: 'gcr.io',
      repository: 'p/a',
    });
    bus.emit({ type: 'push.layer', layer: 'abc', state: 'pushing' });
    bus.emit({ type: 'push.retry', layer: 'abc', attempt: 1, delaySeconds: 5 });
    bus.emit({
      type: 'diagnosis',
      category: 'network',
      code: 'network.endpoint_failing',
      summary: 's',
      evidence: [],
      confidence: 'high',
      advice: 'a',
    });
    bus.emit({
      type: 'diagnosis',
      category: 'network',
      code: 'network.endpoint_failing',
      summary: 's',
      evidence: [],
      confidence: 'high',
      advice: 'a',
      cleared: true,
    });
    expect(store.state.push?.retries).toBe(1);
    expect(store.state.push?.layers.get('abc')).toMatchObject({ state: 'pushing', retries: 1 });
    expect(store.state.markers.toArray().map((e) => e.type)).toEqual(['push.start', 'push.retry']);
    expect(store.state.findings.size).toBe(0);
  });
});

import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/core/bus.js';
import { DiagnosisEngine } from '../../../src/core/diagnose/engine.js';
import { PROBE_HISTORY } from '../../../src/core/diagnose/facts.js';
import { rankFindings, scoreOf, topFinding } from '../../../src/core/diagnose/rank.js';
import { failure } from '../../../src/core/errors.js';
import type { DiagnosisEvent, SessionEvent } from '../../../src/core/events.js';
import { Session } from '../../../src/core/session.js';
import { SessionStore } from '../../../src/core/store.js';
import { SessionBuilder } from '../../support/session-builder.js';

function run(events: SessionEvent[], refreshMs?: number) {
  const emitted: DiagnosisEvent[] = [];
  const engine = new DiagnosisEngine(
    (e) => {
      if (e.type === 'diagnosis') emitted.push(e as DiagnosisEvent);
    },
    refreshMs ? { refreshMs } : {},
  );
  for (const e of events) engine.onEvent(e);
  return { engine, emitted };
}

describe('DiagnosisEngine', () => {
  it('emits a finding when it appears, at the time of the event that raised it, with a score', () => {
    // One lost round in four is not enough; the second (30 % of five rounds) is.
    const b = new SessionBuilder(201)
      .start(['gcr.io'])
      .probeRounds(['gcr.io'], 0, 4, 2)
      .at(6)
      .probe('gcr.io', { error: 'tcp.refused' });
    expect(run(b.build()).emitted).toEqual([]);
    const { emitted } = run(b.at(8).probe('gcr.io', { error: 'tcp.refused' }).build());
    expect(emitted).toHaveLength(1);
    expect(emitted[0]).toMatchObject({
      type: 'diagnosis',
      code: 'network.endpoint_failing',
      t: '2026-03-02T10:00:08.000Z',
    });
    expect(emitted[0]!.score).toBeGreaterThan(0);
  });

  it('emits a cleared finding when it no longer holds', () => {
    const b = new SessionBuilder(202)
      .start(['gcr.io'])
      .probeRounds(['gcr.io'], 0, 30, 2, (_h, s) => (s < 6 ? { error: 'tcp.refused' } : {}));
    const { engine, emitted } = run(b.build());
    const last = emitted[emitted.length - 1]!;
    expect(last).toMatchObject({ code: 'network.endpoint_failing', cleared: true });
    expect(engine.current()).toEqual([]);
    expect(engine.history()[0]).toMatchObject({ clearedAt: last.t });
  });

  it('holds back evidence-only changes until refreshMs has passed, and emits them at finish', () => {
    const b = new SessionBuilder(203)
      .start(['gcr.io'])
      .probeRounds(['gcr.io'], 0, 20, 2, () => ({ v6: 'tcp.timeout' }));
    const { engine, emitted } = run(b.build(), 60_000);
    const before = emitted.length;
    // Raised at low (one round: thin), then high at the third round (stated by three connects): the counts in evidence kept changing.
    expect(emitted.map((e) => e.confidence)).toEqual(['low', 'high']);
    engine.finish();
    expect(emitted.length).toBe(before + 1);
    expect(emitted[emitted.length - 1]!.evidence[0]).toContain('in 5 of the last 5 rounds (last 10:00:20Z)');
  });

  it('holds back a summary whose numbers alone change: a retry per line made a diagnosis event per retry', () => {
    const b = new SessionBuilder(204)
      .start(['gcr.io'], { push: 'gcr.io' })
      .at(1)
      .pushStart('gcr.io/p/a:1')
      .layer('big', 'pushing');
    for (let i = 1; i <= 2000; i++) b.at(2 + i / 1000).retry('big', i, 'connection reset by peer');
    const { engine, emitted } = run(b.build());
    const large = () => emitted.filter((e) => e.code === 'image.large_layer_retries');
    expect(large().length).toBeLessThanOrEqual(3);
    engine.finish();
    expect(large().at(-1)!.summary).toContain('retried 2000 times');
  });

  it('says a finding once per round, not once per endpoint whose failure changes its count', () => {
    const hosts = ['gcr.io', 'us.gcr.io', 'eu.gcr.io', 'asia.gcr.io', 'us-docker.pkg.dev'];
    // Every endpoint fails DNS; within a round the endpoints come in a few ms apart.
    const b = new SessionBuilder(205).start(hosts).probeRounds(hosts, 0, 20, 2, () => ({ error: 'dns.nxdomain' }));
    const { engine, emitted } = run(b.build());
    engine.finish();
    const summaries = emitted.filter((e) => e.code === 'network.endpoint_failing');
    // Raised, then raised in confidence, then the final wording: not one line per endpoint.
    expect(summaries.length).toBeLessThanOrEqual(4);
    expect(summaries.at(-1)!.summary).toContain('5 registry endpoints');
  });

  it("ignores diagnosis events it is fed (a log's earlier findings)", () => {
    const old: SessionEvent = {
      v: 1,
      t: '2026-03-02T10:00:00.000Z',
      type: 'diagnosis',
      category: 'auth',
      code: 'auth.denied',
      summary: 's',
      evidence: [],
      confidence: 'high',
      advice: 'a',
    };
    const { engine, emitted } = run([old]);
    expect(emitted).toEqual([]);
    expect(engine.history()).toEqual([]);
  });

  it('keeps a bounded probe history whatever the number of events', () => {
    const engine = new DiagnosisEngine();
    const t0 = Date.parse('2026-03-02T10:00:00.000Z');
    for (let i = 0; i < 20_000; i++) {
      engine.onEvent({
        v: 1,
        t: new Date(t0 + i * 1000).toISOString(),
        type: 'probe',
        target: `h${i % 4}.gcr.io`,
        round: i,
        kind: 'round',
        ok: i % 7 !== 0,
        ms: 50,
        phases: { total: 50 },
        details: {},
        ...(i % 7 === 0 ? { error: failure('tcp.timeout', 'x', 'connect') } : {}),
      });
    }
    for (let h = 0; h < 4; h++) expect(engine.facts.probesOf(`h${h}.gcr.io`)).toHaveLength(PROBE_HISTORY);
  });
});

describe('ranking', () => {
  const f = (code: string, confidence: DiagnosisEvent['confidence'], extra: Partial<DiagnosisEvent> = {}) =>
    ({ code, confidence, ...extra }) as Pick<DiagnosisEvent, 'code' | 'confidence' | 'score' | 'cleared'>;

  it("puts a refusal in the registry's words above a warning, and high confidence above low", () => {
    const ranked = rankFindings([
      f('network.ipv6_unreachable', 'high'),
      f('auth.push_denied', 'high'),
      f('auth.push_denied', 'low', { code: 'auth.unauthorized' }),
    ]);
    expect(ranked.map((r) => r.code)).toEqual(['auth.push_denied', 'auth.unauthorized', 'network.ipv6_unreachable']);
  });

  it("uses the event's own score, and ranks a cleared finding a little lower", () => {
    expect(
      topFinding([f('network.upload_path', 'high', { score: 90 }), f('registry.server_errors', 'high', { score: 85 })])
        ?.code,
    ).toBe('network.upload_path');
    expect(scoreOf(f('x', 'high', { score: 80, cleared: true }))).toBe(70);
    expect(topFinding([])).toBeUndefined();
  });
});

describe('a live session', () => {
  it('puts findings on the bus: in the store and in the log', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-diag-'));
    const logPath = path.join(dir, 'session.ndjson');
    const session = new Session({
      version: 'test',
      mode: 'plain',
      targets: [{ id: 'gcr.io', host: 'gcr.io', port: 443, source: 'flag' }],
      intervalMs: 100,
      probe: { timeoutMs: 100, pins: new Map(), dnsServers: [], userAgent: 'test' },
      logPath,
      maxRounds: 3,
      recordedOptions: {},
      roundRunner: async () => ({
        ok: false,
        ms: 1,
        phases: { dns: 1, total: 1 },
        details: {},
        error: failure('dns.nxdomain', 'getaddrinfo ENOTFOUND gcr.io', 'dns'),
      }),
    });
    session.start();
    await session.scheduler.done;
    await session.stop('rounds');
    expect(session.store.state.findings.get('network.endpoint_failing')).toMatchObject({ category: 'network' });
    const logged = readFileSync(logPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as SessionEvent);
    expect(logged.filter((e) => e.type === 'diagnosis').length).toBeGreaterThan(0);
    expect(logged[logged.length - 1]!.type).toBe('session.end');
  });

  it('delivers findings to every sink after the event that raised them', () => {
    const bus = new EventBus();
    const store = new SessionStore();
    const seen: string[] = [];
    bus.subscribe(store);
    bus.subscribe(new DiagnosisEngine((e) => bus.emit(e)));
    bus.subscribe({ name: 'order', onEvent: (e) => seen.push(e.type) });
    for (const e of new SessionBuilder(204).start(['gcr.io']).at(1).probe('gcr.io', { error: 'tcp.refused' }).build())
      bus.emitStamped(e);
    expect(seen).toEqual(['session.start', 'probe', 'diagnosis']);
    expect(store.state.findings.size).toBe(1);
  });
});

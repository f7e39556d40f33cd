/**
 * A plain session ends with the verdict and its next step, as `doctor` does (issue 13): in the
 * sink, for a healthy and a failing session, and from the real CLI with `--plain --duration`.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/core/bus.js';
import { DiagnosisEngine } from '../../../src/core/diagnose/engine.js';
import type { EventInput, TargetSummary } from '../../../src/core/events.js';
import { VerdictPlainOutput } from '../../../src/cli/outputs/verdict-plain.js';
import { runCli } from '../../support/run-cli.js';

function session() {
  const lines: string[] = [];
  const bus = new EventBus();
  const diagnosis = new DiagnosisEngine((f) => bus.emit(f));
  bus.subscribe(diagnosis);
  bus.subscribe(new VerdictPlainOutput({ line: (l) => lines.push(l) }, () => diagnosis.history()));
  const emit = (e: EventInput) => bus.emit(e);
  emit({
    type: 'session.start',
    version: '0',
    node: 'v20',
    platform: 'linux',
    mode: 'plain',
    options: {},
    targets: [{ id: 'gcr.io', host: 'gcr.io', port: 443, source: 'default' }],
  });
  return { lines, emit };
}

const summary = (ok: number): TargetSummary[] => [
  { target: 'gcr.io', rounds: 2, ok, lossPct: ok === 2 ? 0 : 50, lastOk: ok === 2, p50: {}, p95: {} },
];

describe('VerdictPlainOutput', () => {
  it('says "No problem found" for a healthy session, and nothing before session.end', () => {
    const { lines, emit } = session();
    emit({
      type: 'probe',
      target: 'gcr.io',
      round: 1,
      kind: 'round',
      ok: true,
      ms: 5,
      phases: { total: 5 },
      details: {},
    });
    expect(lines).toEqual([]);
    emit({ type: 'session.end', reason: 'duration', exitCode: 0, summary: summary(2) });
    expect(lines).toEqual([
      '',
      'verdict: No problem found.',
      '  Every probe round succeeded and no push or credential problem was seen.',
    ]);
  });

  it('ends a session whose endpoint fails with the verdict and its next step', () => {
    const { lines, emit } = session();
    for (const round of [1, 2, 3])
      emit({
        type: 'probe',
        target: 'gcr.io',
        round,
        kind: 'round',
        ok: false,
        ms: 5,
        phases: {},
        details: {},
        error: { code: 'tcp.refused', category: 'network', message: 'connect ECONNREFUSED' },
      });
    emit({ type: 'session.end', reason: 'duration', exitCode: 1, summary: summary(0) });
    expect(lines[1]).toMatch(/^verdict: Network \(network\.endpoint_failing, \w+ confidence\)\.$/);
    expect(lines.at(-1)).toMatch(/^ {2}next step: Connections to gcr\.io fail/);
  });
});

describe('gcrwatch --plain --duration', () => {
  it('ends with the verdict and the next step', async () => {
    const r = await runCli(
      ['--plain', '--duration', '1s', '--only', '--target', '127.0.0.1:9', '--no-log', '--no-config'],
      {
        timeoutMs: 30_000,
      },
    );
    expect(r.code).toBe(1);
    const last = r.stdout.trimEnd().split('\n').slice(-3);
    expect(last[0]).toMatch(/^verdict: Network \(network\.endpoint_failing, \w+ confidence\)\.$/);
    expect(last[1]).toBe('  127.0.0.1:9 fails its probes: TCP connects fail with tcp.refused.');
    expect(last[2]).toMatch(/^ {2}next step: Connections to 127\.0\.0\.1:9 fail: check firewalls/);
  });
});

/**
 * A plain session ends with the verdict and its next step, as `doctor` does (issue 13): in the
 * sink, for a healthy and a failing session, and from the real CLI with `--plain --duration`.
 */
import { describe, expect, it } from 'vitest';
import { DiagnosisEngine } from '../../../src/core/diagnose/engine.js';
import { VerdictPlainOutput } from '../../../src/cli/outputs/verdict-plain.js';
import { runCli } from '../../support/run-cli.js';
import { SessionBuilder } from '../../support/session-builder.js';

/** The lines the sink prints for the session `build` describes, diagnosed as the session would be. */
function linesOf(build: (b: SessionBuilder) => SessionBuilder): string[] {
  const lines: string[] = [];
  const diagnosis = new DiagnosisEngine();
  const sink = new VerdictPlainOutput({ line: (l) => lines.push(l) }, () => diagnosis.history());
  for (const event of build(new SessionBuilder().start(['gcr.io'])).build()) {
    // The session concludes its findings before it writes session.end.
    if (event.type === 'session.end') diagnosis.finish();
    else diagnosis.onEvent(event);
    sink.onEvent(event);
  }
  return lines;
}

describe('VerdictPlainOutput', () => {
  it('says "No problem found" for a healthy session, and nothing before session.end', () => {
    expect(linesOf((b) => b.probe('gcr.io'))).toEqual([]);
    expect(linesOf((b) => b.probe('gcr.io').end(0))).toEqual([
      '',
      'verdict: No problem found.',
      '  Every probe round succeeded and no push or credential problem was seen.',
    ]);
  });

  it('ends a session whose endpoint fails with the verdict and its next step', () => {
    const lines = linesOf((b) => {
      for (let s = 0; s < 3; s++) b.at(s * 2).probe('gcr.io', { error: 'tcp.refused' });
      return b.end(1);
    });
    expect(lines[1]).toMatch(/^verdict: Network \(network\.endpoint_failing, \w+ confidence\)\.$/);
    expect(lines.at(-1)).toMatch(/^ {2}next step: Connections to gcr\.io fail/);
  });
});

describe('gcrwatch --plain --duration', () => {
  it('ends with the verdict and the next step', async () => {
    const r = await runCli(
      ['--plain', '--duration', '1s', '--only', '--target', '127.0.0.1:9', '--no-log', '--no-config'],
      { timeoutMs: 30_000 },
    );
    expect(r.code).toBe(1);
    const last = r.stdout.trimEnd().split('\n').slice(-3);
    expect(last[0]).toMatch(/^verdict: Network \(network\.endpoint_failing, \w+ confidence\)\.$/);
    expect(last[1]).toBe('  127.0.0.1:9 fails its probes: TCP connects fail with tcp.refused.');
    expect(last[2]).toMatch(/^ {2}next step: Connections to 127\.0\.0\.1:9 fail: check firewalls/);
  });
});

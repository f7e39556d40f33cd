import { describe, expect, it } from 'vitest';
import type { FindingCategory, FindingCode } from '../../../src/core/diagnose/codes.js';
import { DiagnosisEngine } from '../../../src/core/diagnose/engine.js';
import { verdictOf, type VerdictFinding } from '../../../src/core/diagnose/verdict.js';
import { SCHEMA_VERSION, type SessionEvent } from '../../../src/core/events.js';
import { ReportCollector } from '../../../src/core/report/collect.js';
import { verdictOf as reportVerdict } from '../../../src/core/report/report-text.js';
import { SessionStore } from '../../../src/core/store.js';
import { verdictOf as headerVerdict } from '../../../src/ui/verdict.js';
import { SessionBuilder } from '../../support/session-builder.js';

const f = (
  code: FindingCode,
  category: FindingCategory,
  confidence: VerdictFinding['confidence'],
  score: number,
  cleared = false,
) => ({
  code,
  category,
  confidence,
  score,
  summary: `said ${code}`,
  advice: `do ${code}`,
  ...(cleared ? { cleared } : {}),
});

describe('the verdict', () => {
  it('names the best-ranked problem that still holds, in the report words', () => {
    const v = verdictOf([
      f('auth.push_denied', 'auth', 'high', 96, true),
      f('registry.server_errors', 'registry', 'high', 85),
      f('network.tls_certificate', 'network', 'low', 20),
    ]);
    expect(v).toMatchObject({
      healthy: false,
      headline: 'Registry side (registry.server_errors, high confidence)',
      detail: 'said registry.server_errors',
      advice: 'do registry.server_errors',
      cleared: 1,
      notes: 1,
    });
  });

  it('with only notes and cleared problems, is "No problem found" and says what is below', () => {
    const v = verdictOf([f('auth.push_denied', 'auth', 'high', 96, true), f('auth.helper_slow', 'auth', 'low', 15)]);
    expect(v.healthy).toBe(true);
    expect(v.headline).toBe('No problem found');
    expect(v.detail).toBe(
      'No problem held at the end; 1 problem(s) seen earlier no longer held (below). 1 note(s) below.',
    );
    expect(verdictOf([], [{ id: 'gcr.io', lossPct: 3 }]).detail).toBe(
      'No problem held; 1 target(s) lost an occasional round (gcr.io 3%).',
    );
  });
});

/** The report's verdict and the dashboard header's, over the same session. */
function bothVerdicts(events: SessionEvent[]): { report: ReturnType<typeof reportVerdict>; header: string } {
  const store = new SessionStore();
  const engine = new DiagnosisEngine((input) => store.onEvent({ v: SCHEMA_VERSION, ...input } as SessionEvent));
  const collector = new ReportCollector('same.ndjson');
  for (const e of events) {
    store.onEvent(e);
    engine.onEvent(e);
    collector.add(e);
  }
  engine.finish();
  store.flush();
  return { report: reportVerdict(collector.finish()), header: headerVerdict(store.getSnapshot()).text };
}

describe('the report and the dashboard header agree (issue 16: one verdict)', () => {
  it('a fault that cleared before the end makes neither headline', () => {
    const b = new SessionBuilder(41)
      .start(['gcr.io', 'eu.gcr.io'])
      .probeRounds(['gcr.io', 'eu.gcr.io'], 0, 120, 2, (host, s) =>
        host === 'eu.gcr.io' && s >= 10 && s < 40 ? { error: 'dns.servfail' } : {},
      )
      .end();
    const { report, header } = bothVerdicts(b.build());
    expect(report.headline).toBe('No problem found');
    expect(report.detail).toMatch(/^No problem held at the end; 1 problem\(s\) seen earlier no longer held/);
    expect(header).toBe('all 2 endpoints answering');
  });

  it('a problem that holds at the end is the headline of both, with a cleared one ranked above it ignored', () => {
    const b = new SessionBuilder(42)
      .start(['gcr.io', 'eu.gcr.io'])
      .probeRounds(['gcr.io', 'eu.gcr.io'], 0, 120, 2, (host, s) =>
        host === 'eu.gcr.io' && s >= 10 && s < 40
          ? { error: 'tls.untrusted' }
          : host === 'gcr.io' && s >= 90
            ? { error: 'dns.servfail' }
            : {},
      )
      .end();
    const { report, header } = bothVerdicts(b.build());
    expect(report.headline).toBe('Network (network.endpoint_failing, high confidence)');
    // The header's one line keeps the category and the same summary; the code is left to `f`.
    expect(header.startsWith(`Network: ${report.detail}`)).toBe(true);
  });
});

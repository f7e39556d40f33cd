/**
 * The engine never throws, whatever order and mixture of events a log holds (random
 * sessions from the builder's own shapes, with times that may go backwards), and what it
 * emits is always well-formed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FINDING_CATEGORIES, FINDING_CODES } from '../../../src/core/diagnose/codes.js';
import { DiagnosisEngine } from '../../../src/core/diagnose/engine.js';
import { ERROR_CODES, type ErrorCode } from '../../../src/core/errors.js';
import type { AuthEvent, DiagnosisEvent } from '../../../src/core/events.js';
import { SessionBuilder } from '../../support/session-builder.js';

const HOSTS = ['gcr.io', 'us.gcr.io', 'europe-west1-docker.pkg.dev'];
const CODES = Object.keys(ERROR_CODES) as ErrorCode[];

const step = fc.oneof(
  fc.record({
    kind: fc.constant('probe' as const),
    host: fc.constantFrom(...HOSTS),
    error: fc.option(fc.constantFrom(...CODES), { nil: undefined }),
    v6: fc.option(fc.constantFrom<'ok' | ErrorCode>('ok', 'tcp.timeout'), { nil: undefined }),
    skew: fc.option(fc.integer({ min: -900, max: 900 }), { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant('push' as const),
    what: fc.constantFrom('start', 'retry', 'error', 'end-ok', 'end-fail', 'layer'),
    code: fc.constantFrom(...CODES.filter((c) => c.startsWith('push.'))),
  }),
  fc.record({
    kind: fc.constant('auth' as const),
    host: fc.constantFrom(...HOSTS),
    view: fc.constantFrom<AuthEvent['view']>('docker', 'registry', 'clock', 'google'),
    code: fc.option(fc.constantFrom(...CODES.filter((c) => c.startsWith('auth.'))), { nil: undefined }),
    expiresIn: fc.option(fc.integer({ min: -3600, max: 7200 }), { nil: undefined }),
  }),
);

describe('engine robustness', () => {
  it('never throws and emits well-formed findings on random sessions', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -5, max: 60 }), step), { maxLength: 150 }), (steps) => {
        const b = new SessionBuilder(7).start(HOSTS, { push: HOSTS[2] });
        let s = 0;
        for (const [dt, st] of steps) {
          s = Math.max(0, s + dt);
          b.at(s);
          if (st.kind === 'probe')
            b.probe(st.host, {
              ...(st.error ? { error: st.error } : {}),
              ...(st.v6 ? { v6: st.v6 } : {}),
              ...(st.skew !== undefined ? { dateOffsetSeconds: st.skew } : {}),
            });
          else if (st.kind === 'push') {
            if (st.what === 'start') b.pushStart(`${HOSTS[2]}/p/r/a:1`);
            else if (st.what === 'retry') b.retry('l1', 1 + (s % 5), 'cause', st.code);
            else if (st.what === 'error') b.pushError(`text of ${st.code}`, st.code);
            else if (st.what === 'layer') b.layer('l1', 'pushing', s * 1e7);
            else b.pushEnd(st.what === 'end-ok' ? 0 : 1, 1000);
          } else {
            b.auth({
              view: st.view,
              host: st.host,
              ok: !st.code,
              ...(st.code ? { error: { code: st.code, category: ERROR_CODES[st.code].category, message: 'm' } } : {}),
              ...(st.expiresIn !== undefined
                ? {
                    expiresAt: new Date(Date.parse('2026-03-02T10:00:00Z') + (s + st.expiresIn) * 1000).toISOString(),
                    kind: 'oauth2accesstoken',
                  }
                : {}),
              ...(st.view === 'clock' ? { skewSeconds: st.expiresIn ?? 0 } : {}),
              ...(st.view === 'registry' ? { canPush: !st.code } : {}),
            });
          }
        }
        const emitted: DiagnosisEvent[] = [];
        const engine = new DiagnosisEngine((e) => emitted.push(e as DiagnosisEvent));
        // Unsorted on purpose: times may go backwards in a damaged log.
        for (const e of b.build().reverse()) engine.onEvent(e);
        for (const e of b.build()) engine.onEvent(e);
        engine.finish();
        for (const f of emitted) {
          expect(Object.keys(FINDING_CODES)).toContain(f.code);
          expect(FINDING_CATEGORIES).toContain(f.category);
          expect(f.summary.length).toBeGreaterThan(10);
          expect(f.evidence.length).toBeLessThanOrEqual(12);
          expect(Number.isNaN(Date.parse(f.t))).toBe(false);
        }
        expect(engine.current().length).toBeLessThanOrEqual(Object.keys(FINDING_CODES).length);
      }),
      { numRuns: 150 },
    );
  });
});

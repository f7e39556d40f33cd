/**
 * The scenario corpus through the real reader and the engine: every expected finding is
 * raised, nothing expected absent is, and the verdict (the top problem that holds at the
 * end) has the right category and the confidence its evidence allows.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnoseEvents } from '../../src/core/diagnose/diagnose-events.js';
import { verdictOf } from '../../src/core/diagnose/verdict.js';
import { readSessionLog } from '../../src/core/log/ndjson-reader.js';
import type { Expectation } from './definitions.js';

const HERE = import.meta.dirname;
const DIRS = readdirSync(HERE).filter((d) => statSync(path.join(HERE, d)).isDirectory());

describe('scenario corpus', () => {
  it('holds at least twelve scenarios', () => {
    expect(DIRS.length).toBeGreaterThanOrEqual(12);
  });

  for (const dir of DIRS) {
    it(dir, async () => {
      const expected = JSON.parse(readFileSync(path.join(HERE, dir, 'expected.json'), 'utf8')) as Expectation;
      const warnings: string[] = [];
      const engine = await diagnoseEvents(
        readSessionLog(path.join(HERE, dir, 'session.ndjson'), { onWarning: (w) => warnings.push(w) }),
      );
      expect(warnings).toEqual([]);
      const history = engine.history();
      const codes = history.map((r) => r.latest.code);
      for (const code of expected.codes) expect(codes, `${dir} should raise ${code}`).toContain(code);
      for (const code of expected.absent ?? []) expect(codes, `${dir} should not raise ${code}`).not.toContain(code);
      const verdict = verdictOf(history.map((r) => r.latest));
      if (!expected.top) {
        expect(codes, `${dir} should raise nothing`).toEqual([]);
        expect(verdict.healthy).toBe(true);
        return;
      }
      const top = verdict.top!;
      expect(top, `${dir}: no verdict`).toBeDefined();
      expect(top.category, `${dir}: verdict ${top.code} has the wrong category`).toBe(expected.top.category);
      expect(top.confidence, `${dir}: verdict ${top.code}`).toBe(expected.top.confidence);
      if (expected.top.code) expect(top.code).toBe(expected.top.code);
      for (const words of expected.summaryIncludes ?? []) expect(top.summary).toContain(words);
      for (const r of history) {
        expect(r.latest.summary.length).toBeGreaterThan(20);
        expect(r.latest.advice.length).toBeGreaterThan(20);
        expect(r.latest.evidence.length).toBeGreaterThan(0);
      }
    });
  }
});

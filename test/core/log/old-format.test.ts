/**
 * Logs written before the reference form (event schema 1, every probe in full; kept in
 * test/fixtures/logs/v1, never regenerated) read as before: the same events, the same
 * findings; written again by this version they read back as the same events, in less space.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnoseEvents } from '../../../src/core/diagnose/diagnose-events.js';
import type { SessionEvent } from '../../../src/core/events.js';
import { readSessionLog } from '../../../src/core/log/ndjson-reader.js';
import { NdjsonLogWriter } from '../../../src/core/log/ndjson-writer.js';
import type { Expectation } from '../../scenarios/definitions.js';

const V1 = path.resolve(import.meta.dirname, '../../fixtures/logs/v1');
const LOGS = readdirSync(V1).filter((f) => f.endsWith('.ndjson'));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-v1-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function read(file: string) {
  const events: SessionEvent[] = [];
  const warnings: string[] = [];
  for await (const e of readSessionLog(file, { onWarning: (w) => warnings.push(w) })) events.push(e);
  return { events, warnings };
}

describe('version 1 logs', () => {
  it('are kept as fixtures, and are version 1', () => {
    expect(LOGS.length).toBeGreaterThanOrEqual(5);
    for (const log of LOGS) {
      const lines = readFileSync(path.join(V1, log), 'utf8').trimEnd().split('\n');
      expect(lines.every((l) => (JSON.parse(l) as { v: number }).v === 1)).toBe(true);
      expect(lines.some((l) => l.includes('"ref":'))).toBe(false);
    }
  });

  for (const log of LOGS) {
    it(`${log}: reads every line, says it is older, and round-trips through this version's writer`, async () => {
      const file = path.join(V1, log);
      const { events, warnings } = await read(file);
      expect(events).toHaveLength(readFileSync(file, 'utf8').trimEnd().split('\n').length);
      expect(warnings).toEqual([`${file}: written with an older event schema; read as version 2`]);

      const again = path.join(dir, log);
      const writer = new NdjsonLogWriter(again, () => undefined);
      writer.open();
      for (const e of events) writer.onEvent(e);
      writer.close();
      const back = await read(again);
      expect(back.events).toEqual(events);
      expect(statSync(again).size).toBeLessThan(statSync(file).size);
    });
  }

  // The scenario logs kept in version 1 have their expectations beside them (the recorded demo none).
  for (const log of LOGS.filter((l) => existsSync(path.join(V1, l.replace('.ndjson', '.expected.json'))))) {
    const expected = JSON.parse(
      readFileSync(path.join(V1, log.replace('.ndjson', '.expected.json')), 'utf8'),
    ) as Expectation;
    it(`${log}: the diagnosis finds what it found in version 1`, async () => {
      const engine = await diagnoseEvents(readSessionLog(path.join(V1, log)));
      const codes = engine.history().map((r) => r.latest.code);
      for (const code of expected.codes) expect(codes).toContain(code);
      for (const code of expected.absent ?? []) expect(codes).not.toContain(code);
      if (expected.top) expect(engine.history()[0]!.latest.category).toBe(expected.top.category);
    });
  }
});

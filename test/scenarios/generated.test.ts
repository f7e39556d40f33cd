/**
 * The committed scenario logs are exactly what the builders in `definitions.ts` make, so a
 * change to a builder cannot leave a stale log behind. `UPDATE_SCENARIOS=1 npx vitest run
 * test/scenarios` rewrites them.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from './definitions.js';

const HERE = import.meta.dirname;

describe('scenario logs', () => {
  it('has at least twelve scenarios with distinct names', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(12);
    expect(new Set(SCENARIOS.map((s) => s.name)).size).toBe(SCENARIOS.length);
  });

  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: the committed log matches its builder`, () => {
      const dir = path.join(HERE, scenario.name);
      const log = scenario.build().ndjson();
      const expected = JSON.stringify({ description: scenario.description, ...scenario.expect }, null, 2) + '\n';
      if (process.env.UPDATE_SCENARIOS) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(path.join(dir, 'session.ndjson'), log);
        writeFileSync(path.join(dir, 'expected.json'), expected);
      }
      expect(existsSync(path.join(dir, 'session.ndjson')), `run UPDATE_SCENARIOS=1 to create ${dir}`).toBe(true);
      expect(readFileSync(path.join(dir, 'session.ndjson'), 'utf8')).toBe(log);
      // Compared as data: Prettier formats the committed file its own way.
      expect(JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8'))).toEqual(JSON.parse(expected));
    });
  }
});

/**
 * The scenario table of docs/diagnosis.md is what the corpus gives (`npm run scenario-table`
 * writes it), and the corpus meets the targets of issue 17: the category right in every
 * scenario, no high-confidence verdict with a wrong category, no verdict inferred by
 * elimination above low confidence.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/wrap-cli.js';

interface Row {
  name: string;
  expected: unknown;
  said: { basis?: string; confidence: string } | null;
}
interface TableScript {
  scenarioRows(): Promise<Row[]>;
  renderTable(rows: Row[]): string;
  withTable(doc: string, table: string): string;
  totals(rows: Row[]): Record<string, number>;
}

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('the scenario table', () => {
  let script: TableScript;
  let rows: Row[];
  beforeAll(async () => {
    ensureBuilt();
    script = (await import(path.join(ROOT, 'scripts', 'scenario-table.mjs'))) as TableScript;
    rows = await script.scenarioRows();
  }, 120_000);

  it('in docs/diagnosis.md is the one the corpus gives', () => {
    const doc = readFileSync(path.join(ROOT, 'docs', 'diagnosis.md'), 'utf8');
    expect(script.withTable(doc, script.renderTable(rows)), 'run npm run scenario-table').toBe(doc);
  });

  it('meets the targets', () => {
    const t = script.totals(rows);
    expect(t.scenarios).toBeGreaterThanOrEqual(20);
    expect(t.categoryRight).toBe(t.scenarios);
    expect(t.highButWrong).toBe(0);
    expect(t.inferredAboveLow).toBe(0);
  });
});

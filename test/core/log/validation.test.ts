/**
 * Every event read from a log is checked against the event schema: one that does not fit is
 * skipped and named (line and reason) in one warning; a file with no event that fits is not
 * a session log.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../src/core/events.js';
import { checkEvent } from '../../../src/core/log/event-schema.js';
import { LogReadError, readSessionLog } from '../../../src/core/log/ndjson-reader.js';

const SCENARIOS = path.resolve(import.meta.dirname, '../../scenarios');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-valid-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readLines(name: string, lines: string[]) {
  const file = path.join(dir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  const events: SessionEvent[] = [];
  const warnings: string[] = [];
  for await (const e of readSessionLog(file, { onWarning: (w) => warnings.push(w) })) events.push(e);
  return { file, events, warnings };
}

const healthy = () =>
  readFileSync(path.join(SCENARIOS, 'healthy', 'session.ndjson'), 'utf8')
    .trimEnd()
    .split('\n');
const v2 = (o: object) => JSON.stringify({ v: 2, t: '2026-03-02T10:00:05.000Z', ...o });

describe('event validation on read', () => {
  it('skips a probe without details, naming its line and what is missing, and reads the rest', async () => {
    const lines = healthy();
    const probeAt = lines.findIndex((l) => l.includes('"key":'));
    const broken = JSON.parse(lines[probeAt]!) as Record<string, unknown>;
    delete broken.details;
    delete broken.key;
    lines.splice(probeAt + 1, 0, JSON.stringify(broken));
    const { file, events, warnings } = await readLines('no-details.ndjson', lines);
    expect(events).toHaveLength(lines.length - 1);
    expect(warnings).toEqual([`${file}: 1 line(s) skipped: line ${probeAt + 2} (probe) details is missing`]);
  });

  it('names codes outside the closed sets, wrong types and broken references, three of them, and counts the rest', async () => {
    const lines = healthy();
    const end = lines.pop()!;
    lines.push(
      v2({ type: 'push.error', text: 'x', code: 'push.exploded', category: 'registry', retryable: false }),
      v2({ type: 'probe', ref: 999, n: [1] }),
      v2({ type: 'push.layer', layer: 'abc', state: 'pushing', bytes: 'lots' }),
      v2({
        type: 'diagnosis',
        category: 'network',
        code: 'network.made_up',
        summary: 's',
        evidence: [],
        confidence: 'high',
        advice: 'a',
      }),
      'not json at all',
      end,
    );
    const n = lines.length;
    const { file, events, warnings } = await readLines('mixed.ndjson', lines);
    expect(events.at(-1)!.type).toBe('session.end');
    expect(warnings).toEqual([
      `${file}: 5 line(s) skipped: line ${n - 5} (push.error) code: "push.exploded" is not an error code this version knows; ` +
        `line ${n - 4} (probe) ref 999 names no earlier probe with that key; ` +
        `line ${n - 3} (push.layer) bytes: expected number, got string; and 2 more`,
    ]);
  });

  it('checks the values of a reference against the probe it refers to', async () => {
    const lines = healthy();
    const ref = lines.findIndex((l) => l.includes('"ref":'));
    const parsed = JSON.parse(lines[ref]!) as { n: unknown[] };
    lines[ref] = JSON.stringify({ ...parsed, n: parsed.n.slice(1) });
    const other = lines.findIndex((l, i) => i > ref && l.includes('"ref":'));
    lines[other] = lines[other]!.replace(/"n":\[[\d.]+/, '"n":["soon"');
    const { warnings } = await readLines('bad-refs.ndjson', lines);
    expect(warnings[0]).toMatch(
      new RegExp(
        `2 line\\(s\\) skipped: line ${ref + 1} \\(probe\\) n must be a list of \\d+ values \\(probe [a-z.]+\\); line ${other + 1} \\(probe\\) n\\[0\\] \\(round\\) must be a number, got "soon"$`,
      ),
    );
  });

  it('refuses a file in which no event fits, with the first reason', async () => {
    const err = await readLines('nothing-fits.ndjson', [v2({ type: 'probe', target: 'gcr.io' })]).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LogReadError);
    expect((err as Error).message).toMatch(
      /nothing-fits\.ndjson: no event in it fits the event schema \(line 1 \(probe\) round is missing\)$/,
    );
  });

  it('accepts every event of the scenario corpus and of the recorded sessions', async () => {
    const logs = [
      path.join(SCENARIOS, 'large-layer-retries', 'session.ndjson'),
      path.resolve(import.meta.dirname, '../../fixtures/logs/v1/demo-session.ndjson'),
    ];
    for (const log of logs)
      for (const line of readFileSync(log, 'utf8').trimEnd().split('\n')) {
        const value = JSON.parse(line) as Record<string, unknown>;
        if ('ref' in value || 'key' in value) continue;
        const checked = checkEvent(value);
        expect(checked.ok, `${log}: ${line.slice(0, 80)}: ${checked.ok ? '' : checked.problem}`).toBe(true);
      }
  });
});

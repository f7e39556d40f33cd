import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lastEventTime } from '../../../src/core/replay/log-span.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-log-span-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('lastEventTime', () => {
  it('reads the time of the last whole event from the end of the log', async () => {
    const line = (t: string) => JSON.stringify({ v: 1, t, type: 'warning', code: 'x', message: 'm' });
    const log = file(
      'a.ndjson',
      [line('2026-01-01T10:00:00.000Z'), line('2026-01-01T10:05:00.000Z'), '{"v":1,"t":"2026-01-01T1'].join('\n'),
    );
    expect(await lastEventTime(log)).toBe(Date.parse('2026-01-01T10:05:00.000Z'));
  });

  it('reads only the tail of a large log, skipping the line cut at the start of the tail', async () => {
    const filler = JSON.stringify({
      v: 1,
      t: '2026-01-01T09:00:00.000Z',
      type: 'warning',
      code: 'x',
      message: 'y'.repeat(1000),
    });
    const lines = Array.from({ length: 600 }, () => filler);
    lines.push(JSON.stringify({ v: 1, t: '2026-01-01T11:00:00.000Z', type: 'session.end' }));
    expect(await lastEventTime(file('big.ndjson', lines.join('\n') + '\n'))).toBe(
      Date.parse('2026-01-01T11:00:00.000Z'),
    );
  });

  it('says nothing for a file that is not a log, or is not there', async () => {
    expect(await lastEventTime(file('junk.txt', 'hello\nworld\n'))).toBeUndefined();
    expect(await lastEventTime(path.join(dir, 'missing.ndjson'))).toBeUndefined();
  });
});

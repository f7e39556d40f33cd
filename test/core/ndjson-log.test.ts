import {
  chmodSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  mkdirSync,
  appendFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/bus.js';
import { SCHEMA_VERSION, type SessionEvent } from '../../src/core/events.js';
import { LogReadError, readSessionLog } from '../../src/core/log/ndjson-reader.js';
import { NdjsonLogWriter, type LogProblem } from '../../src/core/log/ndjson-writer.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-log-'));
});
afterEach(() => {
  try {
    chmodSync(dir, 0o700);
  } catch {
    /* already gone */
  }
  rmSync(dir, { recursive: true, force: true });
});

async function readAll(file: string) {
  const warnings: string[] = [];
  const events: SessionEvent[] = [];
  for await (const e of readSessionLog(file, { onWarning: (w) => warnings.push(w) })) events.push(e);
  return { events, warnings };
}

function writeEvents(file: string, n: number) {
  const bus = new EventBus();
  const writer = new NdjsonLogWriter(file, () => undefined);
  writer.open();
  bus.subscribe(writer);
  for (let i = 0; i < n; i++) bus.emit({ type: 'warning', code: 'local.error', message: `event ${i}` });
  writer.close();
  return writer;
}

describe('NdjsonLogWriter', () => {
  it('creates the folder 0700 and the file 0600, one line per event', () => {
    const file = path.join(dir, 'state', 'gcrwatch', 'sessions', 's.ndjson');
    const writer = writeEvents(file, 5);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(JSON.parse(lines[4]!)).toMatchObject({ v: SCHEMA_VERSION, type: 'warning', message: 'event 4' });
    expect(writer.written).toBe(5);
  });

  it('appends each burst at the end of its task, in one write, so the file is complete before close', async () => {
    const file = path.join(dir, 's.ndjson');
    const bus = new EventBus();
    const writer = new NdjsonLogWriter(file, () => undefined);
    writer.open();
    bus.subscribe(writer);
    for (let i = 0; i < 500; i++) bus.emit({ type: 'warning', code: 'local.error', message: `line ${i}` });
    await Promise.resolve();
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(500);
    expect(text).toContain('"line 499"');
    writer.close();
  });

  it('reports an unwritable folder once and keeps accepting events', () => {
    if (process.getuid?.() === 0) {
      // root ignores permission bits; a path under a regular file fails for everyone.
      writeFileSync(path.join(dir, 'file'), 'x');
    } else {
      chmodSync(dir, 0o500);
    }
    const target =
      process.getuid?.() === 0 ? path.join(dir, 'file', 'sub', 's.ndjson') : path.join(dir, 'sub', 's.ndjson');
    const problems: LogProblem[] = [];
    const writer = new NdjsonLogWriter(target, (p) => problems.push(p));
    expect(writer.open()).toBe(false);
    writer.onEvent({ v: 1, t: new Date().toISOString(), type: 'warning', code: 'local.error', message: 'y' });
    writer.flush();
    writer.close();
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/cannot write the session log .* probing continues/);
    expect(writer.dropped).toBe(1);
  });
});

describe('readSessionLog', () => {
  it('reads what the writer wrote', async () => {
    const file = path.join(dir, 'a.ndjson');
    writeEvents(file, 3);
    const { events, warnings } = await readAll(file);
    expect(events.map((e) => e.type)).toEqual(['warning', 'warning', 'warning']);
    expect(warnings).toEqual([]);
  });

  it('reads a log cut off mid-line, with one warning', async () => {
    const file = path.join(dir, 'cut.ndjson');
    writeEvents(file, 3);
    appendFileSync(file, '{"v":1,"t":"2026-11-27T00:00:00.000Z","type":"probe","tar');
    const { events, warnings } = await readAll(file);
    expect(events).toHaveLength(3);
    expect(warnings.join()).toMatch(/last line is incomplete/);
  });

  it('skips unknown event types and accepts older versions with a warning each', async () => {
    const file = path.join(dir, 'mixed.ndjson');
    writeEvents(file, 2);
    appendFileSync(file, '{"v":1,"t":"2026-11-27T00:00:00.000Z","type":"future.thing","x":1}\n');
    const { events, warnings } = await readAll(file);
    expect(events).toHaveLength(2);
    expect(warnings.join()).toMatch(/1 event\(s\) of unknown type "future.thing"/);
  });

  it.each([
    ['empty', '', /is empty/],
    ['binary', '\u0000\u0001\u0002garbage\n\u00ff\u00fe', /not a gcrwatch session log/],
    ['plain text', 'hello world\nsecond line\n', /not a gcrwatch session log \(line 1 is not JSON\)/],
    ['json but not events', '{"a":1}\n{"b":2}\n', /line 1 is not a gcrwatch event/],
    ['newer schema', '{"v":99,"t":"2026-11-27T00:00:00.000Z","type":"probe"}\n', /newer gcrwatch \(event schema 99/],
  ])('refuses a %s file with a one-line error naming it', async (_name, content, why) => {
    const file = path.join(dir, 'bad.ndjson');
    writeFileSync(file, content);
    const err = await readAll(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LogReadError);
    expect((err as Error).message).toMatch(why);
    expect((err as Error).message).toContain(file);
    expect((err as Error).message).not.toContain('\n');
  });

  it('refuses a missing file and a directory', async () => {
    await expect(readAll(path.join(dir, 'nope.ndjson'))).rejects.toThrow(/cannot read it \(ENOENT\)/);
    mkdirSync(path.join(dir, 'd'));
    await expect(readAll(path.join(dir, 'd'))).rejects.toThrow(/is a directory/);
  });
});

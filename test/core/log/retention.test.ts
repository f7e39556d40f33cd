/**
 * Retention of session logs: by count and by age, never the running session's log nor one a
 * live gcrwatch is writing, nothing that is not named like a session log; and a session prunes
 * the folder at start only when its own log goes there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pruneSessions } from '../../../src/core/log/retention.js';
import { listSessionFiles, sessionFileName } from '../../../src/core/log/session-files.js';
import { Session } from '../../../src/core/session.js';
import { makeTarget } from '../../../src/core/targets.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-31T12:00:00Z');
let root: string;
let dir: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-retention-'));
  dir = path.join(root, 'sessions');
  mkdirSync(dir);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const sleepers: ChildProcess[] = [];
afterAll(() => {
  for (const c of sleepers) c.kill();
});

/**
 * A session log started `daysAgo` before `now` by `pid` (by default above Linux's largest pid,
 * 2^22: no live process has it), last written when it started.
 */
function log(daysAgo: number, pid = 5_000_000 + Math.round(daysAgo * 1000), now = NOW): string {
  const started = new Date(now - daysAgo * DAY);
  const file = path.join(dir, sessionFileName(started, pid));
  writeFileSync(file, '{"v":2}\n');
  utimesSync(file, started, started);
  return file;
}

const left = () => readdirSync(dir).sort();

describe('pruneSessions', () => {
  it('keeps the newest N, the running one counted among them', () => {
    const files = Array.from({ length: 8 }, (_, i) => log(i * 0.01));
    const running = files[0]!;
    const out = pruneSessions({ dir, keep: 5, maxAgeMs: 30 * DAY }, running, NOW);
    expect(out.removed.sort()).toEqual(files.slice(5).sort());
    expect(left()).toEqual(
      files
        .slice(0, 5)
        .map((f) => path.basename(f))
        .sort(),
    );
  });

  it('deletes logs not written for longer than the age, and keeps the running one whatever its age', () => {
    const young = log(29);
    const old = log(31);
    const older = log(90);
    const running = log(45); // A session running for 45 days, not written since it started (a test's liberty).
    const out = pruneSessions({ dir, keep: 100, maxAgeMs: 30 * DAY }, running, NOW);
    expect(out.removed.sort()).toEqual([old, older].sort());
    expect(existsSync(young) && existsSync(running)).toBe(true);
  });

  it('keeps a log another live gcrwatch is writing, and touches no file not named like a session log', () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    sleepers.push(sleeper);
    const live = path.join(dir, sessionFileName(new Date(NOW - 40 * DAY), sleeper.pid!));
    writeFileSync(live, '{"v":2}\n');
    utimesSync(live, new Date(NOW - 60_000), new Date(NOW - 60_000));
    const export_ = path.join(dir, 'gcrwatch-export-2026-01-01T00-00-00Z.ndjson');
    const notes = path.join(dir, 'notes.txt');
    for (const f of [export_, notes]) {
      writeFileSync(f, 'mine');
      utimesSync(f, new Date(NOW - 99 * DAY), new Date(NOW - 99 * DAY));
    }
    const dead = log(40);
    const out = pruneSessions({ dir, keep: 1, maxAgeMs: 30 * DAY }, undefined, NOW);
    expect(out.removed).toEqual([dead]);
    expect(existsSync(live) && existsSync(export_) && existsSync(notes)).toBe(true);
  });

  it('lists session logs newest first and ignores a missing folder', () => {
    const a = log(3);
    const b = log(1);
    expect(listSessionFiles(dir).map((f) => f.path)).toEqual([b, a]);
    expect(listSessionFiles(path.join(root, 'none'))).toEqual([]);
    expect(pruneSessions({ dir: path.join(root, 'none'), keep: 1, maxAgeMs: DAY })).toEqual({
      removed: [],
      failed: [],
    });
  });
});

describe('a session at start', () => {
  const start = async (logPath: string) => {
    const s = new Session({
      version: 't',
      mode: 'plain',
      targets: [makeTarget('gcr.io', 443, 'flag')],
      intervalMs: 60_000,
      probe: { timeoutMs: 1000, pins: new Map(), dnsServers: [], userAgent: 't' },
      logPath,
      retention: { dir, keep: 3, maxAgeMs: 30 * DAY },
      recordedOptions: {},
      // The session's wiring is under test here, not the network.
      roundRunner: async () => ({ ok: true, ms: 1, phases: { total: 1 }, details: {} }),
    });
    s.start();
    await s.stop('rounds');
  };

  it('prunes the sessions folder when its log goes there, keeping its own', async () => {
    // The session prunes by the real clock.
    const before = Array.from({ length: 5 }, (_, i) => log(i * 0.01 + 0.001, undefined, Date.now()));
    const own = path.join(dir, sessionFileName(new Date()));
    await start(own);
    expect(left()).toEqual([own, ...before.slice(0, 2)].map((f) => path.basename(f)).sort());
  });

  it('leaves the folder alone when its log is written elsewhere', async () => {
    const before = Array.from({ length: 5 }, (_, i) => log(i * 0.01 + 0.001, undefined, Date.now()));
    await start(path.join(root, 'elsewhere.ndjson'));
    expect(left()).toEqual(before.map((f) => path.basename(f)).sort());
  });
});

import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/events.js';
import { runCli } from '../support/run-cli.js';

const SCENARIOS = path.resolve(import.meta.dirname, '../scenarios');
const dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-replay-'));

describe('gcrwatch replay', () => {
  it('plays a session in plain lines with the findings as they arose', async () => {
    const r = await runCli([
      'replay',
      path.join(SCENARIOS, 'retry-tls-timeout-regional', 'session.ndjson'),
      '--speed',
      '200',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/10:00:20\.050 {2}us\.gcr\.io .*FAIL tls\.timeout/);
    expect(r.stdout).toMatch(/10:00:28\.000 {2}finding network\/high network\.retries_with_probe_trouble/);
    expect(r.stdout).toContain('findings (1, best first):');
    expect(r.stderr).toContain('replaying');
  });

  it('--json replays the events, marks the session as a replay and re-diagnoses', async () => {
    const file = path.join(SCENARIOS, 'ipv6-blackhole', 'session.ndjson');
    const r = await runCli(['replay', file, '--speed', '1000', '--json']);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as SessionEvent);
    const original = readFileSync(file, 'utf8').trim().split('\n').length;
    expect(events[0]).toMatchObject({ type: 'session.start', replayOf: file });
    expect(events.filter((e) => e.type !== 'diagnosis')).toHaveLength(original);
    expect(events.some((e) => e.type === 'diagnosis' && e.code === 'network.ipv6_unreachable')).toBe(true);
  });

  it('ends a cut-off log with session.end (replay-end) and one warning', async () => {
    const text = readFileSync(path.join(SCENARIOS, 'healthy', 'session.ndjson'), 'utf8')
      .trim()
      .split('\n');
    const cut = path.join(dir, 'cut.ndjson');
    writeFileSync(cut, text.slice(0, 20).join('\n') + '\n{"v":1,"t":"2026-03-02T10:0');
    const r = await runCli(['replay', cut, '--speed', '1000', '--json']);
    expect(r.code).toBe(0);
    const last = JSON.parse(r.stdout.trim().split('\n').pop()!) as SessionEvent;
    expect(last).toMatchObject({ type: 'session.end', reason: 'replay-end' });
    expect(r.stderr.match(/warning/g)).toHaveLength(1);
  });

  it('refuses a bad speed and a file that is not a session log', async () => {
    const bad = await runCli(['replay', path.join(SCENARIOS, 'healthy', 'session.ndjson'), '--speed', 'fast']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe(
      'gcrwatch: --speed: "fast" is not a number from 0.01 to 100000 (e.g. 1, 10, 0.5)',
    );
    const notLog = path.join(dir, 'x.ndjson');
    writeFileSync(notLog, 'PK\u0003\u0004 binary junk\n');
    const r = await runCli(['replay', notLog]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a gcrwatch session log/);
  });
});

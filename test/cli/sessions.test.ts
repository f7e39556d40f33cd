/**
 * The sessions folder as a user meets it: real sessions write their logs there (in the
 * reference form, read back exactly as they were emitted), prune it at start, `gcrwatch
 * sessions` lists them, and `report` / `replay` find them without a path.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/events.js';
import { readSessionLog } from '../../src/core/log/ndjson-reader.js';
import { sessionFileName } from '../../src/core/log/session-files.js';
import type { RegistryFront } from '../../src/sim/registry-front.js';
import { makePki, startFront } from '../support/probe-peers.js';
import { BIN, runCli } from '../support/run-cli.js';

const SCENARIOS = path.resolve(import.meta.dirname, '../scenarios');
const V1 = path.resolve(import.meta.dirname, '../fixtures/logs/v1');

let front: RegistryFront;
let root: string;
let caFile: string;
let target: string;
beforeAll(async () => {
  const pki = await makePki();
  front = await startFront(pki.leaf);
  root = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-sessions-'));
  caFile = path.join(root, 'ca.pem');
  writeFileSync(caFile, pki.ca.certPem);
  target = `127.0.0.1:${front.address.port}`;
});
afterAll(async () => {
  await front?.close();
  rmSync(root, { recursive: true, force: true });
});

/** A fresh state folder, and the environment that points gcrwatch at it. */
function state(name: string) {
  const home = path.join(root, name);
  const dir = path.join(home, 'gcrwatch', 'sessions');
  const env = { ...process.env, XDG_STATE_HOME: home, XDG_CONFIG_HOME: path.join(home, 'config') };
  return { dir, env, run: (args: string[]) => runCli(args, { env }) };
}

/** `file` copied into `dir` as the log of a session started at `iso`. */
function place(dir: string, file: string, iso: string, pid = 4242): string {
  mkdirSync(dir, { recursive: true });
  const to = path.join(dir, sessionFileName(new Date(iso), pid));
  copyFileSync(file, to);
  return to;
}

const probeArgs = (...more: string[]) => ['--only', '--target', target, '--ca-file', caFile, ...more];

describe('a new session log', () => {
  it('is written in the reference form and reads back as exactly the events the session emitted', async () => {
    const s = state('roundtrip');
    const r = await s.run(['--json', '--rounds', '5', '--interval', '200ms', ...probeArgs()]);
    expect(r.code).toBe(0);
    const emitted = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as SessionEvent);
    const [log] = readdirSync(s.dir);
    const text = readFileSync(path.join(s.dir, log!), 'utf8');
    expect(text.match(/"ref":/g)).toHaveLength(4);
    expect(text.match(/"subject":/g)).toHaveLength(1);
    const read: SessionEvent[] = [];
    const warnings: string[] = [];
    for await (const e of readSessionLog(path.join(s.dir, log!), { onWarning: (w) => warnings.push(w) })) read.push(e);
    expect(warnings).toEqual([]);
    expect(read).toEqual(emitted);
    const end = emitted.at(-1)!;
    expect(end).toMatchObject({ type: 'session.end', verdict: { findings: 0 } });

    const report = await s.run(['report', '--format', 'json']);
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({ source: log, session: { events: emitted.length } });
    const replay = await s.run(['replay', '--speed', '1000', '--json']);
    expect(replay.code).toBe(0);
    expect(
      replay.stdout
        .trimEnd()
        .split('\n')
        .filter((l) => l.includes('"type":"probe"')),
    ).toHaveLength(5);
  });
});

describe('gcrwatch sessions', () => {
  it('says there are none yet, exit 0', async () => {
    const s = state('empty');
    const r = await s.run(['sessions']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`no session logs in ${s.dir} yet\n`);
    const report = await s.run(['report']);
    expect(report.code).toBe(2);
    expect(report.stderr.split('\n')[0]).toBe(
      `gcrwatch: no session logs in ${s.dir} yet: run gcrwatch first, or name a log file`,
    );
  });

  it('lists start, duration, targets, push and verdict, newest first; report and replay find them by number and name', async () => {
    const s = state('listed');
    const v1 = place(s.dir, path.join(V1, 'demo-session.ndjson'), '2026-11-27T03:38:36Z');
    const wrapped = place(s.dir, path.join(SCENARIOS, 'denied-push-loop', 'session.ndjson'), '2026-03-02T10:00:00Z');
    const text = readFileSync(path.join(SCENARIOS, 'healthy', 'session.ndjson'), 'utf8').split('\n');
    // Named a minute before it started, to sort last: the list shows the time its log gives.
    const cut = place(s.dir, path.join(SCENARIOS, 'healthy', 'session.ndjson'), '2026-03-02T09:59:00Z');
    writeFileSync(cut, text.slice(0, 30).join('\n') + '\n{"v":2,"t":"2026-03-02T10:0');
    const failing = await s.run([
      '--plain',
      '--rounds',
      '2',
      '--interval',
      '200ms',
      '--only',
      '--target',
      '127.0.0.1:1',
    ]);
    expect(failing.code).toBe(1);
    const healthy = await s.run(['--plain', '--rounds', '2', '--interval', '200ms', ...probeArgs()]);
    expect(healthy.code).toBe(0);

    const r = await s.run(['sessions']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^# {2}STARTED {12}DURATION +TARGETS +PUSH +VERDICT$/);
    expect(lines[1]).toMatch(/^1 {2}\d{4}-\d\d-\d\d \d\d:\d\dZ {2}\d[\d.]*m?s +1 +- +no problem found$/);
    expect(lines[2]).toMatch(/^2 {2}.* +1 +- +network\.endpoint_failing$/);
    expect(lines[3]).toMatch(
      /^3 {2}2026-11-27 03:38Z {2}48s +5 +app:1\.0 ok, 2 retries +- \(not recorded by this gcrwatch version\)$/,
    );
    expect(lines[4]).toMatch(
      /^4 {2}2026-03-02 10:00Z {2}2m1s +1 +app:v9 exit 1 +- \(not recorded by this gcrwatch version\)$/,
    );
    expect(lines[5]).toMatch(/^5 {2}2026-03-02 10:00Z {2}18\.1s \(cut off\) +3 +\? +- \(the session was cut off\)$/);
    expect(lines.slice(-2)).toEqual([
      `5 session(s) in ${s.dir}`,
      'gcrwatch report N reports session N, gcrwatch replay N plays it back',
    ]);
    // A reader that goes away early is no error.
    const piped = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" "${BIN}" sessions | head -1; exit \${PIPESTATUS[0]}`],
      {
        env: s.env,
        encoding: 'utf8',
      },
    );
    expect({ code: piped.status, out: piped.stdout, err: piped.stderr }).toEqual({
      code: 0,
      out: `${lines[0]}\n`,
      err: '',
    });

    const json = (await s.run(['sessions', '--json'])).stdout.trimEnd().split('\n');
    expect(json.map((l) => (JSON.parse(l) as { path: string }).path).slice(2)).toEqual([v1, wrapped, cut]);

    for (const args of [['report'], ['report', '--last'], ['report', '1']]) {
      const rep = await s.run(args);
      expect(rep.code, args.join(' ')).toBe(0);
      expect(rep.stdout).toContain('No problem found');
    }
    const second = await s.run(['report', '4']);
    expect(second.stdout).toContain(`# gcrwatch report: ${path.basename(wrapped)}`);
    const byName = await s.run(['report', path.basename(wrapped, '.ndjson'), '--format', 'csv']);
    expect(byName.code).toBe(0);
    expect(byName.stdout.split('\n')[0]).toMatch(/^t,target,round/);
    const none = await s.run(['report', '9']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`gcrwatch: there is no session 9: 5 session log(s) in ${s.dir}`);
    const both = await s.run(['report', '2', '--last']);
    expect(both.code).toBe(2);
    const replay = await s.run(['replay', '3', '--speed', '100000', '--json']);
    expect(replay.code).toBe(0);
    expect(replay.stdout.split('\n')[0]).toContain(`"replayOf":"${v1}"`);
  });
});

describe('report -o', () => {
  const log = path.join(SCENARIOS, 'healthy', 'session.ndjson');

  it('refuses an extension it cannot write, exit 2, writing nothing', async () => {
    const out = path.join(root, 'r.pdf');
    const r = await runCli(['report', log, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      `gcrwatch: -o ${out}: cannot write a .pdf report (md, html, json or csv); name one of those, or say --format`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('writes what --format says whatever the extension, and to stdout with -o -', async () => {
    const out = path.join(root, 'r.pdf');
    const r = await runCli(['report', log, '-o', out, '--format', 'md']);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^# gcrwatch report: session\.ndjson/);
    const stdout = await runCli(['report', log, '-o', '-', '--format', 'html']);
    expect(stdout.code).toBe(0);
    expect(stdout.stdout).toMatch(/^<!doctype html>/i);
    expect(existsSync('-')).toBe(false);
  });
});

describe('retention at start', () => {
  it('keeps the newest N with --keep-sessions or the config file, nothing pruned with --no-prune', async () => {
    const s = state('pruned');
    const recent = Date.now() - 3_600_000;
    const old = [1, 2, 3].map((h) =>
      place(
        s.dir,
        path.join(SCENARIOS, 'healthy', 'session.ndjson'),
        new Date(recent - h * 60_000).toISOString(),
        5_000_000 + h,
      ),
    );
    const keepAll = await s.run(['--plain', '--rounds', '1', '--no-prune', ...probeArgs()]);
    expect(keepAll.code).toBe(0);
    expect(readdirSync(s.dir)).toHaveLength(4);
    const pruned = await s.run(['--plain', '--rounds', '1', '--keep-sessions', '3', ...probeArgs()]);
    expect(pruned.code).toBe(0);
    expect(readdirSync(s.dir)).toHaveLength(3);
    expect(old.filter((f) => existsSync(f))).toEqual([old[0]]);

    mkdirSync(path.join(s.env.XDG_CONFIG_HOME, 'gcrwatch'), { recursive: true });
    writeFileSync(path.join(s.env.XDG_CONFIG_HOME, 'gcrwatch', 'config.json'), '{"sessions":{"keep":1}}');
    const fromFile = await s.run(['--plain', '--rounds', '1', ...probeArgs()]);
    expect(fromFile.code).toBe(0);
    expect(readdirSync(s.dir)).toHaveLength(1);
    const bad = await s.run(['--plain', '--rounds', '1', '--prune-after', 'soon', ...probeArgs()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe(
      'gcrwatch: --prune-after: "soon" is not a duration (examples: 500ms, 2s, 1m, 1h30m)',
    );
  });
});

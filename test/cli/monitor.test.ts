import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionEndEvent } from '../../src/core/events.js';
import type { RegistryFront } from '../../src/sim/registry-front.js';
import { makePki, startFront, type ProbePki } from '../support/probe-peers.js';
import { BIN, runCli } from '../support/run-cli.js';
import { readLog } from '../support/session-log.js';

let pki: ProbePki;
let front: RegistryFront;
let dir: string;
let caFile: string;
let target: string;

beforeAll(async () => {
  pki = await makePki();
  front = await startFront(pki.leaf);
  dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-cli-'));
  caFile = path.join(dir, 'ca.pem');
  writeFileSync(caFile, pki.ca.certPem);
  target = `127.0.0.1:${front.address.port}`;
});
afterAll(async () => {
  await front?.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = (extra: NodeJS.ProcessEnv = {}) => ({ ...process.env, NODE_EXTRA_CA_CERTS: '', ...extra });

describe('gcrwatch against a loopback registry front', () => {
  it('--plain prints a line per round and a summary, exit 0', async () => {
    const r = await runCli(
      [
        '--plain',
        '--duration',
        '1.2s',
        '--interval',
        '500ms',
        '--only',
        '--target',
        target,
        '--ca-file',
        caFile,
        '--no-log',
      ],
      { env: env() },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rounds = r.stdout.split('\n').filter((l) => l.includes(`${target} `) && l.includes('401  ok'));
    expect(rounds.length).toBeGreaterThanOrEqual(2);
    expect(rounds[0]).toMatch(/dns +[\d.]+ +tcp +[\d.]+ +tls +[\d.]+ +ttfb +[\d.]+ +total +[\d.]+/);
    expect(r.stdout).toMatch(new RegExp(`^${target.replace(/\./g, '\\.')} +\\d+ +0\\.0 .* ok$`, 'm'));
  });

  it('--json prints only NDJSON events, and the same as the log', async () => {
    const log = path.join(dir, 'json.ndjson');
    const r = await runCli(
      [
        '--json',
        '--rounds',
        '2',
        '--interval',
        '300ms',
        '--only',
        '--target',
        target,
        '--ca-file',
        caFile,
        '--log',
        log,
      ],
      { env: env() },
    );
    expect(r.code).toBe(0);
    const events = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; v: number; t: string });
    // Credential checks and findings (their own tests) may add `auth` and `diagnosis` events
    // beside the rounds; nothing else may.
    expect(events.map((e) => e.type).filter((t) => t !== 'auth' && t !== 'diagnosis')).toEqual([
      'session.start',
      'probe',
      'probe',
      'session.end',
    ]);
    for (const e of events) expect(e.t).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(readLog(log)).toEqual(events);
  });

  it('without the CA the failure is named, and the exit code is 1', async () => {
    const r = await runCli(['--plain', '--rounds', '1', '--only', '--target', target, '--no-log'], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL tls\.untrusted/);
  });

  it('writes the log under $XDG_STATE_HOME by default, folder 0700 and file 0600', async () => {
    const state = path.join(dir, 'state');
    const r = await runCli(['--plain', '--rounds', '1', '--only', '--target', target, '--ca-file', caFile], {
      env: env({ XDG_STATE_HOME: state }),
    });
    expect(r.code).toBe(0);
    const sessions = path.join(state, 'gcrwatch', 'sessions');
    const files = readdirSync(sessions);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-\d+\.ndjson$/);
    expect(statSync(sessions).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(sessions, files[0]!)).mode & 0o777).toBe(0o600);
  });

  it('a log that cannot be written is reported once and probing goes on', async () => {
    const blocker = path.join(dir, 'not-a-folder');
    writeFileSync(blocker, 'x');
    const r = await runCli(
      [
        '--plain',
        '--rounds',
        '3',
        '--interval',
        '200ms',
        '--only',
        '--target',
        target,
        '--ca-file',
        caFile,
        '--log',
        path.join(blocker, 's.ndjson'),
      ],
      { env: env() },
    );
    expect(r.code).toBe(0);
    expect(r.stderr.match(/warning: cannot write the session log/g)).toHaveLength(1);
    expect(r.stdout.split('\n').filter((l) => l.includes('401  ok'))).toHaveLength(3);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s stops cleanly: session.end and the summary are written',
    async (signal) => {
      mkdirSync(path.join(dir, signal), { recursive: true });
      const log = path.join(dir, signal, 's.ndjson');
      const child = spawn(
        process.execPath,
        [BIN, '--plain', '--interval', '200ms', '--only', '--target', target, '--ca-file', caFile, '--log', log],
        { env: env() },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      await new Promise<void>((resolve) => {
        const check = () => (out.includes('401  ok') ? resolve() : setTimeout(check, 50));
        check();
      });
      child.kill(signal);
      const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
      expect(code).toBe(0);
      expect(out).toMatch(/^target +rounds/m);
      const end = readLog(log).at(-1) as SessionEndEvent;
      expect(end).toMatchObject({ type: 'session.end', reason: 'signal', signal, exitCode: 0 });
    },
  );
});

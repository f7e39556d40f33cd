/**
 * The fault matrix's last row, gcrwatch itself: killed with SIGKILL mid-session (the log is
 * valid up to its last line and `report` reads it), stopped with SIGTERM (a clean end), its
 * log's disk full (a 64 KiB tmpfs) or read-only (one clear warning, probing goes on), and its
 * reader gone (`gcrwatch --json | head -1` exits quietly). The probed registry is a healthy
 * loopback front, so every round succeeds and "probing goes on" is visible.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/events.js';
import { describeWithPrereqs } from '../peers/prereqs.js';
import { startProgram } from '../support/long-running.js';
import { BIN, runCli } from '../support/run-cli.js';
import { startTrustedFront, type TrustedFront } from '../support/trusted-front.js';
import { ARTIFACTS_ROOT, checkTerminalPrerequisites, startTmux, tmuxTestRuns } from '../support/tmux.js';
import { ensureBuilt } from '../support/wrap-cli.js';
import { readLog } from '../support/session-log.js';

let front: TrustedFront;

beforeAll(async () => {
  ensureBuilt();
  front = await startTrustedFront();
}, 120_000);

afterAll(() => front?.close());

/** A healthy session: the front, fast rounds, no config file, no credential checks' noise. */
function session(...more: string[]): string[] {
  return ['--no-config', '--only', '--target', front.target, '--ca-file', front.caFile, '--interval', '100ms', ...more];
}

function parseLines(text: string): SessionEvent[] {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as SessionEvent);
}

describe('gcrwatch itself killed or stopped', () => {
  it('SIGKILL mid-session: every line of the log is whole JSON, and report reads it as an unfinished session', async () => {
    const log = path.join(front.dir, 'killed.ndjson');
    const run = startProgram(['--json', ...session('--log', log)]);
    await run.waitFor(/"round":8,/);
    run.child.kill('SIGKILL');
    await new Promise((r) => run.child.once('exit', r));
    const text = readFileSync(log, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const events = readLog(log);
    expect(events[0]!.type).toBe('session.start');
    expect(events.some((e) => e.type === 'session.end')).toBe(false);
    // Everything streamed before the kill is in the log, in the same order. (A loaded machine
    // skips rounds: round 8 may be the fifth probe, so the count is the stream's, not 9.)
    const streamed = parseLines(run.stdout().slice(0, run.stdout().lastIndexOf('\n') + 1));
    expect(streamed.filter((e) => e.type === 'probe').at(-1)).toMatchObject({ round: 8 });
    expect(events.slice(0, streamed.length)).toEqual(streamed);

    const md = await runCli(['report', log]);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain(`| ${front.target} |`);
    const json = await runCli(['report', log, '--format', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ session: { complete: false } });
  });

  it('SIGTERM: a clean end, with session.end and the summary', async () => {
    const log = path.join(front.dir, 'term.ndjson');
    const run = startProgram(['--plain', ...session('--log', log)]);
    await run.waitFor(/401 {2}ok\n(.*\n){3}/);
    expect(await run.stop()).toBe(0);
    expect(run.stderr()).toBe('');
    expect(run.stdout()).toMatch(/^target +rounds +loss%/m);
    const events = readLog(log);
    expect(events.at(-1)).toMatchObject({ type: 'session.end', reason: 'signal', signal: 'SIGTERM', exitCode: 0 });
  });

  /** `gcrwatch ARGS | head -N` in bash: what head printed, and gcrwatch's exit status. */
  function pipedToHead(args: string[], lines: number): Promise<{ stdout: string; stderr: string; ms: number }> {
    const started = Date.now();
    const quoted = args.map((a) => `'${a}'`).join(' ');
    // Asynchronous: the front answering gcrwatch runs in this very process.
    const child = spawn(
      'bash',
      ['-c', `"$0" "$1" ${quoted} | head -${lines}; echo "status \${PIPESTATUS[0]}" >&2`, process.execPath, BIN],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    return new Promise((resolve) => child.on('close', () => resolve({ stdout, stderr, ms: Date.now() - started })));
  }

  it('a reader that goes away: gcrwatch --json | head -1 exits quietly, at once', async () => {
    const r = await pipedToHead(session('--no-log', '--json'), 1);
    expect(JSON.parse(r.stdout)).toMatchObject({ type: 'session.start' });
    // Nothing but the exit status: no EPIPE, no stack; the status is the rounds' verdict so far.
    expect(r.stderr).toMatch(/^status [01]\n$/);
    expect(r.ms).toBeLessThan(5000);
  });

  it('a reader that goes away in plain mode: the same', async () => {
    const r = await pipedToHead(session('--no-log', '--plain'), 2);
    expect(r.stdout.split('\n')).toHaveLength(3);
    expect(r.stderr).toMatch(/^status [01]\n$/);
    expect(r.ms).toBeLessThan(5000);
  });
});

describeWithPrereqs('the session log cannot be written', ['root', 'unshare', 'mount'], () => {
  /**
   * Run gcrwatch for 2.5 s in a mount namespace of its own, where `setup` (a shell line) has
   * made the log's folder: nothing it mounts is seen outside, and it goes with the process.
   */
  function inMountNamespace(setup: string, log: string) {
    const args = ['--plain', ...session('--log', log, '--duration', '2500ms')].map((a) => `'${a}'`).join(' ');
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        'unshare',
        ['-m', '--propagation', 'private', 'sh', '-c', `${setup} && exec "$0" "$1" ${args}`, process.execPath, BIN],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        stdout += c;
      });
      child.stderr.setEncoding('utf8').on('data', (c: string) => {
        stderr += c;
      });
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** One warning line naming the log and the reason, and rounds printed after it until the end. */
  function expectOneWarningAndRoundsAfter(
    run: { code: number | null; stdout: string; stderr: string },
    reason: RegExp,
  ): void {
    expect(run.code).toBe(0);
    const warnings = run.stderr.trimEnd().split('\n');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/cannot write the session log .*s\.ndjson: /);
    expect(warnings[0]).toMatch(reason);
    expect(warnings[0]).toMatch(/probing continues without a log/);
    expect(run.stdout.match(/ 401 {2}ok$/gm)!.length).toBeGreaterThanOrEqual(15);
    expect(run.stdout).toMatch(/^target +rounds +loss%/m);
  }

  it('a full disk (a 64 KiB tmpfs, 60 KiB taken): one warning, probing goes on, the log holds whole lines', async () => {
    const dir = path.join(front.dir, 'tiny');
    mkdirSync(dir, { recursive: true });
    // The log is read back inside the namespace, before the tmpfs goes away with it.
    const log = path.join(dir, 's.ndjson');
    const run = await inMountNamespace(
      // 4 KiB left: a session.start, the first full probe and a few dozen probes written as references.
      `mount -t tmpfs -o size=64k tmpfs '${dir}' && head -c 60k /dev/zero > '${dir}/filler' && { (sleep 2; cp '${log}' '${front.dir}/full-copy.ndjson') & }`,
      log,
    );
    expectOneWarningAndRoundsAfter(run, /the disk is full \(ENOSPC\)/);
    const copy = readFileSync(path.join(front.dir, 'full-copy.ndjson'), 'utf8');
    expect(copy.length).toBeGreaterThan(2 * 1024);
    expect(copy.length).toBeLessThanOrEqual(4 * 1024);
    // Valid up to its last full line; a line cut by ENOSPC is the only one that may not parse.
    const lines = copy.split('\n');
    for (const line of lines.slice(0, -1)) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('a read-only folder: one warning, probing goes on', async () => {
    const dir = path.join(front.dir, 'ro');
    mkdirSync(dir, { recursive: true });
    const run = await inMountNamespace(
      `mount --bind '${dir}' '${dir}' && mount -o remount,bind,ro '${dir}'`,
      path.join(dir, 's.ndjson'),
    );
    expectOneWarningAndRoundsAfter(run, /read-only \(EROFS\)/);
    expect(() => statSync(path.join(dir, 's.ndjson'))).toThrow();
  });
});

describe.runIf(tmuxTestRuns('the terminal resize test'))('the dashboard in a terminal resized again and again', () => {
  it('keeps drawing within the terminal, never crashes, and quits cleanly', async () => {
    checkTerminalPrerequisites();
    const exitFile = path.join(front.dir, 'tui-exit');
    const args = session('--no-log')
      .map((a) => `'${a}'`)
      .join(' ');
    const term = startTmux(
      `env -u CI -u CONTINUOUS_INTEGRATION TERM=xterm-256color '${process.execPath}' '${BIN}' ${args} 2>'${front.dir}/tui-stderr'; echo "EXIT=$?" > '${exitFile}'; sleep 60`,
      { columns: 120, rows: 40, artifacts: path.join(ARTIFACTS_ROOT, 'resize') },
    );
    try {
      await term.waitFor('the dashboard', (s) => s.includes(front.target) && s.includes('latency ms'), 15_000);
      // Sizes from tiny to large, each for less than a redraw interval, then some that stay.
      const sizes = [
        [20, 6],
        [200, 60],
        [80, 24],
        [40, 10],
        [150, 50],
        [79, 23],
        [30, 8],
        [120, 40],
        [60, 15],
        [100, 30],
      ];
      for (let i = 0; i < 40; i++) {
        const [x, y] = sizes[i % sizes.length]!;
        term.tmux('resize-window', '-t', 'main', '-x', String(x), '-y', String(y));
        await new Promise((r) => setTimeout(r, i % 7 === 0 ? 400 : 40));
      }
      for (const [x, y] of [
        [70, 20],
        [100, 30],
      ] as const) {
        term.tmux('resize-window', '-t', 'main', '-x', String(x), '-y', String(y));
        const screen = await term.waitFor(
          `the dashboard at ${x}x${y}`,
          (s) => s.includes(front.target) && s.split('\n')[0]!.startsWith('gcrwatch'),
          5_000,
        );
        term.capture(`resized-${x}x${y}`);
        // Never taller than the terminal (Ink flickers and scrolls when it is), never wider.
        expect(screen.replace(/\n+$/, '').split('\n').length).toBeLessThanOrEqual(y);
        for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(x);
      }
      expect(existsSync(exitFile)).toBe(false);
      term.tmux('send-keys', '-t', 'main', 'q');
      const until = Date.now() + 10_000;
      while (!existsSync(exitFile) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      expect(readFileSync(exitFile, 'utf8').trim()).toBe('EXIT=0');
      // Nothing but the cursor shown again (Ink's restore goes to stderr): no error, no stack.
      expect(readFileSync(path.join(front.dir, 'tui-stderr'), 'utf8').replace(/\u001b\[\?25h/g, '')).toBe('');
      expect(term.capture('after-quit')).toMatch(/^target +rounds +loss%/m);
    } finally {
      term.kill();
    }
  }, 60_000);
});

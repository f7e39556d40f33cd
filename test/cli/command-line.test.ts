/**
 * The command line as people type it (issue 13): hosts and an image right after `gcrwatch`,
 * as ping and gping take them; a command is run only after `--`; "did you mean" for a
 * mistyped command; `config` alone and `config print --json`. Runs that probe named hosts run
 * in a network namespace of their own with only a loopback that is down (`unshare -n`): the
 * names cannot resolve and nothing can leave the machine.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SessionEvent, SessionStartEvent } from '../../src/core/events.js';
import { DEFAULT_HOSTS } from '../../src/core/targets.js';
import { describeWithPrereqs } from '../peers/prereqs.js';
import { runCommand } from '../peers/processes.js';
import { BIN, expectRefused, runCli } from '../support/run-cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-cmdline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** No configuration file, no log, no docker credentials: only the words under test matter. */
const env = { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir, XDG_STATE_HOME: dir, DOCKER_CONFIG: dir };

/** A usage error of these words: exit 2, the one line, the hint, nothing on stdout. */
function refused(args: string[], line: RegExp): Promise<void> {
  return expectRefused(args, line, { env, cwd: dir });
}

describe('without --, no word is ever run', () => {
  it('a word that is neither a host nor an image is refused with how to wrap a command, and is not run', async () => {
    const marker = path.join(dir, 'ran');
    await refused(
      ['--plain', 'touch', marker],
      new RegExp(
        `^gcrwatch: "touch" is neither a registry host nor an image reference; to wrap a command, put it after --: gcrwatch -- touch ${marker}$`,
      ),
    );
    expect(existsSync(marker)).toBe(false);
    await refused(['--plain', 'echo', 'hi'], /"echo" is neither .*: gcrwatch -- echo hi$/);
    await refused(['./push.sh'], /"\.\/push\.sh" is neither a registry host nor an image reference/);
  });

  it("after --, the command runs and its status is gcrwatch's", async () => {
    const marker = path.join(dir, 'ran-after-dashes');
    const quiet = ['--plain', '--no-log', '--only', '--target', '127.0.0.1:9', '--interval', '1h'];
    const r = await runCli([...quiet, '--', 'sh', '-c', `touch ${marker}; exit 4`], {
      env,
      cwd: dir,
      timeoutMs: 30_000,
    });
    expect(r.code).toBe(4);
    expect(existsSync(marker)).toBe(true);
    expect(r.stderr).toContain('gcrwatch:   error    no error line recognised; exit 4');
  });

  it('refuses -- with nothing after it, --stay without a command, --demo with hosts', async () => {
    await refused(['--'], /^gcrwatch: nothing to run after --: gcrwatch \[options\] -- COMMAND \[ARGS\.\.\.\]$/);
    await refused(['--stay'], /^gcrwatch: --stay keeps the dashboard of a wrapped push open/);
    await refused(['--demo', 'gcr.io'], /^gcrwatch: --demo watches its own simulated registries: drop "gcr\.io"$/);
  });

  it('refuses a malformed host or image with the reason, and two images', async () => {
    await refused(['gcr.io:99999'], /^gcrwatch: invalid target "gcr\.io:99999": port 99999 is out of range 1-65535$/);
    await refused(['http://gcr.io'], /^gcrwatch: invalid target "http:\/\/gcr\.io": only https/);
    await refused(['gcr.io/Proj/App'], /^gcrwatch: invalid image reference "gcr\.io\/Proj\/App"/);
    await refused(
      ['gcr.io/p/a:1', 'eu.gcr.io/p/b:1'],
      /^gcrwatch: one image at a time: "gcr\.io\/p\/a:1" and "eu\.gcr\.io\/p\/b:1"/,
    );
    await refused(['gcr.io/p/a:1', '--repo', 'eu.gcr.io/p/b'], /^gcrwatch: give the image once/);
  });
});

describe('a mistyped command', () => {
  it.each([
    [['doctr'], 'doctor'],
    [['repot', 'x'], 'report'],
    [['replya', 'x.ndjson'], 'replay'],
    [['confg', 'print'], 'config'],
  ])('%j: did you mean %s?', async (args, meant) => {
    await refused(args, new RegExp(`^gcrwatch: unknown command "${args[0]}": did you mean ${meant}\\?$`));
  });
});

describe('a mistyped option', () => {
  it.each([
    [['--intreval', '1s'], '--interval'],
    [['doctor', '--rouds', '2'], '--rounds'],
  ])('%j: did you mean %s?, on the one line', async (args, meant) => {
    await refused(args, new RegExp(`^gcrwatch: unknown option '${args.at(-2)}': did you mean ${meant}\\?$`));
  });
  it('an option like none gets no guess', async () => {
    await refused(['--zzz'], /^gcrwatch: unknown option '--zzz'$/);
  });
});

describe('help to a reader that went away', () => {
  it.each([['--help'], ['config']])('gcrwatch %s | true: exit 0, no "internal error"', async (word) => {
    // `true` exits without reading: gcrwatch's write meets a closed pipe (EPIPE).
    const r = await runCommand(
      'bash',
      [
        '-c',
        `"$0" "$1" ${word} 2>"$2" | true; echo "status=\${PIPESTATUS[0]}"`,
        process.execPath,
        BIN,
        path.join(dir, 'err'),
      ],
      { env, cwd: dir },
    );
    expect(r.stdout.trim()).toBe('status=0');
    expect(readFileSync(path.join(dir, 'err'), 'utf8')).toBe('');
  });
});

describe('gcrwatch config', () => {
  it('alone prints its help, exit 0', async () => {
    const r = await runCli(['config'], { env, cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: gcrwatch config \[options\] \[command\]/m);
    expect(r.stdout).toMatch(/^ {2}print \[options\] +print the effective configuration/m);
    expect(r.stderr).toBe('');
  });

  it.each([[['config', 'print', '--json']], [['--json', 'config', 'print']]])(
    '%j prints JSON that does not report its own --json as a setting',
    async (args) => {
      const r = await runCli(args, { env, cwd: dir });
      expect(r.code).toBe(0);
      const printed = JSON.parse(r.stdout) as { settings: Array<{ name: string; value: string; source: string }> };
      expect(printed.settings.find((s) => s.name === '--json')).toEqual({ name: '--json', value: '', source: 'unset' });
      expect(printed.settings.filter((s) => s.source === 'command line')).toEqual([]);
    },
  );
});

describeWithPrereqs('hosts and an image after gcrwatch, watched as ping watches them', ['root', 'unshare'], () => {
  /** One round of `gcrwatch args` as NDJSON, in a namespace where nothing resolves or leaves; its session.start. */
  async function startOf(args: string[]): Promise<SessionStartEvent> {
    const r = await runCommand(
      'unshare',
      ['-n', process.execPath, BIN, ...args, '--json', '--rounds', '1', '--timeout', '1s', '--no-log'],
      { env, cwd: dir, timeoutMs: 30_000 },
    );
    const events = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as SessionEvent);
    const start = events.find((e): e is SessionStartEvent => e.type === 'session.start');
    if (!start) throw new Error(`no session.start (exit ${r.code}): ${r.stderr}`);
    return start;
  }
  const ids = (s: SessionStartEvent) => s.targets.map((t) => t.id);

  it('gcrwatch gcr.io watches exactly gcr.io', async () => {
    const start = await startOf(['gcr.io']);
    expect(ids(start)).toEqual(['gcr.io']);
    expect(start.targets[0]).not.toHaveProperty('pushTarget');
  });

  it('several hosts, a port and an https:// URL: exactly those', async () => {
    expect(ids(await startOf(['eu.gcr.io', 'us-docker.pkg.dev']))).toEqual(['eu.gcr.io', 'us-docker.pkg.dev']);
    expect(ids(await startOf(['https://registry.local:5000']))).toEqual(['registry.local:5000']);
    expect(ids(await startOf(['registry.local:5000', '127.0.0.1']))).toEqual(['registry.local:5000', '127.0.0.1']);
  });

  it('an image watches its registry, marked as the push target as --repo does', async () => {
    const start = await startOf(['europe-west1-docker.pkg.dev/proj/repo/app:tag']);
    expect(start.targets).toEqual([expect.objectContaining({ id: 'europe-west1-docker.pkg.dev', pushTarget: true })]);
    expect(start.options).toMatchObject({ repo: 'europe-west1-docker.pkg.dev/proj/repo/app:tag' });
  });

  it('--target adds to the hosts typed, and still to the defaults when none is typed', async () => {
    expect(ids(await startOf(['gcr.io', '--target', 'registry.local:5000']))).toEqual([
      'gcr.io',
      'registry.local:5000',
    ]);
    expect(ids(await startOf(['--target', 'registry.local:5000']))).toEqual([...DEFAULT_HOSTS, 'registry.local:5000']);
  });
});

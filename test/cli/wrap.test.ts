/**
 * The wrapper as a user runs it: the real bin/gcrwatch wrapping real child processes
 * (shell and node scripts written by the test, and a stand-in `docker` on PATH that replays
 * a transcript recorded from the real docker CLI, byte by byte).
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES } from '../support/transcripts.js';
import { ensureBuilt, eventsOf, readLog, runGcrwatch } from '../support/wrap-cli.js';

let dir: string;
let server: Server;
let probeTarget: string;

beforeAll(() => ensureBuilt(), 120_000);

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-wrap-'));
  // A loopback endpoint to probe: it accepts and closes, so each round fails fast and quietly.
  server = createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  probeTarget = `127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  await new Promise((r) => server.close(r));
});

function base(log: string): string[] {
  return ['--only', '--target', probeTarget, '--interval', '1h', '--log', log];
}

function script(name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, body);
  chmodSync(file, 0o755);
  return file;
}

/** A `docker` that replays a recorded transcript in 3-byte chunks, then exits with its status. */
function replayingDocker(fixture: string): NodeJS.ProcessEnv {
  script(
    'docker',
    `#!${process.execPath}
const fs = require('fs');
const out = fs.readFileSync(${JSON.stringify(path.join(FIXTURES, `${fixture}.stdout`))});
const err = fs.readFileSync(${JSON.stringify(path.join(FIXTURES, `${fixture}.stderr`))});
const code = Number(fs.readFileSync(${JSON.stringify(path.join(FIXTURES, `${fixture}.exit`))}, 'utf8'));
let i = 0;
(function next() {
  if (i < out.length) { process.stdout.write(out.subarray(i, i + 3)); i += 3; return setImmediate(next); }
  // Not process.exit(): it drops writes still queued when gcrwatch reads slowly (a loaded
  // machine), as docker, writing blocking, never does. Node ends once they are written.
  process.exitCode = code;
  process.stderr.write(err);
})();
`,
  );
  return { ...process.env, PATH: `${dir}:${process.env.PATH}` };
}

describe('gcrwatch -- CMD', () => {
  it('passes the exit status through', async () => {
    const log = path.join(dir, 's.ndjson');
    const run = await runGcrwatch([...base(log), '--plain', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('out\n');
    expect(run.stderr).toContain('err\n');
    const events = readLog(log);
    expect(eventsOf(events, 'push.end')[0]).toMatchObject({ exitCode: 3 });
    expect(eventsOf(events, 'session.end')[0]).toMatchObject({ reason: 'child-exit', exitCode: 3 });
  });

  it('reports death by a signal as 128 + N', async () => {
    const log = path.join(dir, 's.ndjson');
    const run = await runGcrwatch([...base(log), '--plain', '--', 'sh', '-c', 'kill -TERM $$']);
    expect(run.code).toBe(143);
    expect(eventsOf(readLog(log), 'push.end')[0]).toMatchObject({ exitCode: null, signal: 'SIGTERM' });
  });

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    'passes %s to the child, waits for it, then ends the log',
    async (sig) => {
      const child = script(
        'trap.mjs',
        `process.on('${sig}', () => { console.log('child got ${sig}'); process.exit(42); });
console.log('child ready'); setInterval(() => {}, 1000);`,
      );
      const log = path.join(dir, 's.ndjson');
      const run = await runGcrwatch([...base(log), '--plain', '--', process.execPath, child], {
        signal: { name: sig, when: /child ready/ },
      });
      expect(run.code).toBe(42);
      expect(run.stdout).toContain(`child got ${sig}`);
      const events = readLog(log);
      expect(events.at(-2)).toMatchObject({ type: 'push.end', exitCode: 42 });
      expect(events.at(-1)).toMatchObject({ type: 'session.end', reason: 'signal', signal: sig, exitCode: 42 });
    },
  );

  it('a third Ctrl-C ends gcrwatch at once and takes a command that ignores SIGINT down with it', async () => {
    const pidFile = path.join(dir, 'child.pid');
    const child = script(
      'stubborn.mjs',
      `import { writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));
process.on('SIGINT', () => console.log('ignoring SIGINT')); console.log('child ready'); setInterval(() => {}, 1000);`,
    );
    const run = await runGcrwatch([...base(path.join(dir, 's.ndjson')), '--plain', '--', process.execPath, child], {
      signal: { name: 'SIGINT', when: /child ready/, count: 3 },
    });
    expect(run.code).toBe(130);
    expect(run.stdout.match(/ignoring SIGINT/g)).toHaveLength(2);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 200));
    // Killed: gone, or a zombie waiting for whoever inherited it to reap it.
    const state = () => {
      try {
        return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0];
      } catch {
        return 'gone';
      }
    };
    expect(['Z', 'gone']).toContain(state());
  });

  it('a command that cannot be started: one line, status 127, the log still complete', async () => {
    const log = path.join(dir, 's.ndjson');
    const notExecutable = path.join(dir, 'data.txt');
    writeFileSync(notExecutable, 'x');
    for (const cmd of ['gcrwatch-no-such-command', notExecutable]) {
      const run = await runGcrwatch([...base(log), '--plain', '--', cmd, 'arg']);
      expect(run.code).toBe(127);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(
          new RegExp(
            `^gcrwatch: cannot run "${cmd.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}": (command not found|permission denied)`,
          ),
        ),
      ]);
    }
    const events = readLog(log);
    expect(eventsOf(events, 'push.error').map((e) => e.code)).toEqual(['local.child_failed', 'local.child_failed']);
    expect(events.at(-1)).toMatchObject({ type: 'session.end', exitCode: 127 });
  });

  it('runs the child with the environment and working directory unchanged', async () => {
    const log = path.join(dir, 's.ndjson');
    const run = await runGcrwatch(
      [...base(log), '--json', '--', 'sh', '-c', 'echo "cwd=$(pwd) foo=$GCRWATCH_TEST_FOO"'],
      {
        cwd: dir,
        env: { ...process.env, GCRWATCH_TEST_FOO: 'bar baz' },
      },
    );
    expect(run.code).toBe(0);
    const lines = eventsOf(readLog(log), 'push.output').map((e) => e.line);
    expect(lines).toEqual([`cwd=${dir} foo=bar baz`]);
  });

  it('--json: stdout is only NDJSON; the child output is in push.output events', async () => {
    const log = path.join(dir, 's.ndjson');
    const run = await runGcrwatch([...base(log), '--json', '--', 'sh', '-c', 'echo hello; echo oops >&2']);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; line?: string; stream?: string });
    expect(events.filter((e) => e.type === 'push.output').map((e) => [e.stream, e.line])).toEqual(
      expect.arrayContaining([
        ['stdout', 'hello'],
        ['stderr', 'oops'],
      ]),
    );
    expect(run.stderr).toBe('');
  });

  it('lines cut across writes, CRLF and cursor codes become clean events', async () => {
    const child = script(
      'chunks.mjs',
      `const parts = ['abcdef12', '3456: Prep', 'aring\\r', '\\nabcdef123456: \\u001b[2KPushed\\r\\n', 'v1: digest: sha256:${'a'.repeat(64)} size: 5'];
let i = 0; (function next() { if (i < parts.length) { process.stdout.write(parts[i++]); setTimeout(next, 30); } })();`,
    );
    const log = path.join(dir, 's.ndjson');
    const run = await runGcrwatch([...base(log), '--json', '--', process.execPath, child]);
    expect(run.code).toBe(0);
    const events = readLog(log);
    expect(eventsOf(events, 'push.output').map((e) => e.line)).toEqual([
      'abcdef123456: Preparing',
      'abcdef123456: Pushed',
      `v1: digest: sha256:${'a'.repeat(64)} size: 5`,
    ]);
    expect(eventsOf(events, 'push.layer').map((e) => e.state)).toEqual(['preparing', 'pushed']);
    expect(eventsOf(events, 'push.digest')).toHaveLength(1);
  });
});

describe('gcrwatch --daemon-log', () => {
  it('takes in the daemon line written as the command exits, before push.end (push.end and session.end stay last)', async () => {
    const log = path.join(dir, 's.ndjson');
    const daemonLog = path.join(dir, 'dockerd.log');
    writeFileSync(daemonLog, 'time="2026-11-27T03:00:00Z" level=error msg="Upload failed: old, before the push"\n');
    const line =
      'time=\\"2026-11-27T03:11:54Z\\" level=error msg=\\"Upload failed: use of closed network connection\\"';
    const run = await runGcrwatch([
      ...base(log),
      '--json',
      '--daemon-log',
      daemonLog,
      '--',
      'sh',
      '-c',
      `echo "${line}" >> ${daemonLog}; exit 1`,
    ]);
    expect(run.code).toBe(1);
    const events = readLog(log);
    expect(eventsOf(events, 'daemon.log')).toEqual([
      expect.objectContaining({
        level: 'error',
        message: 'Upload failed: use of closed network connection',
        code: 'push.eof',
      }),
    ]);
    expect(events.slice(-2).map((e) => e.type)).toEqual(['push.end', 'session.end']);
  });

  it('a daemon log that cannot be read is a usage error naming it', async () => {
    const run = await runGcrwatch([
      ...base(path.join(dir, 's.ndjson')),
      '--daemon-log',
      path.join(dir, 'nope.log'),
      '--',
      'true',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^gcrwatch: --daemon-log: cannot read ".*nope\.log"/);
  });
});

describe('gcrwatch -- docker push (replaying recorded docker output)', () => {
  it("every upload reset: four retries, the final network error, docker's status, a plain summary", async () => {
    const log = path.join(dir, 's.ndjson');
    const run = await runGcrwatch([...base(log), '--plain', '--', 'docker', 'push', 'gcr.io/proj/fail:v1'], {
      env: replayingDocker('docker28-reset-all'),
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('d99f2664e607: Retrying in 20 seconds');
    const events = readLog(log);
    expect(eventsOf(events, 'push.start')[0]).toMatchObject({
      tool: 'docker',
      registry: 'gcr.io',
      repository: 'proj/fail',
      tag: 'v1',
    });
    expect(eventsOf(events, 'push.retry').map((e) => e.delaySeconds)).toEqual([5, 10, 15, 20]);
    expect(eventsOf(events, 'push.error')).toMatchObject([{ code: 'push.eof', category: 'network', retryable: true }]);
    expect(eventsOf(events, 'push.end')[0]).toMatchObject({ exitCode: 1, retries: 4, layersPushed: 0 });
    expect(eventsOf(events, 'session.start')[0]!.targets).toContainEqual(
      expect.objectContaining({ id: 'gcr.io', pushTarget: true, source: 'push' }),
    );
    expect(run.stderr).toMatch(/gcrwatch: {3}retries {2}4\n/);
    expect(run.stderr).toMatch(
      /gcrwatch: {3}error {4}push\.eof \(network, docker retries it\): use of closed network connection/,
    );
  });

  it('gcrwatch push IMAGE is the same as -- docker push IMAGE', async () => {
    const log = path.join(dir, 's.ndjson');
    const run = await runGcrwatch(['push', 'eu.gcr.io/proj/app:v1', ...base(log), '--json'], {
      env: replayingDocker('docker28-denied'),
    });
    expect(run.code).toBe(1);
    const events = readLog(log);
    expect(eventsOf(events, 'push.start')[0]).toMatchObject({
      argv: ['docker', 'push', 'eu.gcr.io/proj/app:v1'],
      registry: 'eu.gcr.io',
    });
    expect(eventsOf(events, 'push.error')).toMatchObject([{ code: 'push.denied', category: 'auth', retryable: false }]);
    expect(eventsOf(events, 'push.retry')).toEqual([]);
  });
});

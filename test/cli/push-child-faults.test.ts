/**
 * The fault matrix's push-child row: a wrapped command that exits at once, is killed by
 * SIGKILL, floods 50 MB of output, prints binary junk and invalid UTF-8, or never exits until
 * Ctrl-C. gcrwatch ends with the command's status, keeps up, stays bounded in memory, and
 * its log holds every line and ends with push.end then session.end. Also: the command gets
 * exactly the environment gcrwatch was given.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/events.js';
import { BIN } from '../support/run-cli.js';
import { ensureBuilt, eventsOf, expectWrapLogEnd, readLog, runGcrwatch } from '../support/wrap-cli.js';

let dir: string;
let server: Server;
let probeTarget: string;

beforeAll(() => ensureBuilt(), 120_000);

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-child-'));
  server = createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  probeTarget = `127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  await new Promise((r) => server.close(r));
});

function base(log: string): string[] {
  return ['--no-config', '--only', '--target', probeTarget, '--interval', '1h', '--log', log];
}

function script(name: string, body: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, body);
  chmodSync(file, 0o755);
  return file;
}

/** The log ends as every wrapped session must: push.end, then session.end, each line whole JSON. */
const expectCompleteLog = expectWrapLogEnd;

describe('a wrapped command that misbehaves', () => {
  it('exits at once, printing nothing: its status, and a complete log', async () => {
    const log = path.join(dir, 's.ndjson');
    for (const [argv, status] of [
      [['true'], 0],
      [['sh', '-c', 'exit 3'], 3],
    ] as const) {
      const run = await runGcrwatch([...base(log), '--plain', '--', ...argv]);
      expect(run.code).toBe(status);
      expect(run.stdout).toBe('');
      const events = readLog(log);
      expect(eventsOf(events, 'push.output')).toEqual([]);
      expect(eventsOf(events, 'push.end')[0]).toMatchObject({ exitCode: status });
      expectCompleteLog(events, status);
      rmSync(log);
    }
  });

  it('is killed by SIGKILL in the middle of its output: 137, every line it printed, a complete log', async () => {
    const log = path.join(dir, 's.ndjson');
    const run = await runGcrwatch([
      ...base(log),
      '--json',
      '--',
      'sh',
      '-c',
      'for i in 1 2 3; do echo "line $i"; done; kill -KILL $$; echo never',
    ]);
    expect(run.code).toBe(137);
    const events = readLog(log);
    expect(eventsOf(events, 'push.output').map((e) => e.line)).toEqual(['line 1', 'line 2', 'line 3']);
    expect(eventsOf(events, 'push.end')[0]).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
    expectCompleteLog(events, 137);
    expect(
      run.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as SessionEvent),
    ).toEqual(events);
  });

  it('prints 50 MB as fast as it can: every line is logged, and memory stays bounded', async () => {
    const line = '7e8b6e75fc17: Pushing [==================>                                ]  16.78MB/45.67MB';
    const lines = Math.ceil((50 << 20) / (line.length + 1));
    const flood = script(
      'flood.mjs',
      `const block = Buffer.from(${JSON.stringify(`${line}\n`)}.repeat(1000));
let left = ${lines};
const next = () => { while (left > 0) { const n = Math.min(1000, left); left -= n; const ok = process.stdout.write(n === 1000 ? block : block.subarray(0, n * ${line.length + 1})); if (!ok) return process.stdout.once('drain', next); } };
next();
`,
    );
    const log = path.join(dir, 's.ndjson');
    const child = spawn(process.execPath, [BIN, ...base(log), '--plain', '--', process.execPath, flood], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let printed = 0;
    child.stdout.on('data', (c: Buffer) => {
      for (const b of c) if (b === 10) printed++;
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    // VmHWM is the peak resident set so far: its last reading before the exit is the peak.
    let peakKb = 0;
    const sampler = setInterval(() => {
      try {
        peakKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? peakKb);
      } catch {
        /* exited */
      }
    }, 50);
    const code = await new Promise<number | null>((r) => child.on('close', r));
    clearInterval(sampler);
    expect(code).toBe(0);
    expect(printed).toBe(lines);
    expect(stderr).toMatch(/gcrwatch: push summary/);
    // Kept in memory, 50 MB of lines as strings and events would be several hundred MB.
    expect(peakKb / 1024).toBeGreaterThan(20);
    expect(peakKb / 1024).toBeLessThan(300);
    const text = readFileSync(log, 'utf8');
    let outputs = 0;
    for (let i = text.indexOf('"type":"push.output"'); i >= 0; i = text.indexOf('"type":"push.output"', i + 1))
      outputs++;
    expect(outputs).toBe(lines);
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/"type":"session.end"/);
  }, 120_000);

  it('prints binary junk and invalid UTF-8: clean text lines, valid JSON, its status', async () => {
    const junk = script(
      'junk.cjs',
      `const parts = [
  Buffer.from([0x00, 0x01, 0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0x0a]),
  Buffer.from('ok \\u00e9t\\u00e9 \\u2713\\n'),
  Buffer.from([0xe2, 0x82]), Buffer.from([0x0a]),
  Buffer.from('\\u001b[31mred\\u001b[0m \\u001b]0;title\\u0007bell\\r\\n'),
  require('crypto').randomBytes(64 * 1024),
  Buffer.from('\\nlast line\\n'),
];
(async () => { for (const p of parts) await new Promise((r) => process.stdout.write(p, r)); process.exit(5); })();
`,
    );
    const log = path.join(dir, 's.ndjson');
    const run = await runGcrwatch([...base(log), '--json', '--', process.execPath, junk]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(5);
    const events = readLog(log);
    const lines = eventsOf(events, 'push.output').map((e) => e.line);
    expect(lines).toContain('ok été ✓');
    expect(lines).toContain('red bell');
    expect(lines.at(-1)).toBe('last line');
    // Nothing a terminal would act on survives: no control characters but TAB.
    for (const l of lines) expect(l).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f]/);
    expectCompleteLog(events, 5);
    expect(
      run.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as SessionEvent),
    ).toEqual(events);
  });

  it('never exits until Ctrl-C: the command gets SIGINT once, gcrwatch ends with it', async () => {
    const waiter = script(
      'wait.mjs',
      `let got = 0;
process.on('SIGINT', () => { got++; console.log('got SIGINT ' + got); setTimeout(() => process.exit(130), 200); });
console.log('waiting forever');
setInterval(() => {}, 1000);
`,
    );
    const log = path.join(dir, 's.ndjson');
    const run = await runGcrwatch([...base(log), '--plain', '--', process.execPath, waiter], {
      signal: { name: 'SIGINT', when: /waiting forever/, delayMs: 300 },
    });
    expect(run.code).toBe(130);
    expect(run.stdout).toContain('got SIGINT 1');
    expect(run.stdout).not.toContain('got SIGINT 2');
    const events = readLog(log);
    expect(events.at(-1)).toMatchObject({ type: 'session.end', reason: 'signal', signal: 'SIGINT', exitCode: 130 });
  });

  it('gets exactly the environment gcrwatch was given, nothing added, nothing removed', async () => {
    const dump = path.join(dir, 'env.json');
    const log = path.join(dir, 's.ndjson');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: dir,
      LANG: 'C.UTF-8',
      GCRWATCH_TEST_VALUE: 'a b=c',
      TERM: 'dumb',
    };
    const run = await runGcrwatch(
      [
        ...base(log),
        '--plain',
        '--',
        process.execPath,
        '-e',
        `require('fs').writeFileSync(${JSON.stringify(dump)}, JSON.stringify(process.env))`,
      ],
      { env },
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(dump, 'utf8'))).toEqual(env);
  });
});

/**
 * End to end: the dashboard while gcrwatch wraps a push, in a real terminal (tmux) at
 * 120x40. The push is a stand-in `docker` on PATH that replays, line by line, a transcript
 * recorded from the real docker CLI (two retries), then waits like a long push. Checks the
 * push panel, both retries on the marker row, that `q` stops the push as Ctrl-C would (the
 * command gets SIGINT and gcrwatch ends with its status), and the restored terminal with the
 * push's story on it.
 * Everything stays on loopback: the image goes to a registry address on 127.0.0.1.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTIFACTS_ROOT,
  checkTerminalPrerequisites,
  GCRWATCH_BIN,
  startTmux,
  tmuxTestRuns,
  type TmuxTerminal,
} from '../support/tmux.js';
import { FIXTURES } from '../support/transcripts.js';

const BIN = GCRWATCH_BIN;
const ARTIFACTS = path.join(ARTIFACTS_ROOT, 'tui-wrap');

describe.runIf(tmuxTestRuns('the tmux wrap test'))('gcrwatch -- docker push, with the dashboard', () => {
  let dir: string;
  let term: TmuxTerminal;
  let registry: Server;
  let endpoint: string;

  beforeAll(async () => {
    checkTerminalPrerequisites();
    dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-tmux-wrap-'));
    // The registry address: accepts and closes, so probes and checks fail fast, on loopback.
    registry = createServer((s) => s.destroy());
    await new Promise<void>((r) => registry.listen(0, '127.0.0.1', r));
    endpoint = `127.0.0.1:${(registry.address() as { port: number }).port}`;
    const docker = path.join(dir, 'docker');
    writeFileSync(
      docker,
      `#!${process.execPath}
const lines = require('fs').readFileSync(${JSON.stringify(path.join(FIXTURES, 'docker28-retry-2.stdout'))}, 'utf8').split('\\n').filter(Boolean);
process.on('SIGINT', () => process.exit(130));
let i = 0;
const timer = setInterval(() => {
  if (i < lines.length) { console.log(lines[i++]); return; }
  clearInterval(timer);
  setInterval(() => undefined, 1000);
}, 250);
`,
    );
    chmodSync(docker, 0o755);
    const inner = [
      `cd ${JSON.stringify(dir)}`,
      `env -u CI -u CONTINUOUS_INTEGRATION -u FORCE_COLOR TERM=xterm-256color HOME=${JSON.stringify(dir)} XDG_STATE_HOME=${JSON.stringify(dir)} PATH=${JSON.stringify(`${dir}:${process.env.PATH}`)} node ${JSON.stringify(BIN)} --only --target ${endpoint} --interval 1s -- docker push ${endpoint}/proj/retry:v1`,
      `echo "EXIT=$?" > ${JSON.stringify(path.join(dir, 'exit'))}`,
      'sleep 120',
    ].join('; ');
    term = startTmux(inner, { columns: 120, rows: 40, artifacts: ARTIFACTS });
  });

  afterAll(async () => {
    term?.kill();
    await new Promise((r) => registry?.close(r));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the push and its retries, and q stops the push', async () => {
    const screen = await term.waitFor(
      'both retries on the marker row',
      (s) => /^ push .*1.*2/m.test(s) && /push retry #2/.test(s),
      20_000,
    );
    term.capture('01-wrap-retries');
    expect(screen).toContain(`push docker push ${endpoint}/proj/retry:v1`);
    expect(screen).toMatch(/999fb587b9e4 \S+ r2/);
    expect(screen).toMatch(/^> \S+ +\*127\.0\.0\.1:\d+ /m);
    const marker = screen.split('\n').find((l) => l.startsWith(' push '))!;
    expect(marker.indexOf('S')).toBeLessThan(marker.indexOf('1'));
    expect(marker.indexOf('1')).toBeLessThan(marker.indexOf('2'));

    term.tmux('send-keys', '-t', 'main', 'q');
    const exitFile = path.join(dir, 'exit');
    const until = Date.now() + 15_000;
    while (!existsSync(exitFile) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 300));
    const after = term.capture('02-after-quit');
    expect(readFileSync(exitFile, 'utf8').trim()).toBe('EXIT=130');
    expect(term.tmux('display', '-p', '-t', 'main', '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1');
    // The story of the push on the normal screen: its output, the summary, the verdict.
    expect(after).toMatch(/^999fb587b9e4: Retrying in \d+ seconds?$/m);
    expect(after).toMatch(/^ {2}command {2}docker push 127\.0\.0\.1:\d+\/proj\/retry:v1 {2}\(exit 130, /m);
    expect(after).toMatch(/^ {2}retries {2}2$/m);
    expect(after).toMatch(/^verdict: /m);
  }, 60_000);
});

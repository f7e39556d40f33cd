/**
 * End to end: `gcrwatch replay` in a real terminal (tmux, Debian package tmux) at 120x40 plays
 * a scenario of the corpus in the dashboard: the header says REPLAY, the speed and the position
 * in the log, and shows the diagnosis's top finding; the display's clock is the session's (not
 * the wall clock); space pauses the replay with the display; at the end of the log the clock
 * stops and the header says the log ended; q quits with exit 0 and the terminal restored. Captures go to
 * test-artifacts/replay/. Skipped with a message without tmux; failed when CI=true.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

const SCENARIO = path.resolve(import.meta.dirname, '../scenarios/retry-tls-timeout-regional/session.ndjson');

describe.runIf(tmuxTestRuns('the replay dashboard test'))('gcrwatch replay in the dashboard', () => {
  let dir: string;
  let term: TmuxTerminal;

  beforeAll(() => {
    checkTerminalPrerequisites();
    dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-replay-tmux-'));
    const inner = [
      `env -u CI -u CONTINUOUS_INTEGRATION -u FORCE_COLOR TERM=xterm-256color node ${JSON.stringify(GCRWATCH_BIN)} replay ${JSON.stringify(SCENARIO)} --speed 4`,
      `echo "EXIT=$?" > ${JSON.stringify(path.join(dir, 'exit'))}`,
      `stty -a > ${JSON.stringify(path.join(dir, 'stty'))}`,
      'sleep 60',
    ].join('; ');
    term = startTmux(inner, { columns: 120, rows: 40, artifacts: path.join(ARTIFACTS_ROOT, 'replay') });
  });

  afterAll(() => {
    term?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("plays the log in the dashboard on the session's clock, pauses with space, quits with q", async () => {
    const first = await term.waitFor(
      'the dashboard with the replayed endpoints',
      (s) => s.includes('latency ms') && s.includes('us.gcr.io'),
      15_000,
    );
    term.capture('01-start');
    expect(first).toMatch(/gcr\.io/);
    // The scenario lasts 1m31s; the header says where the replay is in it.
    expect(first.split('\n')[0]).toMatch(/^gcrwatch \S+ +REPLAY 4x \d+s of 1m31s /);
    // The replay reaches the retries (at 23 s and 47 s of the session, 4x faster): the header's
    // verdict line names the finding's category and summary, the host included, at 120 columns.
    const verdictLine = (s: string) => s.split('\n')[1] ?? '';
    const diagnosed = await term.waitFor(
      'the finding in the header',
      (s) => /^Network: \d of \d failed push attempts? came while TLS handshakes to \S+/.test(verdictLine(s)),
      30_000,
    );
    term.capture('02-diagnosed');
    // The session's own time (10:00:xx), not the wall clock, is what the display shows.
    expect(diagnosed).toMatch(/10:00:\d\d/);

    term.tmux('send-keys', '-t', 'main', ' ');
    const paused = await term.waitFor('the paused display', (s) => /PAUSED/.test(s), 5_000);
    term.capture('03-paused');
    await new Promise((r) => setTimeout(r, 1500));
    // Still paused, and still at the same moment of the session.
    const still = term.capture();
    expect(still).toMatch(/PAUSED/);
    const clockOf = (s: string) => /10:00:\d\d/.exec(s.split('\n')[0] ?? '')?.[0];
    expect(clockOf(still)).toBe(clockOf(paused));
    term.tmux('send-keys', '-t', 'main', ' ');
    await term.waitFor('the display running again', (s) => !/PAUSED/.test(s), 5_000);

    // At the end of the log the clock stops and the header says so (not an elapsed time running on).
    const ended = await term.waitFor('the end of the log', (s) => s.includes('REPLAY: log ended at 1m31s'), 40_000);
    term.capture('04-ended');
    expect(ended.split('\n')[0]).toMatch(/REPLAY: log ended at 1m31s/);
    await new Promise((r) => setTimeout(r, 1500));
    expect(term.capture().split('\n')[0]).toBe(ended.split('\n')[0]);

    term.tmux('send-keys', '-t', 'main', 'q');
    const exitFile = path.join(dir, 'exit');
    await term.waitFor('gcrwatch to exit', () => existsSync(exitFile), 10_000);
    expect(readFileSync(exitFile, 'utf8').trim()).toBe('EXIT=0');
    const stty = readFileSync(path.join(dir, 'stty'), 'utf8');
    expect(stty).toMatch(/(^|\s)icanon(\s|$)/);
    expect(stty).toMatch(/(^|\s)echo(\s|$)/);
  }, 120_000);
});

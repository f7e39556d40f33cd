/**
 * End to end: `gcrwatch --demo` in a real terminal (tmux, Debian package tmux) at 120x40.
 * Checks the table rows and the chart, waits for the demo push's first retry and checks
 * that its marker sits under a failed round of the push target, resizes to 70x20 and back,
 * presses p, ?, e and q, and checks the exit and the restored terminal (normal screen,
 * visible cursor, cooked mode). Every capture is kept under test-artifacts/tui/.
 *
 * Runs the built CLI (npm test builds first). Needs tmux: skipped with a message when it
 * is missing, failed when CI=true. Uses its own tmux server (-L), killed at the end.
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

const BIN = GCRWATCH_BIN;
const ARTIFACTS = path.join(ARTIFACTS_ROOT, 'tui');

describe.runIf(tmuxTestRuns('the tmux end-to-end test'))('gcrwatch --demo in tmux', () => {
  let dir: string;
  let term: TmuxTerminal;
  const tmux = (...args: string[]) => term.tmux(...args);
  const capture = (name?: string) => term.capture(name);
  const waitFor = (what: string, test: (screen: string) => boolean, timeoutMs: number) =>
    term.waitFor(what, test, timeoutMs);

  beforeAll(() => {
    checkTerminalPrerequisites();
    dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-tmux-'));
    // CI unset inside the pane: Ink only draws live when it does not think it runs in CI.
    const inner = [
      // The export (key e) lands beside the session logs, in the test's own state folder.
      `cd ${JSON.stringify(dir)}`,
      `env -u CI -u CONTINUOUS_INTEGRATION -u FORCE_COLOR TERM=xterm-256color XDG_STATE_HOME=${JSON.stringify(dir)} node ${JSON.stringify(BIN)} --demo`,
      `echo "EXIT=$?" > ${JSON.stringify(path.join(dir, 'exit'))}`,
      `stty -a > ${JSON.stringify(path.join(dir, 'stty'))}`,
      'sleep 120',
    ].join('; ');
    term = startTmux(inner, { columns: 120, rows: 40, artifacts: ARTIFACTS });
  });

  afterAll(() => {
    term?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the dashboard, the retry marker, survives resizes, answers keys and exits cleanly', async () => {
    const first = await waitFor(
      'the dashboard after the first rounds',
      (s) => s.includes('latency ms') && s.includes('europe-docker.pkg.dev') && !/^[> ] wait /m.test(s),
      15_000,
    );
    capture('01-start-120x40');
    expect(first.split('\n')[0]).toMatch(/^gcrwatch \S+\s+DEMO\s+up \d\/5 {2}every 1s/);
    for (const host of ['gcr.io', 'eu.gcr.io', 'asia.gcr.io', 'us-docker.pkg.dev', 'europe-docker.pkg.dev']) {
      expect(first).toMatch(new RegExp(`^[> ] (OK |WARN|FAIL) +[* ]${host.replace(/\./g, '\\.')}:\\d+ `, 'm'));
    }
    expect(first).toMatch(/^> \S+ +\*gcr\.io:\d+ /m);
    expect(first).toMatch(/^latency ms {2}gcr\.io:\d+ {2}total/m);
    expect(first).toMatch(/^ +\d\S* ┤/m);

    // The demo push retries when gcr.io's TLS handshakes stall (about 19 s in). The mark waits
    // right of the newest round until the round in flight comes in, then sits under it: a timeout.
    const underFailure = (s: string) => {
      const lines = s.split('\n');
      const marker = lines.find((l) => l.startsWith(' push '));
      const axis = lines.find((l) => l.includes('└'));
      const col = marker?.search(/[1-9]/) ?? -1;
      return col > 6 && axis?.[col] === '×';
    };
    const retry = await waitFor(
      'a retry marker under a failed round',
      (s) => /^ push .*[1-9]/m.test(s) && underFailure(s),
      50_000,
    );
    capture('02-retry-120x40');
    expect(retry).toMatch(/push retry #1 layer [0-9a-f]{12} in 5s: net\/http: TLS handsh/);

    tmux('resize-window', '-t', 'main', '-x', '70', '-y', '20');
    const small = await waitFor(
      'the compact layout',
      (s) => s.split('\n')[0]!.startsWith('gcrwatch') && s.includes('└') && !s.includes('1-9 retry'),
      5_000,
    );
    capture('03-resized-70x20');
    const smallLines = small.replace(/\n+$/, '').split('\n');
    expect(smallLines.length).toBeLessThanOrEqual(19);
    expect(small).toMatch(/\*gcr\.io:\d+/);
    expect(small).toContain('└');

    tmux('resize-window', '-t', 'main', '-x', '120', '-y', '40');
    await waitFor('the full layout again', (s) => /every 1s/.test(s.split('\n')[0]!) && s.includes('1-9 retry'), 5_000);
    capture('04-back-120x40');

    tmux('send-keys', '-t', 'main', 'p');
    await waitFor('the DNS phase', (s) => /^latency ms {2}gcr\.io:\d+ {2}DNS/m.test(s), 5_000);
    capture('05-phase-dns');
    tmux('send-keys', '-t', 'main', '?');
    const help = await waitFor('the help', (s) => /^keys$/m.test(s), 5_000);
    capture('06-help');
    expect(help).toContain('pause the display (probing continues)');
    tmux('send-keys', '-t', 'main', '?');
    await waitFor('the help closed', (s) => !/^keys$/m.test(s) && s.includes('latency ms'), 5_000);

    tmux('send-keys', '-t', 'main', 'e');
    const exported = await waitFor('the export', (s) => /^exported to \S+\.ndjson/m.test(s), 5_000);
    capture('06b-export');
    const exportPath = /^exported to (\S+\.ndjson)/m.exec(exported)![1]!;
    expect(path.dirname(exportPath)).toBe(path.join(dir, 'gcrwatch', 'sessions'));
    expect(JSON.parse(readFileSync(exportPath, 'utf8').split('\n')[0]!)).toMatchObject({
      type: 'session.start',
      demo: true,
    });
    // The notice hid the key hints; they come back a few seconds later.
    await waitFor('the key hints back', (s) => /^q quit {2}↑↓ endpoint {2}enter details/m.test(s), 10_000);
    capture('06c-keys-back');

    tmux('send-keys', '-t', 'main', 'q');
    const exitFile = path.join(dir, 'exit');
    const until = Date.now() + 15_000;
    while (!existsSync(exitFile) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 300));
    const after = capture('07-after-quit');
    expect(readFileSync(exitFile, 'utf8').trim()).toMatch(/^EXIT=[01]$/);
    expect(tmux('display', '-p', '-t', 'main', '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1');
    const stty = readFileSync(path.join(dir, 'stty'), 'utf8');
    expect(stty).toMatch(/(^|\s)icanon(\s|$)/);
    expect(stty).toMatch(/(^|\s)echo(\s|$)/);
    expect(after).toMatch(/^target +rounds +loss%/m);
    // The answer stays on the normal screen: the verdict, in the report's words, before the log's path.
    expect(after).toMatch(/^verdict: (No problem found|[A-Z][a-z ]+ \([a-z_.]+, (high|medium|low) confidence\))\. /m);
    expect(after.indexOf('verdict: ')).toBeLessThan(after.indexOf('session log: '));
    expect(after).toMatch(/^session log: .*gcrwatch\/sessions\/.*\.ndjson$/m);
    expect(after).not.toContain('latency ms');
  }, 120_000);
});

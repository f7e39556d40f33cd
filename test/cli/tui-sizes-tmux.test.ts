/**
 * End to end: `gcrwatch --demo` in real terminals (tmux) of 80x24, 100x30, 120x40 and 200x50,
 * read as a user reads them: the header and its verdict, every endpoint's row, the chart, the
 * push lines while the demo pushes, no heading without content, the key line ending with
 * `? help`, and the help overlay complete (scrolled to its end where it does not fit). Then a
 * terminal below the minimum gets its one line, and the dashboard comes back. Captures go to
 * test-artifacts/tui-sizes/. Needs tmux: skipped with a message, failed when CI=true.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_SIZE } from '../../src/ui/layout.js';
import {
  ARTIFACTS_ROOT,
  checkTerminalPrerequisites,
  GCRWATCH_BIN,
  startTmux,
  tmuxTestRuns,
  type TmuxTerminal,
} from '../support/tmux.js';

const ARTIFACTS = path.join(ARTIFACTS_ROOT, 'tui-sizes');
const HOSTS = ['gcr.io', 'eu.gcr.io', 'asia.gcr.io', 'us-docker.pkg.dev', 'europe-docker.pkg.dev'];
/** The push panel's title: the demo's command. */
const PUSH_TITLE = 'push gcrwatch-demo-push gcr.io/demo/app:1.0';
const HEADINGS = [PUSH_TITLE, 'credentials', 'events'];
/** The push panel's first line: how it stands, for how long, its retries. */
const PUSH_HEAD = /(running|done, exit 0|FAILED, exit \d+) {2}\d+(m\d\d)?s {2}\d+ retr(y|ies)/;

/** The demo in a tmux terminal of `columns` x `rows`. */
function startDemo(dir: string, columns: number, rows: number): TmuxTerminal {
  const inner = [
    `cd ${JSON.stringify(dir)}`,
    `env -u CI -u CONTINUOUS_INTEGRATION -u FORCE_COLOR TERM=xterm-256color XDG_STATE_HOME=${JSON.stringify(dir)} node ${JSON.stringify(GCRWATCH_BIN)} --demo`,
    'sleep 60',
  ].join('; ');
  return startTmux(inner, { columns, rows, artifacts: ARTIFACTS });
}

/** Rows of the endpoint table: a health word, then the name (shortened or not). */
function tableRows(screen: string): string[] {
  return screen.split('\n').filter((l) => /^[> ] (OK |WARN|FAIL|wait) /.test(l));
}

/** Headings whose cell below (same column) is blank: a heading without content. */
function emptyHeadings(screen: string): string[] {
  const lines = screen.split('\n');
  const empty: string[] = [];
  lines.forEach((line, y) => {
    for (const heading of HEADINGS) {
      for (const m of line.matchAll(new RegExp(`(^| {2,})(${heading.replace(/[.]/g, '\\.')})( {2,}|$)`, 'g'))) {
        const x = m.index! + m[1]!.length;
        const below = (lines[y + 1] ?? '').slice(x, x + 12).trim();
        if (!below || HEADINGS.some((h) => h.startsWith(below))) empty.push(`${heading} at line ${y + 1}`);
      }
    }
  });
  return empty;
}

describe.runIf(tmuxTestRuns('the tmux size test'))('gcrwatch --demo at every size', () => {
  let dir: string;
  const terms: TmuxTerminal[] = [];

  beforeAll(() => {
    checkTerminalPrerequisites();
    dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-sizes-'));
  });

  afterAll(() => {
    for (const t of terms) t.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const [columns, rows] of [
    [80, 24],
    [100, 30],
    [120, 40],
    [200, 50],
  ] as const) {
    it(`reads right at ${columns}x${rows}`, async () => {
      const term = startDemo(mkdtempSync(path.join(dir, `${columns}x${rows}-`)), columns, rows);
      terms.push(term);
      const screen = await term.waitFor(
        'the dashboard with every endpoint answering and the push running',
        (s) => tableRows(s).length === 5 && !/^[> ] wait /m.test(s) && PUSH_HEAD.test(s),
        40_000,
      );
      term.capture(`${columns}x${rows}-01-dashboard`);
      const lines = screen.replace(/\n+$/, '').split('\n');
      expect(lines.length).toBeLessThanOrEqual(rows - 1);
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(columns);
      // Header and verdict.
      expect(lines[0]).toMatch(/^gcrwatch \S+ +DEMO +up \d\/5 {2}every 1s/);
      expect(lines[1]!.trim().length).toBeGreaterThan(10);
      // Every endpoint, told apart: names shortened in the middle keep region and port.
      const names = tableRows(screen).map((l) => /^[> ] \S+ +[* ](\S+)/.exec(l)![1]!);
      expect(new Set(names).size).toBe(5);
      for (const host of HOSTS) {
        const region = host.split(/[.-]/)[0]!;
        expect(
          names.some((n) => n.startsWith(region)),
          `${host} among ${names.join(' ')}`,
        ).toBe(true);
      }
      if (columns >= 100) for (const host of HOSTS) expect(screen).toContain(host);
      // The chart and its time axis.
      expect(screen).toMatch(/^latency ms {2}\S+ {2}total/m);
      expect(screen).toContain('└');
      // The push lines while the demo pushes: the command in the title, its status under it, its own output.
      const pushTitle = lines.findIndex((l) => l.includes(PUSH_TITLE));
      expect(pushTitle, screen).toBeGreaterThan(0);
      const panelX = lines[pushTitle]!.indexOf(PUSH_TITLE);
      expect(lines[pushTitle + 1]!.slice(panelX)).toMatch(new RegExp(`^${PUSH_HEAD.source}$`));
      expect(screen).toMatch(/\| [0-9a-f]{12}: \w+/);
      expect(emptyHeadings(screen)).toEqual([]);
      expect(lines.at(-1)).toMatch(/^q quit .*\? help$/);
      if (columns >= 200) {
        // The right-hand panels get 40 % of a wide terminal.
        const panelStart = lines.find((l) => l.endsWith(`  ${PUSH_TITLE}`))?.lastIndexOf(PUSH_TITLE);
        expect(panelStart).toBe(columns - Math.floor(columns * 0.4));
      }

      // The help is complete: all of it on screen, or scrolled to its end.
      term.tmux('send-keys', '-t', 'main', '?');
      const help = await term.waitFor('the help', (s) => /^help\b/m.test(s) && /^keys$/m.test(s), 5_000);
      term.capture(`${columns}x${rows}-02-help`);
      expect(help).toContain('  q ');
      let end = help;
      if (/up\/down scroll\]/.test(help)) {
        for (let i = 0; i < 6 && !/^session log: /m.test(end); i++) {
          term.tmux('send-keys', '-t', 'main', 'NPage');
          end = await term.waitFor('the help scrolled', (s) => s !== end || /^session log: /m.test(s), 5_000);
        }
        term.capture(`${columns}x${rows}-03-help-end`);
      }
      expect(end).toMatch(/^session log: /m);
      term.tmux('send-keys', '-t', 'main', 'Escape');
      await term.waitFor('the dashboard again', (s) => s.includes('latency ms'), 5_000);

      if (columns === 80) {
        // Below the minimum: one line says so, and the dashboard comes back when there is room.
        term.tmux('resize-window', '-t', 'main', '-x', '50', '-y', '12');
        const small = await term.waitFor('the too-small line', (s) => /too small/.test(s), 5_000);
        term.capture('80x24-04-too-small');
        const shown = small.split('\n').filter((l) => l.trim());
        expect(shown).toHaveLength(1);
        expect(shown[0]).toContain(`${MIN_SIZE.columns}x${MIN_SIZE.rows}`);
        term.tmux('resize-window', '-t', 'main', '-x', '80', '-y', '24');
        await term.waitFor(
          'the dashboard after the resize',
          (s) => s.includes('latency ms') && !/too small/.test(s),
          5_000,
        );
      }
      term.tmux('send-keys', '-t', 'main', 'q');
      await term.waitFor('the exit', (s) => /^session log: /m.test(s) && !s.includes('latency ms'), 15_000);
    }, 90_000);
  }
});

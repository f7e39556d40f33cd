/**
 * End to end: `gcrwatch sessions` and then `gcrwatch report` (no file) in a real 80x24 terminal
 * (tmux, Debian package tmux), as a user who wants the last session's verdict types them. The
 * list fits the terminal's width, newest first, its verdict cut with an ellipsis rather than
 * wrapped (a wider terminal, a pipe or --json shows it whole); the report is the newest session's. Captures go to test-artifacts/sessions/.
 * Skipped with a message without tmux; failed when CI=true.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionFileName } from '../../src/core/log/session-files.js';
import {
  ARTIFACTS_ROOT,
  checkTerminalPrerequisites,
  GCRWATCH_BIN,
  startTmux,
  tmuxTestRuns,
  type TmuxTerminal,
} from '../support/tmux.js';

const SCENARIOS = path.resolve(import.meta.dirname, '../scenarios');

/** A scenario's log whose session.end carries the verdict a live session records. */
function withVerdict(name: string, verdict: object): string {
  const lines = readFileSync(path.join(SCENARIOS, name, 'session.ndjson'), 'utf8')
    .trimEnd()
    .split('\n');
  const end = JSON.parse(lines.pop()!) as Record<string, unknown>;
  return [...lines, JSON.stringify({ ...end, verdict })].join('\n') + '\n';
}

describe.runIf(tmuxTestRuns('the sessions terminal test'))('gcrwatch sessions in an 80x24 terminal', () => {
  let dir: string;
  let term: TmuxTerminal;

  beforeAll(() => {
    checkTerminalPrerequisites();
    dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-sessions-tmux-'));
    const sessions = path.join(dir, 'gcrwatch', 'sessions');
    mkdirSync(sessions, { recursive: true });
    const older = sessionFileName(new Date('2026-03-01T08:00:00Z'), 11);
    const newer = sessionFileName(new Date('2026-03-02T10:00:00Z'), 12);
    writeFileSync(path.join(sessions, older), withVerdict('healthy', { findings: 0 }));
    writeFileSync(
      path.join(sessions, newer),
      withVerdict('retry-tls-timeout-regional', {
        findings: 2,
        top: {
          code: 'network.retries_with_probe_trouble',
          category: 'network',
          confidence: 'high',
          summary: 'retries while probes failed',
        },
      }),
    );
    const inner = [
      `export XDG_STATE_HOME=${JSON.stringify(dir)} TERM=xterm-256color`,
      `node ${JSON.stringify(GCRWATCH_BIN)} sessions`,
      `node ${JSON.stringify(GCRWATCH_BIN)} report | grep -m1 '^\\*\\*'`,
      'echo REPORTED',
      'sleep 60',
    ].join('; ');
    term = startTmux(inner, { columns: 80, rows: 24, artifacts: path.join(ARTIFACTS_ROOT, 'sessions') });
  });

  afterAll(() => {
    term?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists the sessions within 80 columns, newest first, and reports the latest without a path', async () => {
    const screen = await term.waitFor('the list and the report', (s) => s.includes('REPORTED'), 20_000);
    term.capture('80x24');
    const lines = screen.split('\n');
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(80);
    expect(lines[0]).toMatch(/^# {2}STARTED {12}DURATION +TARGETS +PUSH +VERDICT$/);
    expect(lines[1]).toMatch(/^1 {2}2026-03-02 10:00Z {2}1m31s +3 +app:v2 ok, 2 retries {2}network\.retries_…$/);
    expect(lines[1]).toHaveLength(80);
    // Named after the hour it was placed at; listed with the start its log gives.
    expect(lines[2]).toMatch(/^2 {2}2026-03-02 10:00Z {2}1m1s +3 +app:v1 ok +no problem found$/);
    expect(screen).toContain('gcrwatch report N reports session N, gcrwatch replay N plays it back');
    // The report of the latest session: its verdict line.
    expect(screen).toMatch(/^\*\*Network \(network\.retries_with_probe_trouble, \w+ confidence\)\.\*\*/m);
  });
});

/**
 * A terminal for end-to-end tests of the dashboard: a tmux server of the test's own (-L
 * socket), one session at a given size, captures of the pane kept under test-artifacts/,
 * and waiting for a screen. `tmux` is the Debian package of that name.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** True when tmux can be run. */
export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The built CLI the terminal runs, and where captures go. */
export const GCRWATCH_BIN = path.join(ROOT, 'bin', 'gcrwatch');
export const ARTIFACTS_ROOT = path.join(ROOT, 'test-artifacts');

/**
 * Whether a tmux test should run: yes when tmux is there, and also with CI=true (where its
 * absence must fail, see `checkTerminalPrerequisites`); otherwise it is skipped, saying why.
 */
export function tmuxTestRuns(what: string): boolean {
  const ci = process.env.CI === 'true' || process.env.CI === '1';
  if (!hasTmux && !ci) console.warn(`skipping ${what}: tmux is not installed (Debian package tmux)`);
  return hasTmux || ci;
}

/** Throw when tmux or the build is missing (in CI a missing prerequisite is a failure). */
export function checkTerminalPrerequisites(): void {
  if (!hasTmux) throw new Error('tmux is not installed (Debian package tmux); CI=true requires it');
  if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js')))
    throw new Error('dist/ is missing: run npm run build (npm test does)');
}

/** A running tmux session. */
export interface TmuxTerminal {
  /** Run a tmux command against this server; throws with tmux's message on failure. */
  tmux(...args: string[]): string;
  /** The pane's text; kept as `<artifacts>/<name>.txt` when named. */
  capture(name?: string): string;
  /** Capture until `test` holds; throws with the last screen after `timeoutMs`. */
  waitFor(what: string, test: (screen: string) => boolean, timeoutMs: number): Promise<string>;
  /** Kill the server (and what runs in it). Safe to call twice. */
  kill(): void;
}

/** Start `command` (a shell line) in a new tmux server at `columns` x `rows`. */
export function startTmux(command: string, opts: { columns: number; rows: number; artifacts: string }): TmuxTerminal {
  const socket = `gcrwatch-e2e-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  mkdirSync(opts.artifacts, { recursive: true });
  const tmux = (...args: string[]) => {
    const r = spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr.trim()}`);
    return r.stdout;
  };
  tmux(
    '-f',
    '/dev/null',
    'new-session',
    '-d',
    '-s',
    'main',
    '-x',
    String(opts.columns),
    '-y',
    String(opts.rows),
    command,
  );
  const capture = (name?: string) => {
    const screen = tmux('capture-pane', '-p', '-t', 'main');
    if (name) writeFileSync(path.join(opts.artifacts, `${name}.txt`), screen);
    return screen;
  };
  return {
    tmux,
    capture,
    async waitFor(what, test, timeoutMs) {
      const until = Date.now() + timeoutMs;
      let screen = '';
      while (Date.now() < until) {
        screen = capture();
        if (test(screen)) return screen;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`timed out waiting for ${what}; screen:\n${screen}`);
    },
    kill: () => {
      spawnSync('tmux', ['-L', socket, 'kill-server']);
    },
  };
}

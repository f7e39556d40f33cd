/**
 * Running the real `bin/gcrwatch` as a child process while it wraps a command: signals sent
 * when a line appears, a prefix such as `ip netns exec W`, the session log read back. The
 * build (dist/) is brought up to date first when a source file is newer, so these tests also
 * run on their own (`npx vitest run test/cli/wrap.test.ts`) without `npm test`'s build.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { SessionEvent } from '../../src/core/events.js';

import { BIN } from './run-cli.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Compile src/ to dist/ unless dist is newer than every source file. */
export function ensureBuilt(): void {
  let built = 0;
  try {
    built = statSync(path.join(ROOT, 'dist', 'cli', 'main.js')).mtimeMs;
  } catch {
    /* not built */
  }
  if (built && built >= newestMtime(path.join(ROOT, 'src'))) return;
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')],
    { stdio: 'inherit' },
  );
}

/** What a run printed and how it ended. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Options of a run. */
export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /**
   * Send this signal to gcrwatch (its pid only, not its group) `delayMs` after `when` appears
   * on stdout or stderr; `count` times (default once), 300 ms apart.
   */
  signal?: { name: NodeJS.Signals; when: RegExp; delayMs?: number; count?: number };
  timeoutMs?: number;
  /** Run under another program (e.g. `ip netns exec W`). */
  prefix?: string[];
}

/** Run gcrwatch with `args`; resolves when it exits (killed after `timeoutMs`). */
export function runGcrwatch(args: string[], options: RunOptions = {}): Promise<CliRun> {
  const argv = [...(options.prefix ?? []), process.execPath, BIN, ...args];
  const child = spawn(argv[0]!, argv.slice(1), {
    env: options.env ?? process.env,
    cwd: options.cwd ?? ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let signalled = false;
  const check = () => {
    if (options.signal && !signalled && options.signal.when.test(stdout + stderr)) {
      signalled = true;
      const { name, delayMs, count } = options.signal;
      for (let i = 0; i < (count ?? 1); i++) setTimeout(() => child.kill(name), (delayMs ?? 0) + i * 300);
    }
  };
  // Decoded as a stream: a character split across two chunks must not become two U+FFFD.
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
    check();
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
    check();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}

/** Every event of a session log, probes written as references expanded (one reader for the tests). */
export { readLog } from './session-log.js';

/** Events of one type from a list. */
export function eventsOf<T extends SessionEvent['type']>(
  events: SessionEvent[],
  type: T,
): Array<Extract<SessionEvent, { type: T }>> {
  return events.filter((e): e is Extract<SessionEvent, { type: T }> => e.type === type);
}

/**
 * How the log of a wrapped command ends: push.end, then only the findings the diagnosis
 * concludes and, when the command ended before them, the first probe rounds and credential
 * check the wrapper waits for (8 s at most), then session.end with `exitCode`.
 */
export function expectWrapLogEnd(events: SessionEvent[], exitCode: number): void {
  expect(events[0]!.type).toBe('session.start');
  const end = events.findIndex((e) => e.type === 'push.end');
  expect(end).toBeGreaterThan(0);
  const after = events.slice(end + 1, -1);
  expect(after.filter((e) => !['diagnosis', 'probe', 'auth'].includes(e.type))).toEqual([]);
  if (after.some((e) => e.type === 'auth')) expect(eventsOf(events.slice(0, end), 'auth')).toEqual([]);
  expect(Date.parse(events.at(-1)!.t) - Date.parse(events[end]!.t)).toBeLessThan(9000);
  expect(events.at(-1)).toMatchObject({ type: 'session.end', exitCode });
}

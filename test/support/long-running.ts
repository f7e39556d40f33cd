/**
 * A gcrwatch (or any program) left running by a test: started with its output collected,
 * waited on for a line, and stopped by its pid (SIGTERM, then SIGKILL after a grace period).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from './run-cli.js';

/** A running child. */
export interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolve with the first match of `re` in stderr (or stdout), rejecting after `timeoutMs`. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM, wait up to `graceMs`, then SIGKILL. Resolves with the exit code (null when killed). */
  stop(graceMs?: number): Promise<number | null>;
}

/** Start `command args` (default: the built gcrwatch under this Node). */
export function startProgram(args: string[], opts: { env?: NodeJS.ProcessEnv; command?: string } = {}): Running {
  const command = opts.command ?? process.execPath;
  const argv = opts.command ? args : [BIN, ...args];
  const child = spawn(command, argv, { env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor: (re, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const deadline = Date.now() + timeoutMs;
        const poll = () => {
          const m = err.match(re) ?? out.match(re);
          if (m) {
            resolve(m);
            return;
          }
          if (child.exitCode !== null) {
            reject(new Error(`exited (${child.exitCode}) before ${re}: ${err.slice(-500)}`));
            return;
          }
          if (Date.now() > deadline) {
            reject(new Error(`no ${re} within ${timeoutMs} ms: ${err.slice(-500)}`));
            return;
          }
          setTimeout(poll, 50);
        };
        poll();
      }),
    stop: async (graceMs = 5000) => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (child.exitCode === null) child.kill('SIGKILL');
      }, graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/**
 * Child processes of a test world: started with their output in log files, remembered by pid,
 * and stopped by pid (SIGTERM, then SIGKILL after a grace period). Never by name.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';

/** The result of a finished command. */
export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time in milliseconds. */
  ms: number;
  /** True when the command was killed at its time limit. */
  timedOut: boolean;
}

/** Options for {@link runCommand}. */
export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Kill (SIGKILL) after this long; default 60 s. */
  timeoutMs?: number;
  /** Written to stdin, which is then closed. */
  input?: string;
  /** Called with each complete output line as it arrives (for timing what a command prints). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

/** Runs a command to completion, collecting its output. Never rejects on a non-zero exit. */
export function runCommand(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const partial = { stdout: '', stderr: '' };
    const collect = (stream: 'stdout' | 'stderr') => (text: string) => {
      if (stream === 'stdout') stdout += text;
      else stderr += text;
      if (!options.onLine) return;
      const lines = (partial[stream] + text).split(/\r?\n/);
      partial[stream] = lines.pop()!;
      for (const line of lines) options.onLine(line, stream);
    };
    child.stdout!.setEncoding('utf8').on('data', collect('stdout'));
    child.stderr!.setEncoding('utf8').on('data', collect('stderr'));
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) process.kill(child.pid, 'SIGKILL');
    }, options.timeoutMs ?? 60_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      for (const stream of ['stdout', 'stderr'] as const)
        if (partial[stream]) options.onLine?.(partial[stream], stream);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started, timedOut });
    });
    child.stdin!.on('error', () => {});
    child.stdin!.end(options.input);
  });
}

/** Runs a command and throws with its stderr when it fails. Returns stdout. */
export async function mustRun(command: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  const result = await runCommand(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.code ?? result.signal}: ${result.stderr.trim() || result.stdout.trim()}`,
    );
  }
  return result.stdout;
}

/** Processes a world started; `stopAll()` ends each one by pid. */
export class ProcessGroup {
  private readonly children = new Map<number, ChildProcess>();

  /**
   * Starts a long-running process. With `logFile`, stdout and stderr go there (appended);
   * otherwise they are piped and the caller reads them.
   */
  start(command: string, args: readonly string[], options: SpawnOptions & { logFile?: string } = {}): ChildProcess {
    const { logFile, ...spawnOptions } = options;
    let fd: number | undefined;
    if (logFile) fd = openSync(logFile, 'a');
    try {
      const child = spawn(command, args, { stdio: fd === undefined ? 'pipe' : ['ignore', fd, fd], ...spawnOptions });
      child.on('error', () => {});
      this.adopt(child);
      return child;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /** Remembers a child started elsewhere, so `stopAll()` stops it too. */
  adopt(child: ChildProcess): void {
    if (child.pid === undefined) return;
    const pid = child.pid;
    this.children.set(pid, child);
    child.once('exit', () => this.children.delete(pid));
  }

  /** Stops one child: SIGTERM, then SIGKILL after `graceMs`. Resolves when it has exited. */
  async stop(child: ChildProcess, graceMs = 5_000): Promise<void> {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signal(child.pid, 'SIGTERM');
    const timer = setTimeout(() => signal(child.pid!, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  /** Stops every child still running, in reverse start order. */
  async stopAll(graceMs = 5_000): Promise<void> {
    for (const child of [...this.children.values()].reverse()) await this.stop(child, graceMs);
  }
}

/** Sends a signal to a pid, ignoring "no such process". */
export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

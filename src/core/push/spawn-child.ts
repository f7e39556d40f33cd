/**
 * Running the wrapped command: the user's environment and working directory unchanged, its
 * stdout and stderr read as they come, its exit reported as the shell would (the code, or
 * 128 + N when signal N killed it).
 *
 * The child gets its own process group. A Ctrl-C on the terminal then reaches gcrwatch
 * alone, and gcrwatch passes it on exactly once (in one group the child would get the
 * terminal's signal and ours, and docker takes a second SIGINT as "give up now"). The price:
 * the child cannot read the terminal, so stdin is passed on only when it is not a terminal
 * (push tools do not prompt).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';

/** How long the output of an exited command is still read while something else holds its pipes. */
const PIPE_GRACE_MS = 2000;

/** How the child ended. `code` is the shell's view: the exit status, or 128 + signal number. */
export interface ChildExit {
  code: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

/** The command could not be started at all (not found, not executable). */
export class ChildStartError extends Error {
  constructor(
    readonly program: string,
    readonly reason: string,
    readonly errno?: string,
  ) {
    super(`cannot run "${program}": ${reason}`);
    this.name = 'ChildStartError';
  }
}

/** What the caller supplies. */
export interface SpawnOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Pass our stdin on (only sensible when it is not a terminal). */
  inheritStdin: boolean;
  onChunk(stream: 'stdout' | 'stderr', chunk: Buffer): void;
}

/** A started child. */
export interface ChildHandle {
  pid: number;
  /** Resolves once the child has exited and both of its streams are read to the end. */
  done: Promise<ChildExit>;
  /** Send `signal` to the child's process group (the command and what it started). */
  signal(signal: NodeJS.Signals): void;
}

/** The shell's exit status for a death by `signal`. */
export function signalStatus(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

function reasonOf(err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT') return 'command not found (not on PATH, or no such file)';
  if (err.code === 'EACCES') return 'permission denied (not executable)';
  return err.message;
}

/** Start `argv`; rejects with `ChildStartError` when it cannot be started. */
export function spawnChild(argv: string[], options: SpawnOptions): Promise<ChildHandle> {
  const [program, ...args] = argv;
  if (!program) return Promise.reject(new ChildStartError('', 'no command given'));
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(program, args, {
        env: options.env,
        cwd: options.cwd,
        detached: true,
        stdio: [options.inheritStdin ? 'inherit' : 'ignore', 'pipe', 'pipe'],
      });
    } catch (err) {
      reject(new ChildStartError(program, reasonOf(err as NodeJS.ErrnoException), (err as NodeJS.ErrnoException).code));
      return;
    }
    child.once('error', (err: NodeJS.ErrnoException) => {
      if (child.pid === undefined) reject(new ChildStartError(program, reasonOf(err), err.code));
    });
    child.once('spawn', () => {
      child.stdout!.on('data', (c: Buffer) => options.onChunk('stdout', c));
      child.stderr!.on('data', (c: Buffer) => options.onChunk('stderr', c));
      const done = new Promise<ChildExit>((r) => {
        const finish = (exitCode: number | null, signal: NodeJS.Signals | null) => {
          clearTimeout(grace);
          r({ code: exitCode ?? (signal ? signalStatus(signal) : 1), exitCode, signal });
        };
        let grace: NodeJS.Timeout | undefined;
        // 'close' comes after 'exit' once both pipes have ended, so no output is lost. A
        // background process the command left behind may hold the pipes open: after the
        // command itself exited, its output is waited for only a little while.
        child.once('close', finish);
        child.once('exit', (exitCode, signal) => {
          grace = setTimeout(() => {
            child.removeListener('close', finish);
            child.stdout!.destroy();
            child.stderr!.destroy();
            finish(exitCode, signal);
          }, PIPE_GRACE_MS);
        });
      });
      resolve({ pid: child.pid!, done, signal: (s) => sendToGroup(child, s) });
    });
  });
}

function sendToGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // The group may be gone already (the child exited between the check and the kill).
    try {
      child.kill(signal);
    } catch {
      /* already exited */
    }
  }
}

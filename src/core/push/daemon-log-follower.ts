/**
 * Following the docker daemon's log while a push runs: a file (`--daemon-log FILE`, read
 * from its end like `tail -f`, coping with truncation and rotation), or the journal
 * (`--daemon-log journal`: `journalctl -fu docker -o cat -n 0`). Each new line goes to
 * `onLine`; what it means is decided by `daemon-log.ts`.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { LineSplitter } from './line-splitter.js';

/** A running follower. */
export interface LogFollower {
  stop(): void;
}

/** Why following could not start: the message names the source. */
export class DaemonLogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DaemonLogError';
  }
}

/** How often a followed file is checked for new lines. */
const POLL_MS = 100;
const READ_CHUNK = 64 * 1024;

/** Follow `file` from its current end. Throws `DaemonLogError` when it cannot be read. */
export function followFile(file: string, onLine: (line: string) => void, pollMs = POLL_MS): LogFollower {
  let fd: number;
  let offset: number;
  if (!file.trim()) throw new DaemonLogError('--daemon-log: the file name is empty (a log file, or "journal")');
  try {
    fd = openSync(file, 'r');
    const stat = statSync(file);
    offset = stat.size;
    // A folder opens for reading on Linux, and every read then fails: nothing would ever come.
    if (stat.isDirectory()) {
      closeSync(fd);
      throw Object.assign(new Error('it is a directory'), { code: 'EISDIR' });
    }
  } catch (err) {
    throw new DaemonLogError(`--daemon-log: cannot read "${file}": ${(err as Error).message}`);
  }
  let splitter = new LineSplitter();
  const buf = Buffer.alloc(READ_CHUNK);
  const poll = () => {
    try {
      const size = statSync(file).size;
      if (size < offset) {
        // Truncated or replaced by a new file (log rotation): start again from its beginning.
        closeSync(fd);
        fd = openSync(file, 'r');
        offset = 0;
        splitter = new LineSplitter();
      }
      let n: number;
      while ((n = readSync(fd, buf, 0, buf.length, offset)) > 0) {
        offset += n;
        for (const line of splitter.push(buf.subarray(0, n))) onLine(line);
      }
    } catch {
      // The file is briefly missing during rotation; the next poll tries again.
    }
  };
  const timer = setInterval(poll, pollMs);
  return {
    stop() {
      clearInterval(timer);
      poll();
      try {
        closeSync(fd);
      } catch {
        /* already closed */
      }
    },
  };
}

/** Follow the docker unit's journal (`user`: the user's own). `onError` hears once if journalctl is missing or fails. */
export function followJournal(
  onLine: (line: string) => void,
  onError: (message: string) => void,
  unit = 'docker.service',
  user = false,
): LogFollower {
  const args = [...(user ? ['--user'] : []), '-f', '-u', unit, '-o', 'cat', '-n', '0'];
  const child = spawn('journalctl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const splitter = new LineSplitter();
  let stderr = '';
  let stopping = false;
  child.stdout.on('data', (c: Buffer) => {
    for (const line of splitter.push(c)) onLine(line);
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-500);
  });
  child.once('error', (err: NodeJS.ErrnoException) => {
    onError(
      err.code === 'ENOENT'
        ? '--daemon-log journal: journalctl is not installed'
        : `--daemon-log journal: ${err.message}`,
    );
  });
  child.once('exit', (code) => {
    if (!stopping && code)
      onError(
        `--daemon-log journal: journalctl exited with ${code}${stderr ? `: ${stderr.trim().split('\n')[0]}` : ''}`,
      );
  });
  return {
    stop() {
      stopping = true;
      child.kill('SIGTERM');
    },
  };
}

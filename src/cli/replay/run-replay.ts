/**
 * `gcrwatch replay SESSION.ndjson`: the session played back at `--speed` times real time,
 * through the outputs a live session uses. Until the TUI lands on main this is the plain
 * (or NDJSON) output; the TUI is then attached here, when stdout is a terminal, the same
 * way `attachOutput` does for a live session. On a terminal, `space` pauses and resumes
 * and `q` quits.
 */
import { LogReadError } from '../../core/log/ndjson-reader.js';
import { ReplaySession } from '../../core/replay/replay-session.js';
import { listenForStop } from '../lifecycle.js';
import type { CliIO } from '../outputs/attach.js';
import { FindingsPlainOutput } from '../outputs/findings-plain.js';
import { JsonOutput } from '../outputs/json.js';
import { StreamLineWriter } from '../outputs/line-writer.js';
import { PlainOutput } from '../outputs/plain.js';
import { UsageError } from '../usage-error.js';

/** The flags of `replay`. */
export interface ReplayFlags {
  speed: string;
  json?: boolean;
  plain?: boolean;
}

/** Parse --speed: a positive number up to 100000 (`10`, `0.5`, `10x`). */
export function parseSpeed(raw: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*x?\s*$/i.exec(raw);
  const n = m ? Number(m[1]) : NaN;
  if (!(n > 0) || n > 100_000) throw new UsageError(`--speed: "${raw}" is not a number from 0.01 to 100000 (e.g. 1, 10, 0.5)`);
  return Math.max(0.01, n);
}

/** Run the replay; resolves with the exit code. */
export async function runReplay(file: string, flags: ReplayFlags, io: CliIO): Promise<number> {
  const speed = parseSpeed(flags.speed);
  const abort = new AbortController();
  const warn = (m: string) => io.stderr.write(`gcrwatch: warning: ${m}\n`);
  const session = new ReplaySession(file, { speed, signal: abort.signal, onWarning: warn });
  const out = new StreamLineWriter(io.stdout as unknown as import('node:stream').Writable, () => abort.abort());
  const err = new StreamLineWriter(io.stderr as unknown as import('node:stream').Writable);
  if (flags.json) session.attach(new JsonOutput(out));
  else {
    session.attach(new PlainOutput(out, err));
    session.attach(new FindingsPlainOutput(out));
  }
  err.line(`replaying ${file} at ${speed}x${io.stdoutIsTTY && (io.stdin as NodeJS.ReadStream).isTTY ? ' (space pauses, q quits)' : ''}`);
  const stop = listenForStop(() => abort.abort());
  const keys = listenForKeys(io, {
    space: () => err.line(session.replay.toggle() ? 'replay paused (space to resume)' : 'replay resumed'),
    quit: () => abort.abort(),
  });
  try {
    await session.run();
  } catch (e) {
    if (e instanceof LogReadError) throw new UsageError(e.message);
    throw e;
  } finally {
    keys();
    stop.dispose();
  }
  return 0;
}

/** Raw keys on a terminal: space and q (and Ctrl-C, which raw mode delivers as a key). */
function listenForKeys(io: CliIO, on: { space: () => void; quit: () => void }): () => void {
  const stdin = io.stdin as NodeJS.ReadStream;
  if (!stdin.isTTY || !io.stdoutIsTTY || typeof stdin.setRawMode !== 'function') return () => undefined;
  stdin.setRawMode(true);
  stdin.resume();
  const onData = (data: Buffer) => {
    for (const ch of data.toString('utf8')) {
      if (ch === ' ') on.space();
      else if (ch === 'q' || ch === '\u0003') on.quit();
    }
  };
  stdin.on('data', onData);
  return () => {
    stdin.off('data', onData);
    stdin.setRawMode(false);
    stdin.pause();
  };
}

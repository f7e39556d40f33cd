/**
 * `gcrwatch replay SESSION.ndjson`: the session played back at `--speed` times real time,
 * through the outputs a live session uses: the dashboard on a terminal (its clock is the
 * replay's session time; `space` pauses the replay with the display, `q` quits), plain
 * lines otherwise or with `--plain` (on a terminal `space` and `q` work there too), NDJSON
 * with `--json`.
 */
import type { Writable } from 'node:stream';
import { LogReadError, readSessionLog } from '../../core/log/ndjson-reader.js';
import { redactText } from '../../core/log/redact.js';
import { ReplaySession } from '../../core/replay/replay-session.js';
import { listenForStop } from '../lifecycle.js';
import { loadTui, tuiUsable, type CliIO } from '../outputs/attach.js';
import { FindingsPlainOutput } from '../outputs/findings-plain.js';
import { JsonOutput } from '../outputs/json.js';
import { StreamLineWriter } from '../outputs/line-writer.js';
import { PlainOutput } from '../outputs/plain.js';
import { UsageError } from '../usage-error.js';
import { gcrwatchVersion } from '../version.js';

/** The flags of `replay` (gcrwatch's own --json, --plain and --no-color included). */
export interface ReplayFlags {
  speed: string;
  json?: boolean;
  plain?: boolean;
  color?: boolean;
}

/** Parse --speed: a positive number up to 100000 (`10`, `0.5`, `10x`). */
export function parseSpeed(raw: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*x?\s*$/i.exec(raw);
  const n = m ? Number(m[1]) : NaN;
  if (!(n > 0) || n > 100_000)
    throw new UsageError(`--speed: "${raw}" is not a number from 0.01 to 100000 (e.g. 1, 10, 0.5)`);
  return Math.max(0.01, n);
}

/**
 * Read the first event, so that a file that is not a session log (empty, binary, from a newer
 * gcrwatch) is one error line before anything is shown, not after "replaying ...".
 */
async function checkIsSessionLog(file: string): Promise<void> {
  try {
    for await (const _event of readSessionLog(file)) return;
  } catch (e) {
    if (e instanceof LogReadError) throw new UsageError(e.message);
    throw e;
  }
}

/** An output of the replay: `done` resolves when the user is finished with it. */
interface ReplayOutput {
  /** Resolves when the output wants to stop (q, Ctrl-C, the reader went away). */
  stopped: Promise<void>;
  /** After the replay ended: wait for the user (the dashboard stays until q), then release. */
  finish(): Promise<void>;
  /** Release the terminal at once (an error). */
  close(): Promise<void>;
}

/** Run the replay; resolves with the exit code. */
export async function runReplay(file: string, flags: ReplayFlags, io: CliIO): Promise<number> {
  const speed = parseSpeed(flags.speed);
  await checkIsSessionLog(file);
  const abort = new AbortController();
  const dashboard = !flags.json && !flags.plain && tuiUsable(io);
  // The dashboard owns the screen: the reader's warnings wait until it is gone.
  const held: string[] = [];
  // A warning may quote the log (a damaged line): redacted like everything written.
  const warn = (m: string) =>
    dashboard ? held.push(redactText(m)) : io.stderr.write(`gcrwatch: warning: ${redactText(m)}\n`);
  const session = new ReplaySession(file, { speed, signal: abort.signal, onWarning: warn });
  const output = dashboard
    ? await dashboardOutput(session, file, flags, io)
    : lineOutput(session, file, speed, flags, io);
  void output.stopped.then(() => abort.abort());
  const stop = listenForStop(() => abort.abort());
  try {
    await session.run();
    if (!abort.signal.aborted) await output.finish();
  } catch (e) {
    await output.close();
    if (e instanceof LogReadError) throw new UsageError(e.message);
    throw e;
  } finally {
    stop.dispose();
    for (const m of held) io.stderr.write(`gcrwatch: warning: ${m}\n`);
  }
  await output.close();
  return 0;
}

/** Plain lines or NDJSON; on a terminal, space pauses and q quits. */
function lineOutput(session: ReplaySession, file: string, speed: number, flags: ReplayFlags, io: CliIO): ReplayOutput {
  let stopNow!: () => void;
  const stopped = new Promise<void>((r) => {
    stopNow = r;
  });
  const out = new StreamLineWriter(io.stdout as unknown as Writable, () => stopNow());
  const err = new StreamLineWriter(io.stderr as unknown as Writable);
  if (flags.json) session.attach(new JsonOutput(out));
  else {
    session.attach(new PlainOutput(out, err));
    session.attach(new FindingsPlainOutput(out));
  }
  const keys = listenForKeys(io, {
    space: () => err.line(session.replay.toggle() ? 'replay paused (space to resume)' : 'replay resumed'),
    quit: () => stopNow(),
  });
  err.line(`replaying ${file} at ${speed}x${keys.active ? ' (space pauses, q quits)' : ''}`);
  const close = async () => keys.dispose();
  return { stopped, finish: close, close };
}

/** The dashboard, fed by the replay, on the replay's clock. */
async function dashboardOutput(
  session: ReplaySession,
  file: string,
  flags: ReplayFlags,
  io: CliIO,
): Promise<ReplayOutput> {
  const { startTui } = await loadTui();
  let interrupted!: () => void;
  const interrupt = new Promise<void>((r) => {
    interrupted = r;
  });
  const tui = startTui({
    store: session.store,
    version: gcrwatchVersion(),
    logPath: file,
    color: flags.color !== false && !io.env.NO_COLOR,
    stdout: io.stdout as NodeJS.WriteStream,
    stdin: io.stdin as NodeJS.ReadStream,
    stderr: io.stderr as NodeJS.WriteStream,
    onInterrupt: () => interrupted(),
    now: () => session.replay.virtualNow(),
    onPause: (paused) => (paused ? session.replay.pause() : session.replay.resume()),
  });
  const stopped = Promise.race([tui.quit, interrupt]);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await tui.close();
  };
  // At the end of the log the dashboard stays, showing the last state, until q.
  return {
    stopped,
    finish: async () => {
      await stopped;
      await close();
    },
    close,
  };
}

/** Raw keys on a terminal: space and q (and Ctrl-C, which raw mode delivers as a key). */
function listenForKeys(
  io: CliIO,
  on: { space: () => void; quit: () => void },
): { active: boolean; dispose: () => void } {
  const stdin = io.stdin as NodeJS.ReadStream;
  if (!stdin.isTTY || !io.stdoutIsTTY || typeof stdin.setRawMode !== 'function')
    return { active: false, dispose: () => undefined };
  stdin.setRawMode(true);
  stdin.resume();
  const onData = (data: Buffer) => {
    for (const ch of data.toString('utf8')) {
      if (ch === ' ') on.space();
      else if (ch === 'q' || ch === '\u0003') on.quit();
    }
  };
  stdin.on('data', onData);
  let disposed = false;
  return {
    active: true,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
    },
  };
}

/**
 * Chooses and attaches the output of a session: the TUI on a terminal, plain lines, or
 * NDJSON. Returns a promise that resolves when the output wants the session to end (the
 * reader of stdout went away, or the user quit the TUI).
 */
import type { Session } from '../../core/session.js';
import { verdictOf } from '../../core/diagnose/verdict.js';
import { formatVerdict, lossyTargets } from '../format-findings.js';
import { formatSummary } from '../format.js';
import type { MonitorConfig } from '../monitor-config.js';
import { gcrwatchVersion } from '../version.js';
import { exportSessionLog } from './export-log.js';
import { FindingsPlainOutput } from './findings-plain.js';
import { JsonOutput } from './json.js';
import { StreamLineWriter } from './line-writer.js';
import { PlainOutput } from './plain.js';

/** The process streams and environment a command uses. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdoutIsTTY: boolean;
  env: NodeJS.ProcessEnv;
}

/** An attached output. */
export interface AttachedOutput {
  quit: Promise<void>;
  close(): Promise<void>;
  /** The session is slow to stop: say what it waits for (the dashboard shows it; lines need not). */
  stopping?(waitingFor: string[]): void;
}

/**
 * Whether the TUI can run: stdout is a terminal, and this is not a CI job (Ink then only
 * prints the last frame at exit, so plain lines serve better).
 */
export function tuiUsable(io: CliIO): boolean {
  const set = (v: string | undefined) => v !== undefined && v !== '0' && v !== 'false';
  return io.stdoutIsTTY && !set(io.env.CI) && !set(io.env.CONTINUOUS_INTEGRATION);
}

/**
 * Attach the output `config.output` asks for. `epilogue` gives the lines the dashboard leaves
 * on the normal screen when it closes (default: the summary table and the log's path).
 */
export async function attachOutput(
  session: Session,
  config: MonitorConfig,
  io: CliIO,
  epilogue?: () => string[],
): Promise<AttachedOutput> {
  if (config.output === 'tui' && tuiUsable(io)) return attachTui(session, config, io, epilogue);
  let quit!: () => void;
  const quitting = new Promise<void>((r) => {
    quit = r;
  });
  const out = new StreamLineWriter(io.stdout as unknown as import('node:stream').Writable, quit);
  const err = new StreamLineWriter(io.stderr as unknown as import('node:stream').Writable);
  if (config.output === 'json') session.attach(new JsonOutput(out));
  else {
    session.attach(new PlainOutput(out, err, io.stdoutIsTTY ? io.stdout.columns : undefined));
    session.attach(new FindingsPlainOutput(out));
  }
  return { quit: quitting, close: async () => undefined };
}

/**
 * Load the dashboard only when it is used (plain and JSON runs never load React or Ink),
 * and load React's production build: its entry files choose by NODE_ENV when first
 * loaded, and the development build costs twice the CPU per frame. NODE_ENV is set for
 * that moment only (a user's own value is kept), so a wrapped command does not inherit it.
 */
export async function loadTui(): Promise<typeof import('../../ui/start-tui.js')> {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV ??= 'production';
  try {
    return await import('../../ui/start-tui.js');
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  }
}

/** The dashboard; on close, the terminal is restored and the epilogue (or the session summary) printed. */
async function attachTui(
  session: Session,
  config: MonitorConfig,
  io: CliIO,
  epilogue?: () => string[],
): Promise<AttachedOutput> {
  const { startTui } = await loadTui();
  const logPath = session.log?.path ?? null;
  const tui = startTui({
    store: session.store,
    version: gcrwatchVersion(),
    logPath,
    color: config.color,
    stdout: io.stdout as NodeJS.WriteStream,
    stdin: io.stdin as NodeJS.ReadStream,
    stderr: io.stderr as NodeJS.WriteStream,
    // Raw mode turns Ctrl-C into a key: raise the signal the terminal would have sent, so
    // the one owner of signals (lifecycle.ts, and a wrapped push) handles it as usual.
    onInterrupt: () => process.kill(process.pid, 'SIGINT'),
    onExport: () => exportSessionLog(logPath, config.exportDir ?? process.cwd()),
  });
  return {
    quit: tui.quit,
    stopping: (what) => tui.notice(`quitting: waiting for ${what.length ? what.join(', ') : 'the session to end'}...`),
    close: async () => {
      await tui.close();
      const out = new StreamLineWriter(io.stdout as unknown as import('node:stream').Writable);
      for (const line of epilogue ? epilogue() : summaryLines(session, logPath, io.stdout.columns)) out.line(line);
    },
  };
}

/** What the dashboard leaves on the normal screen: the summary, the verdict and its next step, the log. */
function summaryLines(session: Session, logPath: string | null, columns: number | undefined): string[] {
  const { end, findings } = session.store.getSnapshot();
  const verdict = end ? formatVerdict(verdictOf(findings.values(), lossyTargets(end.summary))) : [];
  return [
    ...(end ? formatSummary(end.summary, columns) : []),
    ...(verdict.length ? ['', ...verdict] : []),
    ...(logPath ? [`session log: ${logPath}`] : []),
  ];
}

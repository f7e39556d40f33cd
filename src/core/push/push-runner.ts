/**
 * One wrapped push, from start to end, as events: `push.start`, then for every line the
 * child prints a `push.output` followed by what the tool's parser makes of it (`push.layer`,
 * `push.retry`, `push.error`, `push.digest`), then `push.end`. With the daemon's log
 * followed, retries wait briefly for their cause (`retry-causes.ts`) and the daemon's
 * notable lines become `daemon.log` events.
 *
 * The runner does not own the process's signals or outputs: the CLI forwards signals with
 * `signal()` and shows lines through `onLine`.
 */
import type { EventInput } from '../events.js';
import type { DaemonLogLine } from './daemon-log.js';
import { PushOutputReader, type ReadResult } from './output-reader.js';
import type { PushEventDraft, PushLine } from './parser-state.js';
import { parserFor } from './parsers/index.js';
import type { PushCommand } from './push-command.js';
import { endCounts, foldPushEvent, newPushReport } from './push-report.js';
import { REAL_TIMERS, RetryCauseMatcher, type Timers } from './retry-causes.js';
import { ChildStartError, spawnChild, type ChildExit, type ChildHandle } from './spawn-child.js';

/** The shell's status for a command that could not be started. */
export const EXIT_NOT_STARTED = 127;

/** What a push run needs. */
export interface PushRunnerOptions {
  command: PushCommand;
  env: NodeJS.ProcessEnv;
  cwd: string;
  inheritStdin: boolean;
  emit(event: EventInput): void;
  /** Each line of the child's output, as it comes (plain mode prints it). */
  onLine?(line: PushLine): void;
  /** Hold retries briefly for the daemon's cause (only when the daemon's log is followed). */
  awaitDaemonCauses?: boolean;
  /**
   * Runs once the child has ended, before the end is written: the last daemon log lines and
   * the engine's answer are taken in here, so that `push.end` is the push's last event.
   */
  beforeEnd?(): Promise<void>;
  timers?: Timers;
}

/** How the push ended. `code` is the status gcrwatch exits with. */
export interface PushOutcome {
  code: number;
  exit?: ChildExit;
  startError?: ChildStartError;
}

/** Runs one push. */
export class PushRunner {
  private readonly reader: PushOutputReader;
  private readonly report = newPushReport();
  private readonly matcher?: RetryCauseMatcher;
  private child?: ChildHandle;
  private startedAt = 0;

  constructor(private readonly options: PushRunnerOptions) {
    this.reader = new PushOutputReader(parserFor(options.command.tool));
    if (options.awaitDaemonCauses)
      this.matcher = new RetryCauseMatcher((r) => this.emitDraft(r), options.timers ?? REAL_TIMERS);
  }

  /**
   * Start the child and run it to its end. A command that cannot be started still gets its
   * `push.start`, a `push.error` (local.child_failed) and a `push.end` with status 127.
   */
  async run(): Promise<PushOutcome> {
    const { command } = this.options;
    this.startedAt = (this.options.timers ?? REAL_TIMERS).now();
    try {
      this.child = await spawnChild(command.argv, {
        env: this.options.env,
        cwd: this.options.cwd,
        inheritStdin: this.options.inheritStdin,
        onChunk: (stream, chunk) => this.handle(this.reader.feed(stream, chunk)),
      });
    } catch (err) {
      if (!(err instanceof ChildStartError)) throw err;
      this.emitStart();
      this.options.emit({
        type: 'push.error',
        text: err.message,
        code: 'local.child_failed',
        category: 'local',
        retryable: false,
      });
      await this.options.beforeEnd?.();
      this.emitEnd(EXIT_NOT_STARTED, null);
      return { code: EXIT_NOT_STARTED, startError: err };
    }
    this.emitStart(this.child.pid);
    const exit = await this.child.done;
    this.handle([...this.reader.end('stdout'), ...this.reader.end('stderr')]);
    await this.options.beforeEnd?.();
    this.matcher?.flush();
    this.emitEnd(exit.exitCode, exit.signal);
    return { code: exit.code, exit };
  }

  /** Pass `signal` on to the child (no-op before it started or after it ended). */
  signal(signal: NodeJS.Signals): void {
    this.child?.signal(signal);
  }

  /** A line of the daemon's log that matters: recorded, and its cause paired with a retry. */
  onDaemonLog(line: DaemonLogLine): void {
    const event: EventInput = { type: 'daemon.log', level: line.level, message: line.message };
    if (line.code) event.code = line.code;
    this.options.emit(event);
    if (line.retryCause !== undefined)
      this.matcher?.onCause({ text: line.retryCause, ...(line.code ? { code: line.code } : {}) });
  }

  private emitStart(pid?: number): void {
    const { command } = this.options;
    const event: EventInput = { type: 'push.start', argv: command.argv, tool: command.tool };
    if (command.image) {
      event.registry = command.image.endpoint;
      event.repository = command.image.repository;
      if (command.image.tag ?? command.image.digest) event.tag = command.image.tag ?? command.image.digest;
    }
    if (pid !== undefined) event.pid = pid;
    this.emitDraft(event);
  }

  private emitEnd(exitCode: number | null, signal: NodeJS.Signals | null): void {
    const durationMs = Math.round((this.options.timers ?? REAL_TIMERS).now() - this.startedAt);
    const event: EventInput = { type: 'push.end', exitCode, durationMs, ...endCounts(this.report) };
    if (signal) event.signal = signal;
    this.emitDraft(event);
  }

  private handle(results: ReadResult[]): void {
    for (const { line, events } of results) {
      this.options.onLine?.(line);
      this.options.emit({ type: 'push.output', stream: line.stream, line: line.text });
      for (const draft of events) {
        if (draft.type === 'push.retry' && this.matcher) this.matcher.onRetry(draft);
        else this.emitDraft(draft);
      }
    }
  }

  private emitDraft(event: PushEventDraft | EventInput): void {
    foldPushEvent(this.report, event);
    this.options.emit(event);
  }
}

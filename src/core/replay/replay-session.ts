/**
 * A session made from a log instead of probes: the same bus, store and diagnosis engine as
 * a live session, fed by a timed replay of the log, so any output that works live (plain
 * lines, NDJSON, the TUI) works on a replay. The log's own `diagnosis` events are dropped:
 * the engine diagnoses the replayed events again, with this version's rules. A log cut off
 * before `session.end` gets one (reason `replay-end`).
 */
import { EventBus, type EventSink } from '../bus.js';
import type { Clock } from '../clock.js';
import { DiagnosisEngine } from '../diagnose/engine.js';
import type { SessionEvent } from '../events.js';
import { readSessionLog } from '../log/ndjson-reader.js';
import { SessionStore } from '../store.js';
import { TimedReplay, type ReplayOutcome } from './timed-replay.js';

/** Replay settings. */
export interface ReplaySessionOptions {
  speed: number;
  clock?: Clock;
  signal?: AbortSignal;
  onWarning?: (message: string) => void;
}

/** A replayed session. Attach outputs, then `run()`. */
export class ReplaySession {
  readonly bus = new EventBus();
  readonly store = new SessionStore();
  readonly diagnosis: DiagnosisEngine;
  readonly replay: TimedReplay;
  private sawEnd = false;
  private lastT?: string;

  constructor(
    readonly path: string,
    opts: ReplaySessionOptions,
  ) {
    this.bus.subscribe(this.store);
    this.diagnosis = new DiagnosisEngine((finding) => this.bus.emit(finding));
    this.bus.subscribe(this.diagnosis);
    const source = readSessionLog(path, opts.onWarning ? { onWarning: opts.onWarning } : {});
    this.replay = new TimedReplay(source, {
      speed: opts.speed,
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  }

  /** Add an output (before `run`). */
  attach(sink: EventSink): () => void {
    return this.bus.subscribe(sink);
  }

  /** Play the log. Rejects with `LogReadError` when the file is not a session log. */
  async run(): Promise<ReplayOutcome> {
    const outcome = await this.replay.run((event) => this.deliver(event));
    if (!this.sawEnd) {
      this.diagnosis.finish();
      this.bus.emit({
        type: 'session.end',
        reason: 'replay-end',
        exitCode: 0,
        summary: this.summaries(),
        ...(this.lastT ? { t: this.lastT } : {}),
      });
    }
    return outcome;
  }

  private deliver(event: SessionEvent): void {
    if (event.type === 'diagnosis') return;
    this.lastT = event.t;
    if (event.type === 'session.start') {
      this.bus.emitStamped({ ...event, replayOf: this.path });
      return;
    }
    if (event.type === 'session.end') {
      this.sawEnd = true;
      this.diagnosis.finish();
    }
    this.bus.emitStamped(event);
  }

  private summaries() {
    return [...this.store.state.targets.values()].map((t) => t.stats.summary(t.info.id));
  }
}

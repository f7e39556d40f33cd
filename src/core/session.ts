/**
 * A monitoring session: the bus, the store, the log, and the scheduler running probe
 * rounds, wired so that data flows one way (probes -> bus -> store, log and outputs).
 * Outputs (plain lines, NDJSON on stdout, the TUI, metrics) subscribe to `bus` before
 * `start()`. The session owns the session.start and session.end events.
 */
import os from 'node:os';
import { EventBus, type EventSink } from './bus.js';
import type { Clock } from './clock.js';
import { DiagnosisEngine } from './diagnose/engine.js';
import type { EventInput, SessionEndEvent, TargetSummary } from './events.js';
import { NdjsonLogWriter } from './log/ndjson-writer.js';
import { runRound } from './probes/round.js';
import type { ProbeOptions } from './probes/types.js';
import { Scheduler } from './scheduler.js';
import { SessionStore, type SessionState } from './store.js';
import type { Target } from './targets.js';
import { readLocalNetwork } from './local-network.js';

/** What a source gets from the session: the bus to emit on, and the state to read. */
export interface SourceContext {
  /** Emit an event (stamped and redacted by the bus). Ignored once the session is stopping. */
  emit(input: EventInput): void;
  /** The store's current state (targets, the push, ...). Read it; never change it. */
  state(): SessionState;
}

/**
 * An event source beside the probe scheduler, with its own schedule (the credential checks,
 * and others like them). A source that also implements `onEvent` reads the stream too.
 */
export interface SessionSource extends Partial<Pick<EventSink, 'onEvent' | 'flush'>> {
  readonly name: string;
  /** Begin emitting; called once, after session.start. */
  start(ctx: SourceContext): void;
  /** Stop and settle: nothing is emitted after the returned promise resolves. */
  stop(): Promise<void>;
  /** Fields this source adds to session.end (e.g. the credential verdict). */
  endSummary?(): Partial<Pick<SessionEndEvent, 'credentials'>>;
}

/** Everything a session needs to run. */
export interface SessionConfig {
  version: string;
  mode: string;
  targets: Target[];
  intervalMs: number;
  probe: ProbeOptions;
  /** Path of the session log, or null for --no-log. */
  logPath: string | null;
  maxRounds?: number;
  /** The options as the user gave them, recorded in session.start (redacted like everything). */
  recordedOptions: Record<string, unknown>;
  demo?: boolean;
  clock?: Clock;
  /** Replaces the real probe round (tests of the session wiring only). */
  roundRunner?: typeof runRound;
  /** Event sources beside the probe scheduler, started after session.start. */
  sources?: SessionSource[];
}

/** A running session. */
export class Session {
  readonly bus = new EventBus();
  readonly store = new SessionStore();
  /** Diagnoses as events come; its findings are events on the bus like any other. */
  readonly diagnosis: DiagnosisEngine;
  readonly scheduler: Scheduler;
  readonly log?: NdjsonLogWriter;
  private stopping = false;
  private ended?: SessionEndEvent;
  private readonly sources: SessionSource[];

  constructor(readonly config: SessionConfig) {
    this.bus.subscribe(this.store);
    this.diagnosis = new DiagnosisEngine((finding) => this.bus.emit(finding));
    this.bus.subscribe(this.diagnosis);
    this.sources = [...(config.sources ?? [])];
    if (config.logPath) {
      this.log = new NdjsonLogWriter(config.logPath, (p) =>
        this.bus.emit({ type: 'warning', code: 'local.log_unwritable', message: p.message }),
      );
    }
    const roundRunner = config.roundRunner ?? runRound;
    this.scheduler = new Scheduler({
      intervalMs: config.intervalMs,
      timeoutMs: config.probe.timeoutMs,
      maxRounds: config.maxRounds,
      clock: config.clock,
      run: async (target, round, signal, lagMs) => {
        const result = await roundRunner({ target, options: config.probe, signal });
        // A round cut short by our own shutdown says nothing about the network.
        if (this.stopping) return;
        this.bus.emit({ type: 'probe', target: target.id, round, kind: 'round', ...result, lagMs: Math.round(lagMs) });
      },
    });
  }

  /** Add an output (or any reader) before `start()`. */
  attach(sink: EventSink): () => void {
    return this.bus.subscribe(sink);
  }

  /** Add an event source before `start()`. */
  addSource(source: SessionSource): void {
    this.sources.push(source);
  }

  /** Open the log, write session.start, and start probing and the other sources. */
  start(): void {
    if (this.log) {
      this.bus.subscribe(this.log);
      this.log.open();
    }
    this.bus.emit({
      type: 'session.start',
      version: this.config.version,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      hostname: os.hostname(),
      mode: this.config.mode,
      targets: this.config.targets,
      options: this.config.recordedOptions,
      network: readLocalNetwork(),
      ...(this.config.demo ? { demo: true } : {}),
    });
    this.scheduler.start(this.config.targets);
    const ctx: SourceContext = {
      emit: (input) => {
        if (!this.stopping) this.bus.emit(input);
      },
      state: () => this.store.state,
    };
    for (const source of this.sources) {
      if (source.onEvent)
        this.bus.subscribe({ name: source.name, onEvent: (e) => source.onEvent!(e), flush: () => source.flush?.() });
      source.start(ctx);
    }
  }

  /** Exit status by the foundation's rule: 0 when the last round of every target succeeded. */
  probeExitCode(): number {
    const targets = [...this.store.state.targets.values()];
    if (!targets.length) return 1;
    return targets.every((t) => t.last?.ok) ? 0 : 1;
  }

  /** Per-target summaries from the store. */
  summaries(): TargetSummary[] {
    return [...this.store.state.targets.values()].map((t) => t.stats.summary(t.info.id));
  }

  /**
   * Stop probing, write session.end with the summary, and close the log. Idempotent:
   * a second call returns the first call's event.
   */
  async stop(reason: SessionEndEvent['reason'], exitCode?: number, signal?: string): Promise<SessionEndEvent> {
    if (this.ended) return this.ended;
    this.stopping = true;
    await Promise.allSettled([this.scheduler.stop(), ...this.sources.map((s) => s.stop())]);
    if (this.ended) return this.ended;
    const code = exitCode ?? this.probeExitCode();
    // Findings that waited for later events are concluded before the session ends.
    this.diagnosis.finish();
    const extra = Object.assign({}, ...this.sources.map((s) => s.endSummary?.() ?? {})) as Partial<SessionEndEvent>;
    const end = this.bus.emit({
      type: 'session.end',
      reason,
      exitCode: code,
      summary: this.summaries(),
      ...extra,
      ...(signal ? { signal } : {}),
      ...(this.log?.dropped ? { droppedEvents: this.log.dropped } : {}),
    }) as SessionEndEvent;
    this.ended = end;
    this.log?.close();
    return end;
  }
}

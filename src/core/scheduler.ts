/**
 * Runs probe rounds on a fixed cadence. Round k of a target is due at
 * `t0 + offset + k × interval` (plus a small random jitter), computed from the start and
 * never from the previous round, so the cadence does not drift. One round per target is in
 * flight at a time: a tick that finds the previous round still running is skipped (and
 * counted), so a hanging target neither piles up work nor delays the others. Every round
 * gets an AbortSignal that fires at the deadline, or when the scheduler stops.
 */
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import type { Target } from './targets.js';

/**
 * Runs one round; must settle soon after `signal` aborts. `deadline` is when the signal fires
 * for lack of time, in the scheduler's `clock.now()` milliseconds.
 */
export type RoundRunner = (
  target: Target,
  round: number,
  signal: AbortSignal,
  lagMs: number,
  deadline: number,
) => Promise<void>;

/** Scheduler settings. */
export interface SchedulerOptions {
  intervalMs: number;
  timeoutMs: number;
  /** Random delay added to each tick, at most this many ms (default: 2 % of the interval, ≤ 50). */
  jitterMs?: number;
  /** Stop each target after this many rounds. */
  maxRounds?: number;
  clock?: Clock;
  random?: () => number;
  run: RoundRunner;
}

interface Lane {
  target: Target;
  index: number;
  next: number;
  inFlight?: AbortController;
  timer?: TimerHandle;
  finished: boolean;
  /** Rounds started (ticks skipped while a round was in flight do not count). */
  launched: number;
  running?: Promise<void>;
}

/** Abort reason of a round whose deadline passed. */
export class DeadlineError extends Error {
  override readonly name = 'TimeoutError';
  constructor(ms: number) {
    super(`round deadline of ${ms} ms passed`);
  }
}

/** The round scheduler. */
export class Scheduler {
  private readonly lanes: Lane[] = [];
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly jitterMs: number;
  private t0 = 0;
  private running = false;
  private resolveDone!: () => void;
  /** The clock rounds are timed and cut by. */
  get roundClock(): Clock {
    return this.clock;
  }
  /** Resolves when every target has run `maxRounds` rounds. */
  readonly done: Promise<void>;
  /** Ticks skipped because the previous round of that target was still running. */
  skipped = 0;

  constructor(private readonly opts: SchedulerOptions) {
    if (!(opts.intervalMs > 0) || !(opts.timeoutMs > 0)) throw new RangeError('interval and timeout must be positive');
    this.clock = opts.clock ?? systemClock;
    this.random = opts.random ?? Math.random;
    this.jitterMs = opts.jitterMs ?? Math.min(50, opts.intervalMs * 0.02);
    this.done = new Promise((r) => {
      this.resolveDone = r;
    });
  }

  /** Start probing `targets`. */
  start(targets: Target[]): void {
    this.t0 = this.clock.now();
    for (const t of targets) this.add(t);
    this.running = true;
    for (const lane of this.lanes) this.schedule(lane, 0);
    this.checkDone();
  }

  /** Add a target while running (a push target found later); its rounds start at once. */
  add(target: Target): void {
    if (this.lanes.some((l) => l.target.id === target.id)) return;
    const lane: Lane = { target, index: this.lanes.length, next: 0, finished: false, launched: 0 };
    this.lanes.push(lane);
    if (this.running) this.schedule(lane, this.roundsElapsed());
  }

  /** Stop: cancel pending ticks, abort rounds in flight, and wait for them to settle. */
  async stop(): Promise<void> {
    this.running = false;
    const pending: Promise<void>[] = [];
    for (const lane of this.lanes) {
      if (lane.timer !== undefined) this.clock.clearTimeout(lane.timer);
      lane.inFlight?.abort(new Error('stopped'));
      if (lane.running) pending.push(lane.running);
    }
    await Promise.allSettled(pending);
    this.resolveDone();
  }

  private roundsElapsed(): number {
    return Math.ceil((this.clock.now() - this.t0) / this.opts.intervalMs);
  }

  private offsetOf(lane: Lane): number {
    // Spread the first rounds of many targets over at most 20 ms each, so they do not all
    // open connections in the same instant.
    return lane.index * Math.min(20, this.opts.intervalMs / Math.max(1, this.lanes.length));
  }

  private schedule(lane: Lane, round: number): void {
    if (!this.running) return;
    lane.next = round;
    const ideal = this.t0 + this.offsetOf(lane) + round * this.opts.intervalMs;
    const due = ideal + this.random() * this.jitterMs;
    lane.timer = this.clock.setTimeout(() => this.tick(lane, round, ideal), Math.max(0, due - this.clock.now()));
  }

  private tick(lane: Lane, round: number, ideal: number): void {
    lane.timer = undefined;
    if (!this.running) return;
    let last = false;
    if (lane.inFlight) {
      this.skipped++;
    } else {
      // --rounds counts rounds run, not ticks: a skipped tick does not use one up.
      last = this.opts.maxRounds !== undefined && lane.launched + 1 >= this.opts.maxRounds;
      this.launch(lane, round, this.clock.now() - ideal, last);
    }
    if (!last) this.schedule(lane, round + 1);
  }

  private launch(lane: Lane, round: number, lagMs: number, last: boolean): void {
    lane.launched++;
    const controller = new AbortController();
    lane.inFlight = controller;
    const deadlineAt = this.clock.now() + this.opts.timeoutMs;
    const deadline = this.clock.setTimeout(
      () => controller.abort(new DeadlineError(this.opts.timeoutMs)),
      this.opts.timeoutMs,
    );
    const run = Promise.resolve()
      .then(() => this.opts.run(lane.target, round, controller.signal, Math.max(0, lagMs), deadlineAt))
      .catch(() => undefined)
      .finally(() => {
        this.clock.clearTimeout(deadline);
        lane.inFlight = undefined;
        lane.running = undefined;
        if (last) {
          lane.finished = true;
          this.checkDone();
        }
      });
    lane.running = run;
  }

  private checkDone(): void {
    if (this.opts.maxRounds === undefined) return;
    if (this.opts.maxRounds <= 0 || (this.lanes.length && this.lanes.every((l) => l.finished))) this.resolveDone();
  }
}

/**
 * A task run at start and then every interval, one run at a time, for event sources that
 * live beside the probe scheduler (the credential checks, and others like them). The next
 * run is due `interval` after the previous one started; a run that overruns is followed at
 * once by the next, never by two. A source may ask for an earlier run (a token about to
 * expire). Each run gets an AbortSignal that fires on `stop()`.
 */
import { systemClock, type Clock, type TimerHandle } from './clock.js';

/** Settings of a periodic task. */
export interface PeriodicOptions {
  intervalMs: number;
  /** The work; must settle soon after `signal` aborts. Errors are the task's own business. */
  run: (signal: AbortSignal) => Promise<void>;
  clock?: Clock;
}

/** The runner. */
export class PeriodicTask {
  private readonly clock: Clock;
  private timer?: TimerHandle;
  private dueAt = 0;
  private running?: Promise<void>;
  private controller?: AbortController;
  private stopped = false;
  /** Runs started so far. */
  runs = 0;

  constructor(private readonly opts: PeriodicOptions) {
    if (!(opts.intervalMs > 0)) throw new RangeError('interval must be positive');
    this.clock = opts.clock ?? systemClock;
  }

  /** Run now, then every interval. */
  start(): void {
    this.stopped = false;
    this.launch();
  }

  /** Ask for a run `delayMs` from now, when that is sooner than the one planned. */
  runIn(delayMs: number): void {
    if (this.stopped) return;
    const at = this.clock.now() + Math.max(0, delayMs);
    if (this.running) {
      if (at < this.dueAt) this.dueAt = at;
      return;
    }
    if (at < this.dueAt) this.arm(at);
  }

  /** Cancel the next run, abort the one in flight and wait for it. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.controller?.abort(new Error('stopped'));
    await this.running;
  }

  private arm(at: number): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.dueAt = at;
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        this.launch();
      },
      Math.max(0, at - this.clock.now()),
    );
  }

  private launch(): void {
    if (this.stopped) return;
    if (this.running) return;
    const controller = new AbortController();
    this.controller = controller;
    this.dueAt = this.clock.now() + this.opts.intervalMs;
    this.runs++;
    this.running = Promise.resolve()
      .then(() => this.opts.run(controller.signal))
      .catch(() => undefined)
      .finally(() => {
        this.running = undefined;
        this.controller = undefined;
        if (this.stopped) return;
        this.arm(this.dueAt);
      });
  }
}

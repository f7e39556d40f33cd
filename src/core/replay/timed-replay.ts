/**
 * Plays a stream of logged events back in time: each event is delivered when as much time
 * has passed since the first one as passed in the session, divided by `speed`. Pausing
 * stops the clock of the replay (time spent paused is not made up afterwards). The clock is
 * injectable, so tests drive it without waiting.
 */
import { systemClock, type Clock } from '../clock.js';
import type { SessionEvent } from '../events.js';

/** Replay settings. */
export interface ReplayOptions {
  /** 1 = real time, 10 = ten times faster. Must be > 0. */
  speed: number;
  clock?: Clock;
  signal?: AbortSignal;
}

/** How a replay ended. */
export interface ReplayOutcome {
  delivered: number;
  /** True when stopped (signal) before the stream ended. */
  stopped: boolean;
}

/** Longest single wait, so a pause or a stop is noticed promptly. */
const STEP_MS = 250;

/** A timed replay of an event stream. */
export class TimedReplay {
  private readonly clock: Clock;
  private paused = false;
  private startedAt?: number;
  private firstAt?: number;
  private pausedSince = 0;
  private pausedTotal = 0;
  private wake?: () => void;

  constructor(
    private readonly source: AsyncIterable<SessionEvent>,
    private readonly opts: ReplayOptions,
  ) {
    if (!(opts.speed > 0) || !Number.isFinite(opts.speed))
      throw new RangeError(`replay speed must be a positive number, got ${opts.speed}`);
    this.clock = opts.clock ?? systemClock;
  }

  /** True while paused. */
  get isPaused(): boolean {
    return this.paused;
  }

  /** Pause or resume; returns the new state (true: paused). */
  toggle(): boolean {
    if (this.paused) this.resume();
    else this.pause();
    return this.paused;
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.pausedSince = this.clock.now();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.pausedTotal += this.clock.now() - this.pausedSince;
    this.wake?.();
  }

  /**
   * The session time the replay has reached (epoch ms): the first event's time plus the replay
   * time since, times the speed, not counting pauses. What "now" is for a display of the replay.
   */
  virtualNow(): number {
    if (this.startedAt === undefined || this.firstAt === undefined || !Number.isFinite(this.firstAt)) return Date.now();
    const now = this.paused ? this.pausedSince : this.clock.now();
    return this.firstAt + (now - this.startedAt - this.pausedTotal) * this.opts.speed;
  }

  /** Deliver every event at its time. Resolves when the stream ends or the signal fires. */
  async run(deliver: (event: SessionEvent) => void): Promise<ReplayOutcome> {
    const startedAt = this.clock.now();
    this.startedAt = startedAt;
    let first: number | undefined;
    let delivered = 0;
    for await (const event of this.source) {
      const at = Date.parse(event.t);
      first ??= at;
      this.firstAt ??= at;
      const offset = Number.isFinite(at) ? Math.max(0, at - first) / this.opts.speed : 0;
      const arrived = await this.waitUntil(() => startedAt + this.pausedTotal + offset);
      if (!arrived) return { delivered, stopped: true };
      deliver(event);
      delivered++;
    }
    return { delivered, stopped: false };
  }

  /** Wait until `due()` (re-read after pauses); false when stopped. */
  private async waitUntil(due: () => number): Promise<boolean> {
    for (;;) {
      if (this.opts.signal?.aborted) return false;
      const left = due() - this.clock.now();
      if (!this.paused && left <= 0) return true;
      await this.sleep(this.paused ? STEP_MS : Math.min(left, STEP_MS));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.clock.clearTimeout(handle);
        this.opts.signal?.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      const handle = this.clock.setTimeout(done, ms);
      this.wake = done;
      this.opts.signal?.addEventListener('abort', done, { once: true });
    });
  }
}

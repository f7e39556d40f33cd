/** Time for the scheduler, injectable so that tests drive it without real waiting. */
import { performance } from 'node:perf_hooks';

/** An opaque timer handle. */
export type TimerHandle = unknown;

/** Monotonic milliseconds and timers. */
export interface Clock {
  /** Monotonic time in ms (not wall time). */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock: `performance.now()` and Node timers. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * Keeping the dashboard's drawing within a share of a core. A frame's cost is Ink's redraw of
 * the whole screen (bench/tui-render.mjs), which gcrwatch cannot make cheaper than Ink is; so
 * when frames cost more than the budget allows at one a second (a slow or busy machine, a huge
 * terminal), they are spaced out instead, up to twice the interval: data and the clock then move every 1.5 or 2 s,
 * keys still answer at once, and the probes, the log and the chart's columns are untouched.
 */

/** How frames are paced. */
export interface PacingOptions {
  /** Share of one core the frames may use (0.01: 1 %). */
  budget: number;
  /** Longest time between frames, however costly they are. */
  maxMs: number;
  /** CPU time of this process so far, in ms. */
  cpuMs?: () => number;
}

/** The default: 1 % of a core for the frames. */
export const DEFAULT_PACING: Omit<PacingOptions, 'maxMs'> = { budget: 0.01 };

const processCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * A pacer: `begin()` when a frame's data is handed out, `end()` once React and Ink have drawn
 * it (the dashboard's layout effect, which runs after Ink's draw); `interval(everyMs)` is the
 * wait before the next frame.
 */
export function framePacer(opts: PacingOptions) {
  const cpuMs = opts.cpuMs ?? processCpuMs;
  let started: number | undefined;
  /** Smoothed CPU ms of a frame: one slow frame (a resize, a GC) does not slow the pace at once. */
  let cost: number | undefined;
  return {
    begin(): void {
      started = cpuMs();
    },
    end(): void {
      if (started === undefined) return;
      const spent = Math.max(0, cpuMs() - started);
      started = undefined;
      cost = cost === undefined ? spent : 0.8 * cost + 0.2 * spent;
    },
    interval(everyMs: number): number {
      if (cost === undefined || !(opts.budget > 0)) return everyMs;
      return Math.round(Math.min(opts.maxMs, Math.max(everyMs, cost / opts.budget)));
    },
    /** The smoothed cost of a frame so far (ms of CPU), if measured. */
    frameCostMs: (): number | undefined => cost,
  };
}

/** What frameSource needs of a pacer. */
export type FramePacer = ReturnType<typeof framePacer>;

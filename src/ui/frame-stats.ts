/**
 * Frames counted for the benchmarks: with GCRWATCH_FRAME_STATS=FILE in the environment, the
 * dashboard records each frame Ink draws (and Ink's time for it) and writes the figures to
 * FILE as JSON when it closes. bench/watch-cost.mjs reads them to tell the cost of a frame in
 * a real session from the number of frames drawn. Without the variable nothing is recorded.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** What is written. Times in ms; `inkMs` is Ink's layout and output per frame (wall time). */
export interface FrameFigures {
  frames: number;
  seconds: number;
  inkMs: { mean: number; p50: number; p95: number; max: number };
}

/** Samples kept at most (one frame a second: hours of session). */
const MAX_SAMPLES = 20_000;

/** A recorder for `file` (undefined: a recorder that records nothing). */
export function frameRecorder(file: string | undefined) {
  const started = performance.now();
  const samples: number[] = [];
  let frames = 0;
  return {
    onRender: file
      ? ({ renderTime }: { renderTime: number }) => {
          frames++;
          if (samples.length < MAX_SAMPLES) samples.push(renderTime);
        }
      : undefined,
    /** Write the figures (once, at close); a write that fails is ignored (a benchmark's aid only). */
    write(): void {
      if (!file) return;
      const sorted = [...samples].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
      const figures: FrameFigures = {
        frames,
        seconds: (performance.now() - started) / 1000,
        inkMs: {
          mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
          p50: at(0.5),
          p95: at(0.95),
          max: sorted[sorted.length - 1] ?? 0,
        },
      };
      try {
        writeFileSync(file, JSON.stringify(figures));
      } catch {
        // Only a benchmark reads this.
      }
    },
  };
}

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { framePacer } from '../../src/ui/frame-pacing.js';
import { frameSource } from '../../src/ui/use-frames.js';

/** A pacer whose frames cost `costs[i]` ms of CPU each, measured when `settle()` runs. */
function pacerWith(costs: number[], budget = 0.01, maxMs = 3000) {
  let cpu = 0;
  let frame = 0;
  const pacer = framePacer({ budget, maxMs, cpuMs: () => cpu });
  return {
    pacer,
    /** The frame begun last is drawn: its CPU is spent, then measured. */
    settle() {
      cpu += costs[Math.min(frame++, costs.length - 1)]!;
      pacer.end();
    },
  };
}

describe('framePacer', () => {
  it('keeps one frame a second while frames fit the budget, and spaces them out when they do not', () => {
    const cheap = pacerWith([4]);
    expect(cheap.pacer.interval(1000)).toBe(1000);
    cheap.pacer.begin();
    cheap.settle();
    expect(cheap.pacer.interval(1000)).toBe(1000);

    const dear = pacerWith([15]);
    dear.pacer.begin();
    dear.settle();
    // 15 ms a frame at 1 % of a core: one frame every 1.5 s.
    expect(dear.pacer.interval(1000)).toBe(1500);
    expect(dear.pacer.frameCostMs()).toBe(15);
  });

  it('smooths one slow frame, and never waits longer than its limit', () => {
    const p = pacerWith([10, 10, 100, 10]);
    for (let i = 0; i < 3; i++) {
      p.pacer.begin();
      p.settle();
    }
    // 10, 10, then a 100 ms frame (a resize, a GC): the pace moves to 2.8 s, not 10 s.
    expect(p.pacer.interval(1000)).toBe(2800);
    const capped = pacerWith([500], 0.01, 3000);
    capped.pacer.begin();
    capped.settle();
    expect(capped.pacer.interval(1000)).toBe(3000);
  });
});

describe('frameSource with a pacer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('draws the next frame after the paced interval', () => {
    const listeners = new Set<() => void>();
    let n = 0;
    const store = {
      subscribe: (l: () => void) => (listeners.add(l), () => listeners.delete(l)),
      getSnapshot: () => n,
    };
    const p = pacerWith([20]);
    const source = frameSource(
      store,
      1000,
      () => Date.now(),
      () => true,
      { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
      p.pacer,
    );
    const at: number[] = [];
    const t0 = Date.now();
    source.subscribe(() => {
      at.push(Date.now() - t0);
      p.settle();
    });
    n++;
    for (const l of listeners) l();
    vi.advanceTimersByTime(1000);
    expect(at).toEqual([1000]);
    // That frame cost 20 ms: 2 % of a core at one a second; the next comes 2 s later.
    vi.advanceTimersByTime(1999);
    expect(at).toEqual([1000]);
    vi.advanceTimersByTime(1);
    expect(at).toEqual([1000, 3000]);
  });
});

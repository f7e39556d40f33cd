import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { frameSource, type Timers } from '../../src/ui/use-frames.js';

/** A minimal store: a counter whose snapshot changes identity on every change. */
function counterStore() {
  const listeners = new Set<() => void>();
  let snap = { n: 0, ended: false };
  return {
    subscribe: (l: () => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    getSnapshot: () => snap,
    bump(ended = false) {
      snap = { n: snap.n + 1, ended };
      for (const l of listeners) l();
    },
    listeners,
  };
}

const fakeTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Frames of `store` every 100 ms on vitest's fake timers, the clock ticking while `ticks`. */
function framesOf(store: ReturnType<typeof counterStore>, ticks: (s: { ended: boolean }) => boolean) {
  return frameSource(store, 100, () => Date.now(), ticks, fakeTimers);
}

describe('frameSource', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('draws data and the clock in one frame per interval, never two, and never loses the last change', () => {
    const store = counterStore();
    const source = framesOf(store, (s) => !s.ended);
    const seen: Array<[number, number]> = [];
    const t0 = Date.now();
    source.subscribe(() => seen.push([source.getSnapshot().snapshot.n, source.getSnapshot().now - t0]));
    // The frame drawn at mount counts: a burst right after it is drawn one interval later, whole.
    for (let i = 0; i < 51; i++) store.bump();
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(seen).toEqual([[51, 100]]);
    // Nothing changes: the clock still moves, one frame per interval.
    vi.advanceTimersByTime(300);
    expect(seen.map(([, t]) => t)).toEqual([100, 200, 300, 400]);
    // A change within the interval waits for the next frame instead of adding one.
    vi.advanceTimersByTime(30);
    store.bump();
    vi.advanceTimersByTime(70);
    expect(seen.slice(-1)).toEqual([[52, 500]]);
    expect(seen).toHaveLength(5);
  });

  it('draws a change at once after a quiet spell when the clock does not move', () => {
    const store = counterStore();
    const source = framesOf(store, (s) => !s.ended);
    const seen: number[] = [];
    source.subscribe(() => seen.push(source.getSnapshot().snapshot.n));
    store.bump(true);
    vi.advanceTimersByTime(100);
    expect(seen).toEqual([1]);
    vi.advanceTimersByTime(500);
    store.bump(true);
    expect(seen).toEqual([1, 2]);
    store.bump(true);
    store.bump(true);
    expect(seen).toEqual([1, 2]);
    vi.advanceTimersByTime(100);
    expect(seen).toEqual([1, 2, 4]);
  });

  it('stops the clock frames once the session ended, and still draws changes', () => {
    const store = counterStore();
    const source = framesOf(store, (s) => !s.ended);
    let frames = 0;
    source.subscribe(() => frames++);
    store.bump(true);
    vi.advanceTimersByTime(1000);
    expect(frames).toBe(1);
    store.bump(true);
    expect(frames).toBe(2);
  });

  it('holds changes while paused and delivers the latest on resume', () => {
    const store = counterStore();
    const source = framesOf(store, () => true);
    const seen: number[] = [];
    source.subscribe(() => seen.push(source.getSnapshot().snapshot.n));
    source.setPaused(true);
    vi.advanceTimersByTime(100);
    const before = seen.length;
    store.bump();
    store.bump();
    vi.advanceTimersByTime(500);
    expect(seen).toHaveLength(before);
    expect(source.getSnapshot().snapshot.n).toBe(0);
    source.setPaused(false);
    expect(seen.at(-1)).toBe(2);
  });

  it('unsubscribes from the store when disposed or when the last listener leaves', () => {
    const store = counterStore();
    const source = frameSource(
      store,
      100,
      () => 0,
      () => false,
    );
    const off = source.subscribe(() => undefined);
    expect(store.listeners.size).toBe(1);
    off();
    expect(store.listeners.size).toBe(0);
    source.subscribe(() => undefined);
    source.dispose();
    expect(store.listeners.size).toBe(0);
  });
});

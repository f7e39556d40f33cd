import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttleSource } from '../../src/ui/use-throttled-store.js';

/** A minimal store: a counter whose snapshot changes identity on every change. */
function counterStore() {
  const listeners = new Set<() => void>();
  let snap = { n: 0 };
  return {
    subscribe: (l: () => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    getSnapshot: () => snap,
    bump() {
      snap = { n: snap.n + 1 };
      for (const l of listeners) l();
    },
    listeners,
  };
}

describe('throttleSource', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('delivers the first change at once and the last of a burst after the interval', () => {
    const store = counterStore();
    const source = throttleSource(store, 100, {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    });
    const seen: number[] = [];
    source.subscribe(() => seen.push(source.getSnapshot().n));
    store.bump();
    for (let i = 0; i < 50; i++) store.bump();
    expect(seen).toEqual([1]);
    vi.advanceTimersByTime(100);
    expect(seen).toEqual([1, 51]);
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual([1, 51]);
  });

  it('holds changes while paused and delivers the latest on resume', () => {
    const store = counterStore();
    const source = throttleSource(store, 100, {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    });
    const seen: number[] = [];
    source.subscribe(() => seen.push(source.getSnapshot().n));
    source.setPaused(true);
    store.bump();
    store.bump();
    vi.advanceTimersByTime(500);
    expect(seen).toEqual([]);
    expect(source.getSnapshot().n).toBe(0);
    source.setPaused(false);
    expect(seen).toEqual([2]);
  });

  it('unsubscribes from the store when disposed or when the last listener leaves', () => {
    const store = counterStore();
    const source = throttleSource(store, 100);
    const off = source.subscribe(() => undefined);
    expect(store.listeners.size).toBe(1);
    off();
    expect(store.listeners.size).toBe(0);
    source.subscribe(() => undefined);
    source.dispose();
    expect(store.listeners.size).toBe(0);
  });
});

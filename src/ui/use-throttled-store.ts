/**
 * The store as the dashboard reads it: through `useSyncExternalStore`, but at most once
 * per `intervalMs` (the store changes with every probe round and every line a push
 * prints; an Ink frame of a 120x40 screen costs ~15 ms of CPU, so frames are what to
 * save), and not at all while the display is paused. Changes are never lost: the last one
 * in a burst is always delivered (leading and trailing edges).
 */
import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';

/** What the dashboard needs of a store (`SessionStore` has it). */
export interface StoreSource<S> {
  subscribe(listener: () => void): () => void;
  getSnapshot(): S;
}

/** A throttled view of a store, with a pause switch. */
export interface ThrottledSource<S> extends StoreSource<S> {
  setPaused(paused: boolean): void;
  /** Stop timers and drop the store subscription. */
  dispose(): void;
}

/** Timers, injectable for tests. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Wrap `store` so listeners hear of changes at most once per `intervalMs`. */
export function throttleSource<S>(
  store: StoreSource<S>,
  intervalMs: number,
  timers: Timers = realTimers,
): ThrottledSource<S> {
  const listeners = new Set<() => void>();
  let snapshot = store.getSnapshot();
  let timer: unknown;
  let pending = false;
  let paused = false;
  let unsubscribe: (() => void) | undefined;

  const emit = () => {
    pending = false;
    const next = store.getSnapshot();
    if (next === snapshot) return;
    snapshot = next;
    for (const l of [...listeners]) l();
    timer = timers.setTimeout(cooldownOver, intervalMs);
  };
  const cooldownOver = () => {
    timer = undefined;
    if (pending && !paused) emit();
  };
  const onChange = () => {
    pending = true;
    if (!paused && timer === undefined) emit();
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      unsubscribe ??= store.subscribe(onChange);
      return () => {
        listeners.delete(listener);
        if (!listeners.size && unsubscribe) {
          unsubscribe();
          unsubscribe = undefined;
        }
      };
    },
    getSnapshot: () => snapshot,
    setPaused(value) {
      paused = value;
      if (!paused && pending && timer === undefined) emit();
    },
    dispose() {
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      unsubscribe?.();
      unsubscribe = undefined;
      listeners.clear();
    },
  };
}

/** The store's snapshot, re-read at most once per `intervalMs` and frozen while `paused`. */
export function useThrottledStore<S>(store: StoreSource<S>, intervalMs: number, paused: boolean): S {
  const source = useMemo(() => throttleSource(store, Math.max(1, intervalMs)), [store, intervalMs]);
  useEffect(() => () => source.dispose(), [source]);
  // Saves the renders a paused screen would throw away; the freeze below is what guarantees
  // it (effects run after the render that paused, and a change may slip in before them).
  useEffect(() => source.setPaused(paused), [source, paused]);
  const live = useSyncExternalStore(source.subscribe, source.getSnapshot);
  const frozen = useRef<{ snapshot: S } | undefined>(undefined);
  if (!paused) frozen.current = undefined;
  else frozen.current ??= { snapshot: live };
  return frozen.current ? frozen.current.snapshot : live;
}

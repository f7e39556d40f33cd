/**
 * The dashboard's frames: the store's snapshot and the clock, sampled together at most once
 * per `everyMs`. An Ink frame redraws the whole screen (its cost is the screen, not what
 * changed), so the one thing that saves CPU is drawing fewer frames: data that changes all
 * the time and a clock that ticks every second share one frame instead of taking turns.
 * A change after a quiet spell is drawn at once; the last change of a burst is never lost.
 */
import { useEffect, useLayoutEffect, useMemo, useSyncExternalStore } from 'react';
import { DEFAULT_PACING, framePacer, type FramePacer } from './frame-pacing.js';

/** What the dashboard needs of a store (`SessionStore` has it). */
export interface StoreSource<S> {
  subscribe(listener: () => void): () => void;
  getSnapshot(): S;
}

/** One frame's data: a snapshot and the time it is drawn at. A new object per frame. */
export interface Frame<S> {
  snapshot: S;
  now: number;
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

/** A source of frames over a store. */
export interface FrameSource<S> extends StoreSource<Frame<S>> {
  /** While paused, no frame comes at all; the latest change is delivered on resume. */
  setPaused(paused: boolean): void;
  /** The frame handed out last has been drawn (it tells the pacer what the frame cost). */
  drawn(): void;
  /** Stop timers and drop the store subscription. */
  dispose(): void;
}

/**
 * Frames of `store` at most once per `everyMs`, stamped with `now()`; while `ticks(snapshot)`
 * holds for the latest snapshot, also one every `everyMs` without a change (the clock moves).
 * `pacer` spaces frames out further when they cost more than its budget (frame-pacing.ts).
 */
export function frameSource<S>(
  store: StoreSource<S>,
  everyMs: number,
  now: () => number,
  ticks: (snapshot: S) => boolean = () => true,
  timers: Timers = realTimers,
  pacer?: FramePacer,
): FrameSource<S> {
  const listeners = new Set<() => void>();
  let frame: Frame<S> = { snapshot: store.getSnapshot(), now: now() };
  let timer: unknown;
  let pending = false;
  let paused = false;
  let unsubscribe: (() => void) | undefined;

  const emit = () => {
    pending = false;
    pacer?.begin();
    frame = { snapshot: store.getSnapshot(), now: now() };
    for (const l of [...listeners]) l();
    timer = timers.setTimeout(cooldownOver, pacer ? pacer.interval(everyMs) : everyMs);
  };
  const cooldownOver = () => {
    timer = undefined;
    if (!paused && listeners.size && (pending || ticks(frame.snapshot))) emit();
  };
  const onChange = () => {
    if (store.getSnapshot() === frame.snapshot) return;
    pending = true;
    if (timer === undefined && !paused) emit();
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      unsubscribe ??= store.subscribe(onChange);
      // A change made between the first frame and this subscription is not lost.
      if (store.getSnapshot() !== frame.snapshot) onChange();
      else if (timer === undefined && !paused) timer = timers.setTimeout(cooldownOver, everyMs);
      return () => {
        listeners.delete(listener);
        if (!listeners.size && unsubscribe) {
          unsubscribe();
          unsubscribe = undefined;
        }
      };
    },
    getSnapshot: () => frame,
    drawn: () => pacer?.end(),
    setPaused(value) {
      paused = value;
      if (!paused && timer === undefined) {
        if (pending) emit();
        else timer = timers.setTimeout(cooldownOver, everyMs);
      }
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

/**
 * The latest frame of `store`: at most one per `everyMs`, one every `everyMs` while `ticks`
 * says the clock moves, none while `paused` (a paused display keeps its own snapshot; this
 * only saves the frames). `ticks` must be a stable function. Keys redraw at once through
 * the caller's state.
 */
export function useFrames<S>(
  store: StoreSource<S>,
  everyMs: number,
  now: () => number,
  ticks: (snapshot: S) => boolean,
  paused: boolean,
): Frame<S> {
  const source = useMemo(() => {
    const every = Math.max(1, everyMs);
    const pacer = framePacer({ ...DEFAULT_PACING, maxMs: 2 * every });
    return frameSource(store, every, now, ticks, realTimers, pacer);
  }, [store, everyMs, now, ticks]);
  useEffect(() => () => source.dispose(), [source]);
  useEffect(() => source.setPaused(paused), [source, paused]);
  const frame = useSyncExternalStore(source.subscribe, source.getSnapshot);
  // Layout effects run after Ink has drawn the commit: the frame's cost is known here.
  useLayoutEffect(() => source.drawn(), [source, frame]);
  return frame;
}

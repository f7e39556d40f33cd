/**
 * The wall clock for countdowns and the elapsed time. Every render reads it afresh; a
 * timer adds a render only when nothing else has rendered for `everyMs` (frames cost CPU,
 * and data changes usually redraw often enough). Stopped while the display is paused.
 */
import { useEffect, useReducer, useRef } from 'react';

/** `now()` as of this render; re-rendered at least every `everyMs` while `active`. */
export function useNow(now: () => number, everyMs: number, active: boolean): number {
  const [, tick] = useReducer((n: number) => n + 1, 0);
  const renderedAt = useRef(0);
  renderedAt.current = now();
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(() => {
      if (now() - renderedAt.current >= everyMs * 0.9) tick();
    }, everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }, [now, everyMs, active]);
  return renderedAt.current;
}

/**
 * The wall clock for countdowns and the elapsed time, ticking once a second while active
 * (stopped while the display is paused, so a paused screen does not change at all).
 */
import { useEffect, useState } from 'react';

/** `now()` re-read every `everyMs` while `active`. */
export function useNow(now: () => number, everyMs: number, active: boolean): number {
  const [value, setValue] = useState(now);
  useEffect(() => {
    if (!active) return undefined;
    setValue(now());
    const timer = setInterval(() => setValue(now()), everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }, [now, everyMs, active]);
  return value;
}

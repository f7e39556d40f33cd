/**
 * One direction of a proxied TCP connection: every chunk goes through a queue, so a first-byte
 * delay, a bandwidth limit, a freeze and backpressure are one code path. Used by the fault proxy.
 */
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { sleep, type TimerBag } from './lifecycle.js';

/** How {@link relay} forwards. The functions are read for every chunk, so changes apply live. */
export interface RelayOptions {
  /** Counts and filters each arriving chunk: returns what may go on, or undefined to drop it. */
  admit: (chunk: Buffer) => Buffer | undefined;
  /** Hold the first bytes this long. */
  firstDelayMs?: number;
  /** Current bandwidth limit in bytes per second, or undefined for none. */
  bytesPerSecond: () => number | undefined;
  /** While true, `src` stays paused: nothing more is read (a stalled connection). */
  frozen: () => boolean;
  /** Owns the delay timers, so closing the proxy cancels them. */
  timers: TimerBag;
}

/** Forwards `src` to `dst` until either closes; a half-close follows the data queued before it. */
export function relay(src: Socket, dst: Socket, options: RelayOptions): void {
  const queue: Buffer[] = [];
  let pumping = false;
  let ended = false;
  let holdMs = options.firstDelayMs ?? 0;
  const pump = async () => {
    pumping = true;
    while (queue.length > 0 && !dst.destroyed) {
      if (holdMs > 0) {
        await sleep(options.timers, holdMs);
        holdMs = 0;
      }
      const rate = options.bytesPerSecond();
      let chunk = queue.shift()!;
      // Twenty slices a second keep a limited stream smooth rather than bursty.
      const slice = rate ? Math.max(1, Math.floor(rate / 20)) : Infinity;
      if (chunk.length > slice) {
        queue.unshift(chunk.subarray(slice));
        chunk = chunk.subarray(0, slice);
      }
      const drained = dst.write(chunk);
      if (rate) await sleep(options.timers, (chunk.length / rate) * 1000);
      if (!drained && !dst.destroyed) await once(dst, 'drain').catch(() => undefined);
    }
    pumping = false;
    if (ended) dst.end();
    else if (!src.destroyed && !options.frozen()) src.resume();
  };
  src.on('data', (data: Buffer) => {
    const chunk = options.admit(data);
    if (options.frozen()) src.pause();
    if (!chunk || chunk.length === 0) return;
    queue.push(chunk);
    src.pause();
    if (!pumping) void pump();
  });
  src.once('end', () => {
    ended = true;
    if (!pumping) dst.end();
  });
}

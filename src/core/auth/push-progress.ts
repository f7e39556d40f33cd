/**
 * How long the running push is likely to take still: bytes left over the upload rate of the
 * last half minute, to warn when a token expires first. Its own fold of the push events: the
 * store keeps each layer's state for the screen, not its bytes over time.
 */
import type { SessionEvent } from '../events.js';

const RATE_WINDOW_MS = 30_000;
const MAX_SAMPLES = 64;

/** Tracks push progress from the event stream (an event reader, no I/O). */
export class PushProgress {
  private layers = new Map<string, { bytes: number; total: number }>();
  private samples: Array<{ t: number; done: number }> = [];
  private running = false;

  /** Feed one event. */
  onEvent(e: SessionEvent): void {
    if (e.type === 'push.start') {
      this.layers.clear();
      this.samples = [];
      this.running = true;
    } else if (e.type === 'push.end') {
      this.running = false;
    } else if (e.type === 'push.layer' && this.running && e.totalBytes) {
      const bytes =
        e.state === 'pushed' || e.state === 'exists' || e.state === 'mounted' ? e.totalBytes : (e.bytes ?? 0);
      this.layers.set(e.layer, { bytes, total: e.totalBytes });
      this.samples.push({ t: Date.parse(e.t), done: this.done() });
      if (this.samples.length > MAX_SAMPLES) this.samples.shift();
    }
  }

  /** Estimated ms until the push finishes, measured at `now` (epoch ms). */
  remainingMs(now: number): number | undefined {
    if (!this.running || this.samples.length < 2) return undefined;
    const recent = this.samples.filter((s) => now - s.t <= RATE_WINDOW_MS);
    const first = recent[0];
    const last = this.samples[this.samples.length - 1]!;
    if (!first || last.t <= first.t || last.done <= first.done) return undefined;
    const rate = (last.done - first.done) / (last.t - first.t);
    let left = 0;
    for (const l of this.layers.values()) left += Math.max(0, l.total - l.bytes);
    return Math.round(left / rate);
  }

  private done(): number {
    let sum = 0;
    for (const l of this.layers.values()) sum += l.bytes;
    return sum;
  }
}

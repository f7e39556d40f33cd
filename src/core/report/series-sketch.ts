/**
 * A latency time series in constant memory, for charts of sessions of any length: at most
 * `capacity` time buckets, each with count, mean, min, max and failures. When time runs past
 * the last bucket, buckets are merged pairwise and their width doubles, so one pass over a
 * log of any length gives a chart of at most `capacity` points.
 */

/** One bucket of the series. `t` is the bucket's start (epoch ms). */
export interface SeriesBucket {
  t: number;
  widthMs: number;
  /** Successful samples and their statistics (undefined when none). */
  n: number;
  mean?: number;
  min?: number;
  max?: number;
  /** Failed rounds in the bucket. */
  fails: number;
}

interface Acc {
  n: number;
  sum: number;
  min: number;
  max: number;
  fails: number;
}

const empty = (): Acc => ({ n: 0, sum: 0, min: Infinity, max: -Infinity, fails: 0 });

/** A bounded series. */
export class SeriesSketch {
  private origin?: number;
  private widthMs: number;
  private buckets: Acc[] = [];

  constructor(
    readonly capacity = 240,
    initialWidthMs = 1000,
  ) {
    if (capacity < 2) throw new RangeError('a series needs at least 2 buckets');
    this.widthMs = initialWidthMs;
  }

  /** Add a sample at `t` (epoch ms): a value in ms, or undefined for a failed round. */
  add(t: number, value: number | undefined): void {
    this.origin ??= t;
    if (t < this.origin) t = this.origin;
    let i = Math.floor((t - this.origin) / this.widthMs);
    while (i >= this.capacity) {
      this.halve();
      i = Math.floor((t - this.origin) / this.widthMs);
    }
    while (this.buckets.length <= i) this.buckets.push(empty());
    const b = this.buckets[i]!;
    if (value === undefined || !Number.isFinite(value)) {
      b.fails++;
      return;
    }
    b.n++;
    b.sum += value;
    if (value < b.min) b.min = value;
    if (value > b.max) b.max = value;
  }

  /** The buckets that hold samples, oldest first. */
  points(): SeriesBucket[] {
    const out: SeriesBucket[] = [];
    this.buckets.forEach((b, i) => {
      if (!b.n && !b.fails) return;
      const p: SeriesBucket = { t: this.origin! + i * this.widthMs, widthMs: this.widthMs, n: b.n, fails: b.fails };
      if (b.n) Object.assign(p, { mean: b.sum / b.n, min: b.min, max: b.max });
      out.push(p);
    });
    return out;
  }

  private halve(): void {
    const merged: Acc[] = [];
    for (let i = 0; i < this.buckets.length; i += 2) {
      const a = this.buckets[i]!;
      const b = this.buckets[i + 1] ?? empty();
      merged.push({
        n: a.n + b.n,
        sum: a.sum + b.sum,
        min: Math.min(a.min, b.min),
        max: Math.max(a.max, b.max),
        fails: a.fails + b.fails,
      });
    }
    this.buckets = merged;
    this.widthMs *= 2;
  }
}

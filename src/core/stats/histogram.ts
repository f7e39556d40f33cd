/**
 * A log-bucketed latency histogram with constant memory: 32 buckets per doubling (about 2 %
 * relative error) from 1 µs to ~70 minutes. Used for whole-session quantiles, where keeping
 * every sample would grow with the session.
 */
const PER_OCTAVE = 32;
const MIN_MS = 0.001;
const OCTAVES = 32;
const BUCKETS = PER_OCTAVE * OCTAVES;

/** Whole-session latency distribution of one phase. */
export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKETS + 1);
  private total = 0;
  private sumMs = 0;
  private maxMs = 0;

  /** Record one sample in milliseconds (negative or NaN samples are ignored). */
  record(ms: number): void {
    if (!(ms >= 0)) return;
    this.counts[bucketOf(ms)]!++;
    this.total++;
    this.sumMs += ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /** Samples recorded. */
  get count(): number {
    return this.total;
  }

  /** Mean of the samples, or undefined when empty. */
  mean(): number | undefined {
    return this.total ? this.sumMs / this.total : undefined;
  }

  /** The q-quantile (0..1), within ~2 %; undefined when empty. Never above the maximum seen. */
  quantile(q: number): number | undefined {
    if (!this.total) return undefined;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(upperBoundOf(i), this.maxMs);
    }
    return this.maxMs;
  }
}

function bucketOf(ms: number): number {
  if (ms <= MIN_MS) return 0;
  const b = Math.ceil(Math.log2(ms / MIN_MS) * PER_OCTAVE);
  return Math.min(BUCKETS, Math.max(0, b));
}

function upperBoundOf(bucket: number): number {
  return MIN_MS * 2 ** (bucket / PER_OCTAVE);
}

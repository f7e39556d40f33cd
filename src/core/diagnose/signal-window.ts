/**
 * A bounded list of dated signals (a 5xx answer, a 429, a refusal) that a rule counts over
 * a recent stretch of time. Keeps the last `capacity` only.
 */
import { Ring } from '../stats/ring.js';
import { capEvidence, clock } from './format-evidence.js';

/** One dated observation. */
export interface Signal {
  t: number;
  /** Where: a target, or "push". */
  source: string;
  /** What was seen, for the evidence line. */
  text: string;
  /** Seconds the registry asked to wait (Retry-After), when it did. */
  retryAfterSeconds?: number;
}

/** Signals of one kind, newest last. */
export class SignalWindow {
  private readonly ring: Ring<Signal>;

  constructor(capacity = 50) {
    this.ring = new Ring(capacity);
  }

  /** Record a signal. */
  add(signal: Signal): void {
    this.ring.push(signal);
  }

  /** The signals at most `spanMs` before `now`. */
  within(now: number, spanMs: number): Signal[] {
    return this.ring.toArray().filter((s) => now - s.t <= spanMs);
  }

  /** The newest signal. */
  last(): Signal | undefined {
    return this.ring.last();
  }
}

/** Evidence lines for signals: `03:05:07Z us.gcr.io: 503`. */
export function signalEvidence(signals: Signal[]): string[] {
  return capEvidence(signals.map((s) => `${clock(s.t)} ${s.source}: ${s.text}`));
}

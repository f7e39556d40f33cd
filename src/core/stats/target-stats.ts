/**
 * Rolling statistics of one target: per phase, the last value, p50 and p95 over a bounded
 * window of recent rounds, and loss % over that window; plus whole-session counters and
 * histograms for the end summary. Memory is fixed by the window size, whatever the length
 * of the session.
 */
import type { ErrorCode } from '../errors.js';
import type { PhaseName, PhaseTimes, ProbeEvent, TargetSummary } from '../events.js';
import { LatencyHistogram } from './histogram.js';
import { quantileOfSorted } from './quantile.js';
import { Ring } from './ring.js';

/** Phases that get statistics. */
export const STAT_PHASES: readonly PhaseName[] = ['dns', 'connect', 'proxy', 'tls', 'ttfb', 'total'];

/** Default window: the last 300 rounds (10 minutes at the default 2 s interval). */
export const DEFAULT_WINDOW = 300;

/** A phase's recent figures. Undefined fields had no successful sample in the window. */
export interface PhaseFigures {
  last?: number;
  p50?: number;
  p95?: number;
}

/** A round as the window keeps it. */
interface WindowItem {
  ok: boolean;
  answered: boolean;
  phases: PhaseTimes;
}

/** Statistics of one target. */
export class TargetStats {
  private readonly window: Ring<WindowItem>;
  private readonly session = new Map<PhaseName, LatencyHistogram>();
  /**
   * Per phase, the window's successful values in ascending order, kept as rounds come and go,
   * so figures are read without sorting the window (the dashboard asks every second).
   */
  private readonly sorted = new Map<PhaseName, number[]>();
  private lostInWindow = 0;
  private errorsInWindow = 0;
  rounds = 0;
  okRounds = 0;
  lastOk = false;
  lastError?: ErrorCode;

  constructor(windowSize = DEFAULT_WINDOW) {
    this.window = new Ring(windowSize);
    for (const p of STAT_PHASES) {
      this.session.set(p, new LatencyHistogram());
      this.sorted.set(p, []);
    }
  }

  /** Fold one probe round in. */
  add(event: Pick<ProbeEvent, 'ok' | 'phases' | 'error'> & { details?: ProbeEvent['details'] }): void {
    this.rounds++;
    if (event.ok) this.okRounds++;
    this.lastOk = event.ok;
    this.lastError = event.error?.code;
    // A round the registry answered (a 503 too) was not lost: it is an error, counted apart.
    const answered = event.ok || event.details?.http?.status !== undefined;
    const item: WindowItem = { ok: event.ok, answered, phases: event.phases };
    const evicted = this.window.size === this.window.capacity ? this.window.first() : undefined;
    if (evicted) this.count(evicted, -1);
    this.window.push(item);
    this.count(item, 1);
    if (!event.ok) return;
    for (const p of STAT_PHASES) {
      const v = event.phases[p];
      if (v !== undefined) this.session.get(p)!.record(v);
    }
  }

  /** Add (`sign` 1) or remove (-1) a round's part in the window's counters and sorted values. */
  private count(item: WindowItem, sign: 1 | -1): void {
    if (!item.answered) this.lostInWindow += sign;
    else if (!item.ok) this.errorsInWindow += sign;
    if (!item.ok) return;
    for (const [phase, values] of this.sorted) {
      const v = item.phases[phase];
      if (v === undefined || Number.isNaN(v)) continue;
      const at = lowerBound(values, v);
      if (sign > 0) values.splice(at, 0, v);
      else if (values[at] === v) values.splice(at, 1);
    }
  }

  /** Loss % over the window: rounds that got no answer at all (no HTTP status) / rounds. */
  lossPct(): number {
    return this.window.size ? (100 * this.lostInWindow) / this.window.size : 0;
  }

  /** Error % over the window: rounds the registry answered with a failure (a 503, a 429) / rounds. */
  errorPct(): number {
    return this.window.size ? (100 * this.errorsInWindow) / this.window.size : 0;
  }

  /** Last / p50 / p95 of `phase` over the window's successful rounds. */
  figures(phase: PhaseName): PhaseFigures {
    const values = this.sorted.get(phase) ?? [];
    const out: PhaseFigures = {};
    const last = this.window.last();
    if (last?.phases[phase] !== undefined) out.last = last.phases[phase];
    const p50 = quantileOfSorted(values, 0.5);
    const p95 = quantileOfSorted(values, 0.95);
    if (p50 !== undefined) out.p50 = p50;
    if (p95 !== undefined) out.p95 = p95;
    return out;
  }

  /** The whole-session summary for `session.end`. */
  summary(target: string): TargetSummary {
    const p50: PhaseTimes = {};
    const p95: PhaseTimes = {};
    for (const [phase, h] of this.session) {
      const a = h.quantile(0.5);
      const b = h.quantile(0.95);
      if (a !== undefined) p50[phase] = round3(a);
      if (b !== undefined) p95[phase] = round3(b);
    }
    const lossPct = this.rounds ? round3((100 * (this.rounds - this.okRounds)) / this.rounds) : 0;
    const out: TargetSummary = {
      target,
      rounds: this.rounds,
      ok: this.okRounds,
      lossPct,
      lastOk: this.lastOk,
      p50,
      p95,
    };
    if (this.lastError) out.lastError = this.lastError;
    return out;
  }
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** The first index of ascending `values` whose value is not below `v`. */
function lowerBound(values: readonly number[], v: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

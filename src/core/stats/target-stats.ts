/**
 * Rolling statistics of one target: per phase, the last value, p50 and p95 over a bounded
 * window of recent rounds, and loss % over that window; plus whole-session counters and
 * histograms for the end summary. Memory is fixed by the window size, whatever the length
 * of the session.
 */
import type { ErrorCode } from '../errors.js';
import type { PhaseName, PhaseTimes, ProbeEvent, TargetSummary } from '../events.js';
import { LatencyHistogram } from './histogram.js';
import { quantile } from './quantile.js';
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

/** Statistics of one target. */
export class TargetStats {
  private readonly window: Ring<{ ok: boolean; phases: PhaseTimes }>;
  private readonly session = new Map<PhaseName, LatencyHistogram>();
  rounds = 0;
  okRounds = 0;
  lastOk = false;
  lastError?: ErrorCode;

  constructor(windowSize = DEFAULT_WINDOW) {
    this.window = new Ring(windowSize);
    for (const p of STAT_PHASES) this.session.set(p, new LatencyHistogram());
  }

  /** Fold one probe round in. */
  add(event: Pick<ProbeEvent, 'ok' | 'phases' | 'error'>): void {
    this.rounds++;
    if (event.ok) this.okRounds++;
    this.lastOk = event.ok;
    this.lastError = event.error?.code;
    this.window.push({ ok: event.ok, phases: event.phases });
    if (!event.ok) return;
    for (const p of STAT_PHASES) {
      const v = event.phases[p];
      if (v !== undefined) this.session.get(p)!.record(v);
    }
  }

  /** Loss % over the window (failed rounds / rounds). */
  lossPct(): number {
    const items = this.window.toArray();
    if (!items.length) return 0;
    return (100 * items.filter((i) => !i.ok).length) / items.length;
  }

  /** Last / p50 / p95 of `phase` over the window's successful rounds. */
  figures(phase: PhaseName): PhaseFigures {
    const values = this.window
      .toArray()
      .filter((i) => i.ok && i.phases[phase] !== undefined)
      .map((i) => i.phases[phase]!);
    const out: PhaseFigures = {};
    const last = this.window.last();
    if (last?.phases[phase] !== undefined) out.last = last.phases[phase];
    const p50 = quantile(values, 0.5);
    const p95 = quantile(values, 0.95);
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

/**
 * From a target's sample history to chart columns: one column per probe round, newest on
 * the right. A failed round contributes the phases it completed before the failure and a
 * gap for the phase that failed and every later one (and for `total`, which then measures
 * the failure, not a latency). A second series (another endpoint, or the median of all
 * endpoints) is aligned to the same columns by time.
 */
import type { FailurePhase } from '../core/errors.js';
import type { Sample } from '../core/store.js';

/** Phases the chart can show, in the order `p` cycles through them (`proxy`: the CONNECT through a proxy). */
export type ChartPhase = 'total' | 'dns' | 'connect' | 'proxy' | 'tls' | 'ttfb';
export const CHART_PHASES: readonly ChartPhase[] = ['total', 'dns', 'connect', 'proxy', 'tls', 'ttfb'];

/** Names users know the phases by. */
export const PHASE_LABELS: Record<ChartPhase, string> = {
  total: 'total',
  dns: 'DNS',
  connect: 'TCP',
  proxy: 'PROXY',
  tls: 'TLS',
  ttfb: 'TTFB',
};

/** The phases worth cycling through: PROXY only when some round went through a proxy. */
export function chartPhases(withProxy: boolean): readonly ChartPhase[] {
  return withProxy ? CHART_PHASES : CHART_PHASES.filter((p) => p !== 'proxy');
}

const ORDER: Partial<Record<FailurePhase | ChartPhase, number>> = {
  dns: 0,
  connect: 1,
  proxy: 2,
  tls: 3,
  http: 4,
  ttfb: 4,
};

/** The latency a sample shows for `phase`, or undefined when the round did not measure it. */
export function phaseValue(sample: Sample, phase: ChartPhase): number | undefined {
  const value = sample.phases[phase];
  if (value === undefined || !Number.isFinite(value)) return undefined;
  if (sample.ok) return value;
  if (phase === 'total') return undefined;
  const failedAt = sample.phase === undefined ? undefined : ORDER[sample.phase];
  // Without a known failure phase the value may be the time until a deadline: not a latency.
  if (failedAt === undefined) return undefined;
  return ORDER[phase]! < failedAt ? value : undefined;
}

/** True when `sample` is a round that failed in `phase` itself. */
export function failedIn(sample: Sample, phase: ChartPhase): boolean {
  return !sample.ok && sample.phase !== undefined && ORDER[sample.phase] === ORDER[phase];
}

/** Chart columns: the time, the value and whether the round failed, per probe round. */
export interface SeriesColumns {
  times: number[];
  values: (number | undefined)[];
  failed: boolean[];
  codes: (string | undefined)[];
}

/** The newest `count` samples of `history` (oldest first) up to `until`, as columns. */
export function lastColumns(
  history: readonly Sample[],
  phase: ChartPhase,
  count: number,
  until?: number,
): SeriesColumns {
  let end = history.length;
  if (until !== undefined) while (end > 0 && history[end - 1]!.t > until) end--;
  const slice = history.slice(Math.max(0, end - Math.max(0, count)), end);
  return {
    times: slice.map((s) => s.t),
    values: slice.map((s) => phaseValue(s, phase)),
    failed: slice.map((s) => !s.ok),
    codes: slice.map((s) => s.code),
  };
}

/**
 * Index of the entry of ascending `times` nearest to `t`, or undefined when `t` lies more
 * than `tolerance` before the first or after the last entry. Ties go to the later entry.
 */
export function nearestIndex(times: readonly number[], t: number, tolerance = Infinity): number | undefined {
  if (!times.length) return undefined;
  if (t < times[0]! - tolerance || t > times[times.length - 1]! + tolerance) return undefined;
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && t - times[lo - 1]! < times[lo]! - t) return lo - 1;
  return lo;
}

/** Values of another target's samples at the columns' times (nearest within `tolerance`). */
export function alignTo(
  times: readonly number[],
  samples: readonly Sample[],
  phase: ChartPhase,
  tolerance: number,
): (number | undefined)[] {
  const theirTimes = samples.map((s) => s.t);
  return times.map((t) => {
    const i = nearestIndex(theirTimes, t, tolerance);
    return i === undefined || Math.abs(theirTimes[i]! - t) > tolerance ? undefined : phaseValue(samples[i]!, phase);
  });
}

/** The median over several targets, per column, of their values aligned to `times`. */
export function medianOf(
  times: readonly number[],
  all: readonly (readonly Sample[])[],
  phase: ChartPhase,
  tolerance: number,
): (number | undefined)[] {
  const aligned = all.map((samples) => alignTo(times, samples, phase, tolerance));
  return times.map((_, col) => median(aligned.map((a) => a[col]).filter((v): v is number => v !== undefined)));
}

function median(values: number[]): number | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

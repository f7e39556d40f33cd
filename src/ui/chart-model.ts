/**
 * Everything the chart block shows, computed from the store's state in one pure function:
 * the plot of the selected endpoint and phase (and the compared series), the time axis
 * with failed rounds, the tick labels and the push/credential marker row, all in the same
 * column geometry. While the display is paused, `until` cuts every series at that time.
 */
import type { SessionEvent } from '../core/events.js';
import type { Sample, StoreSnapshot } from '../core/store.js';
import { fmtAxisValue, plotLatency, type Plot } from './chart-layout.js';
import { MARKER_LEGEND, marksFromEvents, markerRow, placeMarks, type TimedMark } from './marker-row.js';
import { alignTo, lastColumns, medianOf, PHASE_LABELS, type ChartPhase } from './series.js';
import { axisRow, FAILED_MARK, tickLabelRow } from './time-axis.js';
import type { Compare } from './ui-state.js';

/** Width of the value labels left of the axis. */
export const LABEL_WIDTH = 6;

/** The chart block's content. */
export interface ChartModel {
  title: string;
  compareLabel?: string;
  plot: Plot;
  axis: string;
  ticks: string;
  markers: string;
  placed: (TimedMark | undefined)[];
  times: number[];
  /** The legend, wrapped to the width (never cut). */
  legend: string[];
}

/** What to chart. */
export interface ChartRequest {
  snapshot: Pick<StoreSnapshot, 'targets' | 'markers' | 'start'>;
  targetId: string | undefined;
  phase: ChartPhase;
  compare: Compare;
  width: number;
  height: number;
  /** Cut series and markers at this time (paused display). */
  until?: number;
}

/** The session's probe interval in ms (2 s when unknown). */
export function intervalOf(snapshot: Pick<StoreSnapshot, 'start'>): number {
  const ms = Number(snapshot.start?.options.intervalMs);
  return Number.isFinite(ms) && ms > 0 ? ms : 2000;
}

/** Build the chart block for `req`, or undefined when there is no such target. */
export function buildChartModel(req: ChartRequest): ChartModel | undefined {
  const target = req.targetId === undefined ? undefined : req.snapshot.targets.get(req.targetId);
  if (!target) return undefined;
  const interval = intervalOf(req.snapshot);
  // One column per round, and one more on the right for push events newer than the last round.
  const count = Math.max(1, req.width - LABEL_WIDTH - 2);
  const cols = lastColumns(target.history, req.phase, count, req.until);
  const second = compareSeries(req, cols.times, interval);
  const plot = plotLatency({
    primary: cols.values,
    compare: second?.values,
    height: req.height,
    labelWidth: LABEL_WIDTH,
  });
  const events = visibleEvents(req.snapshot.markers, req.until);
  const placed = placeMarks(cols.times, marksFromEvents(events), interval);
  const paused = req.until !== undefined ? '  [PAUSED]' : '';
  const title = `latency ms  ${target.info.id}  ${PHASE_LABELS[req.phase]}${second ? `  vs ${second.label}` : ''}  (${cols.times.length} rounds, scale 0-${fmtAxisValue(plot.max)})${paused}`;
  return {
    title,
    compareLabel: second?.label,
    plot,
    axis: axisRow(LABEL_WIDTH, cols.failed),
    ticks: tickLabelRow(LABEL_WIDTH, cols.times, plot.width),
    markers: markerRow(LABEL_WIDTH, placed),
    placed,
    times: cols.times,
    legend: chartLegend(req.width, second?.label),
  };
}

function compareSeries(
  req: ChartRequest,
  times: number[],
  interval: number,
): { label: string; values: (number | undefined)[] } | undefined {
  const tolerance = interval * 0.75;
  const cut = (s: readonly Sample[]) => (req.until === undefined ? s : s.filter((x) => x.t <= req.until!));
  if (req.compare.kind === 'median') {
    const all = [...req.snapshot.targets.values()].map((t) => cut(t.history));
    return { label: `median of ${all.length}`, values: medianOf(times, all, req.phase, tolerance) };
  }
  if (req.compare.kind === 'target') {
    const other = req.snapshot.targets.get(req.compare.id);
    if (!other) return undefined;
    return { label: other.info.id, values: alignTo(times, cut(other.history), req.phase, tolerance) };
  }
  return undefined;
}

function visibleEvents(events: readonly SessionEvent[], until: number | undefined): readonly SessionEvent[] {
  return until === undefined ? events : events.filter((e) => Date.parse(e.t) <= until);
}

/** Short words for the legend when the long ones do not fit on one line. */
const SHORT_MEANING: Record<string, string> = {
  'push start': 'start',
  'retry #': 'retry',
  'push error': 'error',
  'push done': 'done',
  'push failed': 'failed',
  'cred refreshed': 'cred new',
  'cred check failed': 'cred fail',
};

/**
 * The legend in `width` columns: the long words on one line if they fit, else the short
 * words, on one line or wrapped between items. Never cut.
 */
export function chartLegend(width: number, compareLabel?: string): string[] {
  const compare = compareLabel ? [`┄ ${compareLabel}`] : [];
  const long = [`${FAILED_MARK} failed round`, ...MARKER_LEGEND.map(([g, m]) => `${g} ${m}`), ...compare];
  if (long.join('  ').length <= width) return [long.join('  ')];
  const short = [`${FAILED_MARK} fail`, ...MARKER_LEGEND.map(([g, m]) => `${g} ${SHORT_MEANING[m] ?? m}`), ...compare];
  const lines: string[] = [];
  for (const item of short) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 2 + item.length <= width) lines[lines.length - 1] = `${last}  ${item}`;
    else lines.push(item.length > width ? item.slice(0, width) : item);
  }
  return lines;
}

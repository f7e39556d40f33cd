/**
 * Everything the chart block shows, computed from the store's state in one pure function:
 * the plot of the selected endpoint and phase (and the compared series), the time axis
 * with failed rounds, the tick labels and the push/credential marker row, all in the same
 * column geometry. While the display is paused, `until` cuts every series at that time.
 */
import type { SessionEvent } from '../core/events.js';
import type { Sample, SessionState } from '../core/store.js';
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
  legend: string;
}

/** What to chart. */
export interface ChartRequest {
  state: SessionState;
  targetId: string | undefined;
  phase: ChartPhase;
  compare: Compare;
  width: number;
  height: number;
  /** Cut series and markers at this time (paused display). */
  until?: number;
  now: number;
}

/** The session's probe interval in ms (2 s when unknown). */
export function intervalOf(state: SessionState): number {
  const ms = Number(state.start?.options.intervalMs);
  return Number.isFinite(ms) && ms > 0 ? ms : 2000;
}

/** Build the chart block for `req`, or undefined when there is no such target. */
export function buildChartModel(req: ChartRequest): ChartModel | undefined {
  const target = req.targetId === undefined ? undefined : req.state.targets.get(req.targetId);
  if (!target) return undefined;
  const interval = intervalOf(req.state);
  // One column per round, and one more on the right for push events newer than the last round.
  const count = Math.max(1, req.width - LABEL_WIDTH - 2);
  const cols = lastColumns(target.history.toArray(), req.phase, count, req.until);
  const second = compareSeries(req, cols.times, interval);
  const plot = plotLatency({
    primary: cols.values,
    compare: second?.values,
    height: req.height,
    labelWidth: LABEL_WIDTH,
  });
  const events = visibleEvents(req.state.markers.toArray(), req.until);
  const placed = placeMarks(cols.times, marksFromEvents(events, req.until ?? req.now), interval);
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
    legend: legendLine(second?.label),
  };
}

function compareSeries(
  req: ChartRequest,
  times: number[],
  interval: number,
): { label: string; values: (number | undefined)[] } | undefined {
  const tolerance = interval * 0.75;
  const cut = (s: Sample[]) => (req.until === undefined ? s : s.filter((x) => x.t <= req.until!));
  if (req.compare.kind === 'median') {
    const all = [...req.state.targets.values()].map((t) => cut(t.history.toArray()));
    return { label: `median of ${all.length}`, values: medianOf(times, all, req.phase, tolerance) };
  }
  if (req.compare.kind === 'target') {
    const other = req.state.targets.get(req.compare.id);
    if (!other) return undefined;
    return { label: other.info.id, values: alignTo(times, cut(other.history.toArray()), req.phase, tolerance) };
  }
  return undefined;
}

function visibleEvents(events: SessionEvent[], until: number | undefined): SessionEvent[] {
  return until === undefined ? events : events.filter((e) => Date.parse(e.t) <= until);
}

function legendLine(compareLabel: string | undefined): string {
  const marks = MARKER_LEGEND.map(([g, m]) => `${g} ${m}`).join('  ');
  return `${FAILED_MARK} failed round  ${marks}${compareLabel ? `  ┄ ${compareLabel}` : ''}`;
}

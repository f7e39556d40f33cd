/**
 * The rows under the plot, in the plot's geometry (`sampleColumn`): the time axis, where a
 * failed round is marked `×` under its own column and ticks fall every few columns, and
 * the tick labels (wall-clock times of the samples above them, so they can be matched
 * with the event log and the push tool's own output).
 */
import { sampleColumn } from './chart-layout.js';
import { fmtClock } from './text.js';

/** The failure mark on the time axis. */
export const FAILED_MARK = '×';

/** Columns between ticks: room for an `HH:MM:SS` label and a space. */
export const TICK_SPACING = 12;

/** Indexes of the samples that get a tick: the newest, then every `spacing` to the left. */
export function tickIndexes(count: number, spacing = TICK_SPACING): number[] {
  const out: number[] = [];
  for (let i = count - 1; i >= 0; i -= spacing) out.unshift(i);
  return out;
}

/** The axis row: `└` under the y axis, then per sample `×` (failed), `┬` (tick) or `─`. */
export function axisRow(labelWidth: number, failed: readonly boolean[], spacing = TICK_SPACING): string {
  const ticks = new Set(tickIndexes(failed.length, spacing));
  const cells = failed.map((f, i) => (f ? FAILED_MARK : ticks.has(i) ? '┬' : '─'));
  return ' '.repeat(labelWidth) + '└' + cells.join('');
}

/**
 * The tick labels row, `width` columns: each label ends under its tick (so the newest,
 * at the right edge, fits); a label that would start left of column 0 or touch the
 * previous label is left out.
 */
export function tickLabelRow(
  labelWidth: number,
  times: readonly number[],
  width: number,
  spacing = TICK_SPACING,
  fmt: (t: number) => string = fmtClock,
): string {
  const row = Array<string>(Math.max(0, width)).fill(' ');
  let freeFrom = 0;
  for (const i of tickIndexes(times.length, spacing)) {
    const label = fmt(times[i]!);
    const end = sampleColumn(labelWidth, i);
    const start = end - label.length + 1;
    if (start < freeFrom || end >= width) continue;
    for (let k = 0; k < label.length; k++) row[start + k] = label[k]!;
    freeFrom = end + 2;
  }
  return row.join('');
}

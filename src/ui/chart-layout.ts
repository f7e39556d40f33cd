/**
 * The latency plot as text cells, with a known column for every sample, so that the time
 * axis and the push marker row below can be aligned exactly:
 *
 *   columns 0 .. labelWidth-1   value labels (right-aligned, one trailing space)
 *   column  labelWidth          the y axis
 *   column  labelWidth + 1 + i  sample i (oldest first)
 *
 * Lines are drawn with asciichart's glyphs, and each sample sits at its own value: a sample
 * after a gap (failed rounds) is a point, not the end of a line from the last value before
 * the gap (which would draw an outage as a fall from 800 ms to 2 ms, as the HTML report
 * does not). A second series is drawn with the same scale and dashed glyphs, under the first.
 */
/** What a cell of the plot shows, for colouring. */
export type CellRole = 'label' | 'axis' | 'primary' | 'compare' | 'blank';

/** A run of cells with one role. */
export interface Run {
  text: string;
  role: CellRole;
}

/** The plot's input: one value per column (undefined = gap). */
export interface PlotInput {
  primary: readonly (number | undefined)[];
  compare?: readonly (number | undefined)[];
  /** Rows of the plot area (at least 2). */
  height: number;
  /** Columns of the value labels, including the space before the axis (at least 3). */
  labelWidth: number;
}

/** The plot: rows of runs, each row `width` columns. */
export interface Plot {
  rows: Run[][];
  /** Column of sample 0; sample i is at `firstColumn + i`. */
  firstColumn: number;
  width: number;
  /** The top of the scale, in ms (the bottom is 0): a round step per row. */
  max: number;
}

/** Glyphs: [flat, falling arrival, rising arrival, falling departure, rising departure, vertical]. */
const PRIMARY_SYMBOLS = ['─', '╰', '╭', '╮', '╯', '│'] as const;
const COMPARE_SYMBOLS = ['┄', '└', '┌', '┐', '┘', '┆'] as const;
const AXIS = '┤';

/** The column of sample `index` for a plot with labels `labelWidth` wide. */
export function sampleColumn(labelWidth: number, index: number): number {
  return labelWidth + 1 + index;
}

/** An axis value in at most 4 columns: `0`, `2.5`, `850`, `1.2s`, `12s`. */
export function fmtAxisValue(ms: number): string {
  if (ms === 0) return '0';
  if (ms < 9.95) return ms.toFixed(1);
  if (ms < 999.5) return String(Math.round(ms));
  if (ms < 9950) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.round(ms / 1000)}s`;
}

/**
 * The smallest step of 1, 2 or 5 times a power of ten (at least 0.1 ms) that covers
 * `raw` ms: rows then fall on round values and no two axis labels read the same.
 */
export function niceStep(raw: number): number {
  if (!(raw > 0.1)) return 0.1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw - 1e-9) return m * power;
  return 10 * power;
}

/** Draw the plot. Pure: the same input always gives the same cells. */
export function plotLatency(input: PlotInput): Plot {
  const height = Math.max(2, Math.floor(input.height));
  const labelWidth = Math.max(3, Math.floor(input.labelWidth));
  const n = input.primary.length;
  const valid = [...input.primary, ...(input.compare ?? [])].filter((v): v is number => v !== undefined);
  const max = niceStep(Math.max(0, ...valid) / (height - 1)) * (height - 1);
  const primary = drawSeries(input.primary, max, height, PRIMARY_SYMBOLS);
  const compare = input.compare ? drawSeries(alignLength(input.compare, n), max, height, COMPARE_SYMBOLS) : undefined;
  const rows = primary.map((cells, r) => {
    const value = max - (r * max) / (height - 1);
    const label =
      fmtAxisValue(Math.abs(value))
        .padStart(labelWidth - 1)
        .slice(-(labelWidth - 1)) + ' ';
    return toRuns(label, cells, compare?.[r]);
  });
  return { rows, firstColumn: sampleColumn(labelWidth, 0), width: labelWidth + 1 + n, max };
}

/**
 * One series as `height` rows of one cell per sample. Column i joins sample i-1 to sample i
 * (asciichart's corners and verticals); a sample with no defined neighbour on its left is a
 * flat point at its own value; a missing sample is blank.
 */
function drawSeries(
  values: readonly (number | undefined)[],
  max: number,
  height: number,
  symbols: readonly string[],
): string[][] {
  const grid = Array.from({ length: height }, () => Array<string>(values.length).fill(' '));
  const ratio = max > 0 ? (height - 1) / max : 0;
  const rowOf = (v: number) => height - 1 - Math.min(height - 1, Math.max(0, Math.round(v * ratio)));
  values.forEach((v, i) => {
    if (v === undefined) return;
    const prev = values[i - 1];
    const to = rowOf(v);
    const from = prev === undefined ? to : rowOf(prev);
    if (from === to) {
      grid[to]![i] = symbols[0]!;
      return;
    }
    const falling = to > from;
    grid[to]![i] = falling ? symbols[1]! : symbols[2]!;
    grid[from]![i] = falling ? symbols[3]! : symbols[4]!;
    for (let r = Math.min(from, to) + 1; r < Math.max(from, to); r++) grid[r]![i] = symbols[5]!;
  });
  return grid;
}

function alignLength(values: readonly (number | undefined)[], n: number): (number | undefined)[] {
  return Array.from({ length: n }, (_, i) => values[i]);
}

function toRuns(label: string, primary: string[], compare: string[] | undefined): Run[] {
  const runs: Run[] = [
    { text: label, role: 'label' },
    { text: AXIS, role: 'axis' },
  ];
  primary.forEach((cell, i) => {
    let role: CellRole = 'blank';
    let text = cell;
    if (cell !== ' ') role = 'primary';
    else if (compare && compare[i] !== ' ') {
      role = 'compare';
      text = compare[i]!;
    }
    const last = runs[runs.length - 1]!;
    if (last.role === role) last.text += text;
    else runs.push({ text, role });
  });
  return runs;
}

/** The plain text of a row (for tests and plain captures). */
export function rowText(row: readonly Run[]): string {
  return row.map((r) => r.text).join('');
}

/**
 * The latency plot as text cells, with a known column for every sample. asciichart draws
 * the lines; this module fixes the geometry around it so that the time axis and the push
 * marker row below can be aligned exactly:
 *
 *   columns 0 .. labelWidth-1   value labels (right-aligned, one trailing space)
 *   column  labelWidth          the y axis
 *   column  labelWidth + 1 + i  sample i (oldest first)
 *
 * asciichart 1.5 has no gaps, so missing values are filled for drawing and their columns
 * blanked afterwards; its first value sits on the axis, so the series is drawn with a copy
 * of its first value in front, which puts sample 0 one column right of the axis. A second
 * series is drawn with the same scale and dashed glyphs, under the first.
 */
import asciichart from 'asciichart';

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

const PRIMARY_SYMBOLS = ['┼', '┤', '╶', '╴', '─', '╰', '╭', '╮', '╯', '│'];
const COMPARE_SYMBOLS = ['┼', '┤', '╶', '╴', '┄', '└', '┌', '┐', '┘', '┆'];
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
  const cfg = {
    min: 0,
    max,
    height: height - 1,
    offset: 2,
    format: (v: number) =>
      fmtAxisValue(Math.abs(v))
        .padStart(labelWidth - 1)
        .slice(-(labelWidth - 1)) + ' ',
  };
  const primary = drawSeries(input.primary, cfg, PRIMARY_SYMBOLS, labelWidth);
  const compare = input.compare
    ? drawSeries(alignLength(input.compare, n), cfg, COMPARE_SYMBOLS, labelWidth)
    : undefined;
  const width = labelWidth + 1 + n;
  const rows = primary.map((cells, r) => toRuns(cells, compare?.[r], labelWidth));
  return { rows, firstColumn: sampleColumn(labelWidth, 0), width, max };
}

type PlotCfg = { min: number; max: number; height: number; offset: number; format: (v: number) => string };

/** One series as a grid of single-character cells, gaps blanked. */
function drawSeries(
  values: readonly (number | undefined)[],
  cfg: PlotCfg,
  symbols: string[],
  labelWidth: number,
): string[][] {
  const filled = fillGaps(values);
  const text = asciichart.plot([filled[0] ?? 0, ...filled], { ...cfg, symbols });
  const width = labelWidth + 1 + values.length;
  return text.split('\n').map((line) => {
    const cells = Array.from(line).slice(0, width);
    while (cells.length < width) cells.push(' ');
    cells[labelWidth] = AXIS;
    values.forEach((v, i) => {
      if (v === undefined) cells[sampleColumn(labelWidth, i)] = ' ';
    });
    return cells;
  });
}

/** Gaps take the previous value (or the next one at the start), so lines join across them. */
function fillGaps(values: readonly (number | undefined)[]): number[] {
  const firstValid = values.find((v) => v !== undefined) ?? 0;
  let prev = firstValid;
  return values.map((v) => (v === undefined ? prev : (prev = v)));
}

function alignLength(values: readonly (number | undefined)[], n: number): (number | undefined)[] {
  return Array.from({ length: n }, (_, i) => values[i]);
}

function toRuns(primary: string[], compare: string[] | undefined, labelWidth: number): Run[] {
  const runs: Run[] = [];
  primary.forEach((cell, c) => {
    let role: CellRole;
    let text = cell;
    if (c < labelWidth) role = 'label';
    else if (c === labelWidth) role = 'axis';
    else if (cell !== ' ') role = 'primary';
    else if (compare && compare[c] !== ' ' && compare[c] !== undefined) {
      role = 'compare';
      text = compare[c]!;
    } else role = 'blank';
    const last = runs[runs.length - 1];
    if (last && last.role === role) last.text += text;
    else runs.push({ text, role });
  });
  return runs;
}

/** The plain text of a row (for tests and plain captures). */
export function rowText(row: readonly Run[]): string {
  return row.map((r) => r.text).join('');
}

/**
 * How the terminal's rows are shared between the header, the endpoint table, the chart
 * and the bottom area (event log, credential and push panels). The live area is always at
 * most `rows - 1` lines: Ink redraws the whole screen, flickering, when its output reaches
 * the terminal's height. Below 80x24 the layout degrades to the table and a compact chart.
 * Rows are handed out greedily by importance, so any size gives a valid layout.
 */

/** What the layout depends on. */
export interface LayoutInput {
  columns: number;
  rows: number;
  targets: number;
  push: boolean;
  credentials: boolean;
}

/** Lines per block. A block with 0 lines is not shown. */
export interface Layout {
  compact: boolean;
  width: number;
  header: number;
  /** Target rows shown (the table adds one title line when > 0). */
  tableRows: number;
  /** Plot rows (0: no chart). */
  chartHeight: number;
  chartLabels: boolean;
  chartLegend: boolean;
  /** Lines of the bottom area (event log and panels, or the help overlay with the chart's lines). */
  bottom: number;
  keys: number;
}

/** Lines of the chart block: title, plot, axis, [tick labels], marker row, [legend]. */
export function chartLines(l: Pick<Layout, 'chartHeight' | 'chartLabels' | 'chartLegend'>): number {
  if (!l.chartHeight) return 0;
  return 1 + l.chartHeight + 1 + (l.chartLabels ? 1 : 0) + 1 + (l.chartLegend ? 1 : 0);
}

/** All lines of a layout. */
export function totalLines(l: Layout): number {
  return l.header + (l.tableRows ? l.tableRows + 1 : 0) + chartLines(l) + l.bottom + l.keys;
}

/** Plot rows at most: beyond this, rows go to the event log. */
export const MAX_CHART_HEIGHT = 12;

/** Smallest size that gets the full layout. */
export const FULL_LAYOUT = { columns: 80, rows: 24 } as const;

/** Plan the screen for `input`. */
export function planLayout(input: LayoutInput): Layout {
  const compact = input.columns < FULL_LAYOUT.columns || input.rows < FULL_LAYOUT.rows;
  return compact ? planCompact(input) : planFull(input);
}

/** A budget of lines handed out in order of importance. */
class Budget {
  constructor(public left: number) {}
  take(n: number): number {
    const got = Math.max(0, Math.min(n, this.left));
    this.left -= got;
    return got;
  }
}

function planFull(input: LayoutInput): Layout {
  const budget = new Budget(input.rows - 1);
  const header = budget.take(2);
  const keys = budget.take(1);
  const targets = Math.max(1, input.targets);
  let tableRows = budget.take(1 + Math.min(targets, 3)) - 1;
  let chartHeight = budget.take(5 + 4) - 5;
  let bottom = budget.take(3);
  tableRows += budget.take(Math.min(targets, 12) - tableRows);
  chartHeight += budget.take(MAX_CHART_HEIGHT - chartHeight);
  bottom += budget.take(budget.left);
  return {
    compact: false,
    width: input.columns,
    header,
    tableRows,
    chartHeight,
    chartLabels: true,
    chartLegend: true,
    bottom,
    keys,
  };
}

function planCompact(input: LayoutInput): Layout {
  const budget = new Budget(input.rows - 1);
  const header = budget.take(1);
  const keys = budget.left >= 8 ? budget.take(1) : 0;
  const targets = Math.max(1, input.targets);
  let tableRows = budget.left >= 2 ? budget.take(2) - 1 : 0;
  // The compact chart: title, 2+ plot rows, axis, marker row.
  let chartHeight = budget.left >= 5 ? budget.take(5) - 3 : 0;
  tableRows += tableRows ? budget.take(targets - tableRows) : 0;
  if (chartHeight) chartHeight += budget.take(6 - chartHeight);
  const bottom = budget.left >= 3 ? budget.take(budget.left) : 0;
  if (chartHeight) chartHeight += budget.take(MAX_CHART_HEIGHT - chartHeight);
  return {
    compact: true,
    width: input.columns,
    header,
    tableRows,
    chartHeight,
    chartLabels: false,
    chartLegend: false,
    bottom,
    keys,
  };
}

/** How the bottom area is shared: panels beside the log on wide screens, above it otherwise. */
export interface BottomPlan {
  logLines: number;
  logWidth: number;
  credentialLines: number;
  pushLines: number;
  /** Width of the panels column (the whole width when stacked). */
  panelWidth: number;
  sideBySide: boolean;
}

/** Width from which the panels go beside the log. */
export const SIDE_BY_SIDE_WIDTH = 110;
const PANEL_WIDTH = 48;

/** Share `lines` x `width` between the log and the panels that have something to show. */
export function planBottom(lines: number, width: number, has: { push: boolean; credentials: boolean }): BottomPlan {
  const wanted = { credential: has.credentials ? 4 : 0, push: has.push ? 8 : 0 };
  if (width >= SIDE_BY_SIDE_WIDTH && (has.push || has.credentials)) {
    const credentialLines = Math.min(wanted.credential, has.push ? Math.max(2, Math.floor(lines / 3)) : lines);
    const pushLines = has.push ? lines - credentialLines : 0;
    return {
      logLines: lines,
      logWidth: width - PANEL_WIDTH - 1,
      credentialLines,
      pushLines,
      panelWidth: PANEL_WIDTH,
      sideBySide: true,
    };
  }
  const budget = new Budget(lines - 2);
  const credentialLines = budget.take(wanted.credential);
  const pushLines = budget.take(wanted.push);
  return {
    logLines: lines - credentialLines - pushLines,
    logWidth: width,
    credentialLines,
    pushLines,
    panelWidth: width,
    sideBySide: false,
  };
}

/** The first of `visible` rows to show out of `count` so that row `selected` is visible. */
export function scrollStart(count: number, visible: number, selected: number): number {
  if (visible >= count || visible <= 0) return 0;
  const half = Math.floor(visible / 2);
  return Math.max(0, Math.min(count - visible, selected - half));
}

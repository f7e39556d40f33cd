/**
 * How the terminal's rows are shared: lines are handed out block by block in order of
 * importance (header and verdict, the endpoint table, the chart, the push lines while a
 * push runs, the key line, then credentials, the event log and the chart's extras), so any
 * size gives a valid screen and the most useful blocks are the last to go. A block gets the
 * lines its content needs or none: never a heading without its content. The live area is
 * at most `rows - 1` lines (Ink redraws the whole screen, flickering, when it reaches the
 * terminal's height). Below `MIN_SIZE` the screen is one line saying so.
 */

/** What the layout depends on. */
export interface LayoutInput {
  columns: number;
  rows: number;
  targets: number;
  /** Lines the push panel has to show, its title included (0: no push wrapped). */
  push: number;
  /** Lines the credential panel has to show (0: no panel). */
  credentials: number;
  /** Lines the chart's legend takes at this width. */
  legend: number;
}

/** Lines per block. A block with 0 lines is not shown. */
export interface Layout {
  /** Smaller than MIN_SIZE: one line says so, nothing else is drawn. */
  tooSmall: boolean;
  compact: boolean;
  width: number;
  header: number;
  /** Target rows shown (the table adds one title line when > 0). */
  tableRows: number;
  /** Plot rows (0: no chart). */
  chartHeight: number;
  chartLabels: boolean;
  /** Legend lines under the chart (0: none). */
  chartLegend: number;
  /** The bottom area (push and credential panels, event log), or an overlay with the rest. */
  bottom: BottomPlan;
  keys: number;
}

/** How the bottom area is shared: panels beside the log on wide screens, above it otherwise. */
export interface BottomPlan {
  lines: number;
  logLines: number;
  logWidth: number;
  credentialLines: number;
  pushLines: number;
  /** Width of the panels column (the whole width when stacked). */
  panelWidth: number;
  sideBySide: boolean;
}

/** Below this the dashboard says the terminal is too small (probing and logging go on). */
export const MIN_SIZE = { columns: 60, rows: 15 } as const;

/** Smallest size that gets the two-line header, tick labels and legend. */
export const FULL_LAYOUT = { columns: 80, rows: 24 } as const;

/** Plot rows at most: beyond this, rows go to the event log. */
export const MAX_CHART_HEIGHT = 12;

/** Width from which the panels go beside the log. */
export const SIDE_BY_SIDE_WIDTH = 110;

/** The panels column beside the log: 48 columns, and 40 % of a wide terminal. */
export function panelWidthFor(width: number): number {
  return Math.max(48, Math.floor(width * 0.4));
}

/** Lines of the chart block: title, plot, axis, [tick labels], marker row, [legend]. */
export function chartLines(l: Pick<Layout, 'chartHeight' | 'chartLabels' | 'chartLegend'>): number {
  if (!l.chartHeight) return 0;
  return 1 + l.chartHeight + 1 + (l.chartLabels ? 1 : 0) + 1 + l.chartLegend;
}

/** All lines of a layout. */
export function totalLines(l: Layout): number {
  if (l.tooSmall) return 1;
  return l.header + (l.tableRows ? l.tableRows + 1 : 0) + chartLines(l) + l.bottom.lines + l.keys;
}

/** Lines between the header and the key line: what an overlay (help, details) may use. */
export function overlayLines(l: Layout): number {
  return l.tooSmall ? 0 : totalLines(l) - l.header - l.keys;
}

type Block = 'header' | 'keys' | 'table' | 'plot' | 'labels' | 'legend' | 'push' | 'credentials' | 'log';

/** The blocks being sized, and what each costs in lines. */
class Plan {
  header = 0;
  keys = 0;
  table = 0;
  plot = 0;
  labels = 0;
  legend = 0;
  push = 0;
  credentials = 0;
  log = 0;
  constructor(
    public left: number,
    readonly sideBySide: boolean,
  ) {}

  bottom(): number {
    const panels = this.push + this.credentials;
    return this.sideBySide ? Math.max(panels, this.log) : panels + this.log;
  }

  /** Set a block to `value` lines if the budget allows the change; true when it did. */
  set(block: Block, value: number): boolean {
    const before = this.used();
    const old = this[block];
    this[block] = value;
    const cost = this.used() - before;
    if (cost > this.left) {
      this[block] = old;
      return false;
    }
    this.left -= cost;
    return true;
  }

  /** Grow a block line by line up to `max`. */
  grow(block: Block, max: number): void {
    while (this[block] < max && this.set(block, this[block] + 1));
  }

  used(): number {
    const chart = this.plot ? 1 + this.plot + 1 + this.labels + 1 + this.legend : 0;
    return this.header + this.keys + (this.table ? this.table + 1 : 0) + chart + this.bottom();
  }
}

/** Plan the screen for `input`. */
export function planLayout(input: LayoutInput): Layout {
  const { columns, rows } = input;
  const tooSmall = columns < MIN_SIZE.columns || rows < MIN_SIZE.rows;
  const compact = columns < FULL_LAYOUT.columns || rows < FULL_LAYOUT.rows;
  const sideBySide = columns >= SIDE_BY_SIDE_WIDTH;
  const p = new Plan(tooSmall ? 0 : rows - 1, sideBySide);
  if (!tooSmall) fill(p, input, compact);
  const panelWidth = sideBySide ? panelWidthFor(columns) : columns;
  const bottomLines = p.bottom();
  return {
    tooSmall,
    compact,
    width: columns,
    header: p.header,
    tableRows: p.table,
    chartHeight: p.plot,
    chartLabels: p.labels > 0,
    chartLegend: p.legend,
    keys: p.keys,
    bottom: {
      lines: bottomLines,
      // Beside the panels, the log has every line of the area; stacked, what the panels leave.
      logLines: sideBySide ? (p.log ? bottomLines : 0) : p.log,
      logWidth: sideBySide && p.push + p.credentials > 0 ? columns - panelWidth - 1 : columns,
      credentialLines: p.credentials,
      pushLines: p.push,
      panelWidth: sideBySide && p.push + p.credentials > 0 ? panelWidth : columns,
      sideBySide: sideBySide && p.push + p.credentials > 0,
    },
  };
}

/** Hand the lines out by importance. */
function fill(p: Plan, input: LayoutInput, compact: boolean): void {
  const targets = Math.max(1, input.targets);
  // The verdict is the point of the header: it keeps its own line unless the terminal is short.
  p.set('header', input.rows >= 20 ? 2 : 1);
  p.set('keys', 1);
  p.set('table', Math.min(targets, 3));
  p.set('plot', compact ? 2 : 3);
  const push = (n: number) => Math.min(n, input.push);
  if (input.push) p.set('push', Math.max(3, push(compact ? 3 : 4)));
  p.grow('table', Math.min(targets, 12));
  if (!compact) p.set('labels', 1);
  if (input.credentials) p.set('credentials', 2);
  if (input.push) p.grow('push', push(6));
  p.grow('plot', 5);
  p.set('log', 3);
  if (!compact && input.legend) p.set('legend', input.legend);
  p.grow('plot', 8);
  if (input.push) p.grow('push', push(10));
  if (input.credentials) p.grow('credentials', 1 + input.credentials);
  p.grow('plot', MAX_CHART_HEIGHT);
  if (p.log) p.grow('log', input.rows);
  // Beside a longer log, the panels column has lines to spare: the push output takes them.
  if (p.sideBySide && p.push) p.push = Math.max(p.push, Math.min(input.push, p.log - p.credentials));
}

/** The first of `visible` rows to show out of `count` so that row `selected` is visible. */
export function scrollStart(count: number, visible: number, selected: number): number {
  if (visible >= count || visible <= 0) return 0;
  const half = Math.floor(visible / 2);
  return Math.max(0, Math.min(count - visible, selected - half));
}

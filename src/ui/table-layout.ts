/**
 * Column sizing for the endpoint table: every column has a width and a priority; when the
 * terminal is too narrow the least important columns go first, and the spare width goes
 * to the flexible columns (host, error) up to their maximum. Pure, so the widths for any
 * terminal width are tested directly.
 */
import { fitLeft, fitRight } from './text.js';

/**
 * A column as declared. A flexible column (`max` set) grows from `width` to `want` first,
 * all flexible columns in turn, and only then towards `max`.
 */
export interface ColumnSpec<K extends string = string> {
  key: K;
  title: string;
  width: number;
  /** 0 is never dropped; larger numbers are dropped first. */
  priority: number;
  align: 'left' | 'right';
  want?: number;
  max?: number;
}

/** A column as laid out. */
export interface Column<K extends string = string> extends ColumnSpec<K> {
  /** Its start column. */
  x: number;
}

/** The space between columns. */
export const COLUMN_GAP = 1;

/** Columns of this priority or more are dropped, if need be, to give flexible columns their `want`. */
export const EXPENDABLE_PRIORITY = 4;

function total(cols: readonly ColumnSpec[], wanted = false): number {
  const w = (c: ColumnSpec) => (wanted ? Math.max(c.width, c.want ?? c.width) : c.width);
  return cols.reduce((sum, c) => sum + w(c), 0) + COLUMN_GAP * Math.max(0, cols.length - 1);
}

/** Remove the column with the largest priority (the rightmost among equals). */
function dropWorst<K extends string>(cols: ColumnSpec<K>[]): ColumnSpec<K>[] {
  const worst = Math.max(...cols.map((c) => c.priority));
  const index = cols.map((c) => c.priority).lastIndexOf(worst);
  return cols.filter((_, i) => i !== index);
}

/**
 * Lay `specs` out in `width` columns: drop the columns with the largest priority (the
 * rightmost first among equals) until the rest fit, and expendable ones until flexible
 * columns get their `want`; then widen flexible columns.
 * The result never exceeds `width` unless the priority-0 columns alone do.
 */
export function fitColumns<K extends string>(specs: readonly ColumnSpec<K>[], width: number): Column<K>[] {
  let kept = specs.map((s) => ({ ...s }));
  while (total(kept) > width && Math.max(...kept.map((c) => c.priority)) > 0) kept = dropWorst(kept);
  while (total(kept, true) > width && Math.max(...kept.map((c) => c.priority)) >= EXPENDABLE_PRIORITY)
    kept = dropWorst(kept);
  let spare = width - total(kept);
  for (const limit of [(c: ColumnSpec) => c.want, (c: ColumnSpec) => c.max]) {
    for (const c of kept) {
      const grow = Math.max(0, Math.min(spare, (limit(c) ?? c.width) - c.width));
      c.width += grow;
      spare -= grow;
    }
  }
  let x = 0;
  return kept.map((c) => {
    const col = { ...c, x };
    x += c.width + COLUMN_GAP;
    return col;
  });
}

/** One line of cells laid out by `columns` (cells padded or cut to their column). */
export function formatRow<K extends string>(columns: readonly Column<K>[], cells: Partial<Record<K, string>>): string {
  return columns
    .map((c) => (c.align === 'right' ? fitRight : fitLeft)(cells[c.key] ?? '', c.width))
    .join(' '.repeat(COLUMN_GAP));
}

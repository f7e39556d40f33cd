/**
 * The endpoint table: one row per target, health written out (OK/WARN/FAIL) and coloured,
 * the selected row marked `>`. Columns are dropped by priority when the terminal is narrow;
 * rows scroll to keep the selected one visible when there is no room for all.
 */
import { Box, Text } from 'ink';
import type { EndpointRow, Health, TableKey } from './endpoint-rows.js';
import { columnsFor } from './endpoint-rows.js';
import { scrollStart } from './layout.js';
import { fitColumns, formatRow, type Column } from './table-layout.js';
import { fitLeft, fitRight } from './text.js';
import { toneStyle, type Tone } from './theme.js';

/** Props. `visibleRows` is the number of target rows there is room for. */
export interface EndpointTableProps {
  rows: readonly EndpointRow[];
  selectedId: string | undefined;
  width: number;
  visibleRows: number;
  color: boolean;
}

const HEALTH_TONE: Record<Health, Tone> = { ok: 'ok', warn: 'warn', fail: 'fail', wait: 'dim' };

/** The table. */
export function EndpointTable({ rows, selectedId, width, visibleRows, color }: EndpointTableProps) {
  if (visibleRows <= 0) return null;
  const columns = fitColumns(columnsFor(rows), width);
  const selected = Math.max(
    0,
    rows.findIndex((r) => r.id === selectedId),
  );
  const start = scrollStart(rows.length, visibleRows, selected);
  const shown = rows.slice(start, start + visibleRows);
  let title = formatRow(
    columns,
    Object.fromEntries(columns.map((c) => [c.key, c.title])) as Partial<Record<TableKey, string>>,
  );
  if (shown.length < rows.length) {
    const range = ` [${start + 1}-${start + shown.length}/${rows.length}]`;
    title = title.slice(0, Math.max(0, width - range.length)).padEnd(Math.max(0, width - range.length)) + range;
  }
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end" {...toneStyle('title', color)}>
        {title}
      </Text>
      {shown.length ? (
        shown.map((row) => (
          <TableRow key={row.id} row={row} columns={columns} selected={row.id === selectedId} color={color} />
        ))
      ) : (
        <Text {...toneStyle('dim', color)}>no endpoint yet</Text>
      )}
    </Box>
  );
}

function TableRow({
  row,
  columns,
  selected,
  color,
}: {
  row: EndpointRow;
  columns: Column<TableKey>[];
  selected: boolean;
  color: boolean;
}) {
  return (
    <Text wrap="truncate-end" bold={selected}>
      {columns.map((c, i) => {
        const raw = c.key === 'sel' ? (selected ? '>' : ' ') : row.cells[c.key];
        const text = (c.align === 'right' ? fitRight : fitLeft)(raw, c.width) + (i < columns.length - 1 ? ' ' : '');
        return (
          <Text key={c.key} {...toneStyle(cellTone(c.key, raw, row.health), color)}>
            {text}
          </Text>
        );
      })}
    </Text>
  );
}

function cellTone(key: TableKey, text: string, health: Health): Tone {
  if (key === 'state') return HEALTH_TONE[health];
  if (key === 'error') return health === 'fail' ? 'fail' : health === 'warn' ? 'warn' : 'plain';
  if (key === 'cert' && text.includes('MITM')) return 'warn';
  if (text.includes('×')) return 'fail';
  if (key === 'sel') return 'accent';
  return 'plain';
}

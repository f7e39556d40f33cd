/**
 * The endpoint table: one row per target, health written out (OK/WARN/FAIL) and coloured,
 * the selected row marked `>`. Columns are dropped by priority when the terminal is narrow,
 * long names shortened in the middle; rows scroll to keep the selected one visible when
 * there is no room for all. A row is drawn again only when its target changed.
 */
import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import type { EndpointRow, Health, TableKey } from './endpoint-rows.js';
import { columnsFor } from './endpoint-rows.js';
import { shortenHosts } from './host-name.js';
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
export const EndpointTable = memo(function EndpointTable({
  rows,
  selectedId,
  width,
  visibleRows,
  color,
}: EndpointTableProps) {
  const specs = columnsFor(rows);
  // The same column objects while the width and the columns' wishes stay: rows are memoised on them.
  const shape = JSON.stringify(specs.map((c) => [c.key, c.want]));
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `shape` stands for `specs`, which is new every render.
  const columns = useMemo(() => fitColumns(specs, width), [shape, width]);
  const hostWidth = (columns.find((c) => c.key === 'host')?.width ?? 2) - 1;
  const names = useMemo(
    () =>
      shortenHosts(
        rows.map((r) => r.cells.host),
        hostWidth,
      ),
    [rows, hostWidth],
  );
  if (visibleRows <= 0) return null;
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
        shown.map((row, i) => (
          <TableRow
            key={row.id}
            row={row}
            host={`${row.pushTarget ? '*' : ' '}${names[start + i]}`}
            columns={columns}
            selected={row.id === selectedId}
            color={color}
          />
        ))
      ) : (
        <Text {...toneStyle('dim', color)}>no endpoint yet</Text>
      )}
    </Box>
  );
});

const TableRow = memo(function TableRow({
  row,
  host,
  columns,
  selected,
  color,
}: {
  row: EndpointRow;
  host: string;
  columns: Column<TableKey>[];
  selected: boolean;
  color: boolean;
}) {
  // Cells of one tone in a row are one text: fewer nodes for Ink to lay out and paint.
  const runs: Array<{ text: string; tone: Tone }> = [];
  columns.forEach((c, i) => {
    const raw = c.key === 'sel' ? (selected ? '>' : ' ') : c.key === 'host' ? host : row.cells[c.key];
    const fitted = (c.align === 'right' ? fitRight : fitLeft)(raw, c.width);
    // No trailing blanks after the last column: Ink would tokenize them only to trim them.
    const text = i < columns.length - 1 ? `${fitted} ` : fitted.trimEnd();
    const tone = cellTone(c.key, raw, row.health);
    const last = runs[runs.length - 1];
    if (last && last.tone === tone) last.text += text;
    else runs.push({ text, tone });
  });
  return (
    <Text wrap="truncate-end" bold={selected}>
      {runs.map((r, i) => (
        <Text key={i} {...toneStyle(r.tone, color)}>
          {r.text}
        </Text>
      ))}
    </Text>
  );
});

function cellTone(key: TableKey, text: string, health: Health): Tone {
  if (key === 'state') return HEALTH_TONE[health];
  if (key === 'error') return health === 'fail' ? 'fail' : health === 'warn' ? 'warn' : 'plain';
  if (key === 'cert' && text.includes('MITM')) return 'warn';
  if (text.includes('×')) return 'fail';
  if (key === 'sel') return 'accent';
  return 'plain';
}

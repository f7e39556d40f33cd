/**
 * A view over the dashboard's middle (help, the findings, a finding, an endpoint): a title,
 * then the lines that fit from `scroll` on. When there are more lines than room, the title
 * says which are shown and that up/down scroll, so nothing is cut without saying so.
 */
import { Box, Text } from 'ink';
import { memo } from 'react';
import type { PanelLine } from './panel-line.js';
import { wrapText } from './text.js';
import { toneStyle } from './theme.js';

/** Lines wrapped to `width` (continuations indented), each keeping its tone. */
export function wrapPanelLines(lines: readonly PanelLine[], width: number): PanelLine[] {
  return lines.flatMap((l) => (l.text ? wrapText(l.text, width).map((text) => ({ text, tone: l.tone })) : [l]));
}

/** The largest scroll offset for `count` lines in an overlay of `height` lines (its title included). */
export function maxScrollOf(count: number, height: number): number {
  return Math.max(0, count - Math.max(1, height - 1));
}

/** Props. `lines` are already wrapped to `width`; `selected` marks a line of a list with `>`. */
export interface OverlayProps {
  title: string;
  lines: readonly PanelLine[];
  height: number;
  width: number;
  scroll: number;
  selected?: number;
  color: boolean;
}

/** The overlay, `height` lines at most. */
export const Overlay = memo(function Overlay({ title, lines, height, width, scroll, selected, color }: OverlayProps) {
  if (height <= 0) return null;
  const room = Math.max(0, height - 1);
  const start = Math.min(Math.max(0, scroll), maxScrollOf(lines.length, height));
  const shown = lines.slice(start, start + room);
  const where = lines.length > room ? `  [${start + 1}-${start + shown.length}/${lines.length}, up/down scroll]` : '';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate-end" {...toneStyle('title', color)}>
        {title}
        <Text {...toneStyle('dim', color)}>{where}</Text>
      </Text>
      {shown.map((l, i) => (
        <Text
          key={start + i}
          wrap="truncate-end"
          {...toneStyle(l.tone, color)}
          inverse={color && selected === start + i}
        >
          {selected === undefined ? l.text : `${selected === start + i ? '>' : ' '} ${l.text}`}
        </Text>
      ))}
    </Box>
  );
});

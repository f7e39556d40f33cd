/** A titled block of one-line entries, cut to its height (credential and push panels). */
import { Box, Text } from 'ink';
import { memo } from 'react';
import type { PanelLine } from './panel-line.js';
import { truncate } from './text.js';
import { toneStyle } from './theme.js';

/** Props. */
export interface PanelProps {
  title: string;
  lines: readonly PanelLine[];
  empty?: string;
  height: number;
  width: number;
  color: boolean;
}

/** The panel: the title, then the lines that fit. Under two lines there is no room for both: nothing. */
export const Panel = memo(function Panel({ title, lines, empty, height, width, color }: PanelProps) {
  if (height < 2 || (!lines.length && !empty)) return null;
  const shown = lines.slice(0, height - 1);
  const more = lines.length - shown.length;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate-end" {...toneStyle('title', color)}>
        {title}
        {more > 0 ? <Text {...toneStyle('dim', color)}> (+{more} more)</Text> : null}
      </Text>
      {shown.length ? (
        shown.map((l, i) => (
          <Text key={i} wrap="truncate-end" {...toneStyle(l.tone, color)}>
            {truncate(l.text, width)}
          </Text>
        ))
      ) : (
        <Text wrap="truncate-end" {...toneStyle('dim', color)}>
          {empty}
        </Text>
      )}
    </Box>
  );
});

/**
 * The event log: the latest notable events with their times, newest last. Lines are cut to
 * the width here (Ink's own truncation measures every line again, every frame).
 */
import { Box, Text } from 'ink';
import { memo } from 'react';
import type { LogLine } from './event-lines.js';
import { fmtClock, truncate } from './text.js';
import { toneStyle } from './theme.js';

/** Props: the lines (oldest first) and the room there is. */
export interface EventLogProps {
  lines: readonly LogLine[];
  height: number;
  width: number;
  color: boolean;
}

/** The log: a title line, then as many of the newest lines as fit (none under two lines). */
export const EventLog = memo(function EventLog({ lines, height, width, color }: EventLogProps) {
  if (height < 2) return null;
  const shown = lines.slice(Math.max(0, lines.length - (height - 1)));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate-end" {...toneStyle('title', color)}>
        events
      </Text>
      {shown.map((l, i) => (
        <Text key={`${l.t}.${i}`} wrap="truncate-end">
          <Text {...toneStyle('dim', color)}>{fmtClock(l.t)} </Text>
          <Text {...toneStyle(l.tone, color)}>{truncate(l.text, width - 9)}</Text>
        </Text>
      ))}
    </Box>
  );
});

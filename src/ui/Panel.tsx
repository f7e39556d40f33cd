/** A titled block of one-line entries, cut to its height (credential and push panels). */
import { Box, Text } from 'ink';
import type { PanelLine } from './credential-lines.js';
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

/** The panel: the title, then the lines that fit. */
export function Panel({ title, lines, empty, height, width, color }: PanelProps) {
  if (height <= 0) return null;
  const shown = lines.slice(0, height - 1);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate-end" {...toneStyle('title', color)}>
        {title}
      </Text>
      {shown.length ? (
        shown.map((l, i) => (
          <Text key={i} wrap="truncate-end" {...toneStyle(l.tone, color)}>
            {l.text}
          </Text>
        ))
      ) : empty && height > 1 ? (
        <Text wrap="truncate-end" {...toneStyle('dim', color)}>
          {empty}
        </Text>
      ) : null}
    </Box>
  );
}

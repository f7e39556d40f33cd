/** The help overlay (`?`): the keys, what the marker glyphs and table marks mean, where the log is. */
import { Box, Text } from 'ink';
import { MARKER_LEGEND } from './marker-row.js';
import { FAILED_MARK } from './time-axis.js';
import { KEY_HELP } from './ui-state.js';
import { toneStyle } from './theme.js';

/** Props. */
export interface HelpOverlayProps {
  height: number;
  width: number;
  logPath?: string | null;
  color: boolean;
}

/** The lines of the help, in order of importance (cut from the end when short of room). */
export function helpLines(logPath?: string | null): string[] {
  return [
    'keys',
    ...KEY_HELP.map(([k, what]) => `  ${k.padEnd(8)} ${what}`),
    'marker row under the chart (one column per probe round of the selected endpoint)',
    ...MARKER_LEGEND.map(([g, what]) => `  ${g.padEnd(8)} ${what.replace(/^cred /, 'credential ')}`),
    `  ${FAILED_MARK.padEnd(8)} on the time axis: that round failed`,
    'table: * push target, l/p95 = last/95th percentile ms, OK/WARN/FAIL health, tls/cert MITM = TLS interception suspected',
    logPath ? `session log: ${logPath}` : 'no session log (--no-log)',
  ];
}

/** The overlay, `height` lines at most. */
export function HelpOverlay({ height, width, logPath, color }: HelpOverlayProps) {
  if (height <= 0) return null;
  const lines = helpLines(logPath).slice(0, height);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {lines.map((l, i) => (
        <Text key={i} wrap="truncate-end" {...toneStyle(l.startsWith(' ') ? 'plain' : 'title', color)}>
          {l}
        </Text>
      ))}
    </Box>
  );
}

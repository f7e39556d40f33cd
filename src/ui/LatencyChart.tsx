/**
 * The chart block: a title, the plot of the selected endpoint's latency, the time axis
 * with failed rounds marked, tick labels, the push/credential marker row aligned under the
 * sample columns, and the legend. All geometry comes from `ChartModel`; the block is drawn
 * again only when its model (a new series, a new size) or its options change.
 */
import { Box, Text } from 'ink';
import { memo } from 'react';
import type { CellRole } from './chart-layout.js';
import type { ChartModel } from './chart-model.js';
import { toneStyle, type Tone } from './theme.js';

/** Props. */
export interface LatencyChartProps {
  model: ChartModel | undefined;
  width: number;
  labels: boolean;
  /** Legend lines shown (the model's legend is wrapped to the width; 0: none). */
  legend: number;
  color: boolean;
}

const ROLE_TONE: Record<CellRole, Tone> = {
  label: 'dim',
  axis: 'dim',
  primary: 'accent',
  compare: 'compare',
  blank: 'plain',
};

/** The chart block, or a line saying there is nothing to chart yet. */
export const LatencyChart = memo(function LatencyChart({ model, width, labels, legend, color }: LatencyChartProps) {
  if (!model) return <Text {...toneStyle('dim', color)}>no endpoint selected</Text>;
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end" {...toneStyle('title', color)}>
        {model.title}
      </Text>
      {model.plot.rows.map((row, r) => (
        <Text key={r} wrap="truncate-end">
          {row.map((run, i) => (
            <Text key={i} {...toneStyle(ROLE_TONE[run.role], color)}>
              {run.text}
            </Text>
          ))}
        </Text>
      ))}
      <Text wrap="truncate-end">{colourFailures(model.axis, color)}</Text>
      {labels ? (
        <Text wrap="truncate-end" {...toneStyle('dim', color)}>
          {model.ticks}
        </Text>
      ) : null}
      <Text wrap="truncate-end">{colourMarkers(model.markers, model.plot.firstColumn, color)}</Text>
      {model.legend.slice(0, legend).map((line, i) => (
        <Text key={`legend${i}`} wrap="truncate-end" {...toneStyle('dim', color)}>
          {line}
        </Text>
      ))}
    </Box>
  );
});

/** The axis with `×` in the failure colour; the rest dim. */
function colourFailures(axis: string, color: boolean) {
  return axis.split(/(×+)/).map((part, i) => (
    <Text key={i} {...toneStyle(part.startsWith('×') ? 'fail' : 'dim', color)}>
      {part}
    </Text>
  ));
}

const MARK_TONE: Record<string, Tone> = { E: 'fail', F: 'fail', x: 'fail', D: 'ok', c: 'ok', S: 'accent' };

/** The marker row: its label dim, each glyph coloured by meaning (retries warn). */
function colourMarkers(row: string, firstColumn: number, color: boolean) {
  const runs: Array<{ text: string; tone: Tone }> = [{ text: row.slice(0, firstColumn), tone: 'dim' }];
  for (const g of Array.from(row.slice(firstColumn))) {
    const tone: Tone = g === ' ' ? 'plain' : (MARK_TONE[g] ?? 'warn');
    const last = runs[runs.length - 1]!;
    if (last.tone === tone) last.text += g;
    else runs.push({ text: g, tone });
  }
  return runs.map((r, i) => (
    <Text key={i} {...toneStyle(r.tone, color)}>
      {r.text}
    </Text>
  ));
}

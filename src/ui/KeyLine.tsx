/** The key line at the bottom: the last message (e.g. where an export went), then the keys. */
import { Text } from 'ink';
import { PHASE_LABELS, type ChartPhase } from './series.js';
import { toneStyle } from './theme.js';
import type { Compare } from './ui-state.js';

/** Props. */
export interface KeyLineProps {
  phase: ChartPhase;
  compare: Compare;
  paused: boolean;
  interactive: boolean;
  message?: { text: string; ok: boolean };
  width: number;
  color: boolean;
}

/** The keys summary, naming the current phase and comparison. */
export function keySummary(phase: ChartPhase, compare: Compare, paused: boolean): string {
  const cmp = compare.kind === 'none' ? 'off' : compare.kind === 'median' ? 'median' : compare.id;
  return `q quit  up/down endpoint  p phase:${PHASE_LABELS[phase]}  c compare:${cmp}  space ${paused ? 'resume' : 'pause'}  e export  ? help`;
}

/** The line. Without raw-mode input, it says that keys are off. */
export function KeyLine({ phase, compare, paused, interactive, message, width, color }: KeyLineProps) {
  const keys = interactive ? keySummary(phase, compare, paused) : 'keys off (no raw-mode input): Ctrl-C quits';
  return (
    <Text wrap="truncate-end">
      {message ? <Text {...toneStyle(message.ok ? 'ok' : 'fail', color)}>{message.text} </Text> : null}
      <Text {...toneStyle('dim', color)}>{keys.slice(0, Math.max(0, width))}</Text>
    </Text>
  );
}

/**
 * The key line at the bottom: the last message (e.g. where an export went), then the keys
 * of the view shown. It fits the width by using short words, then by leaving out the least
 * needed keys; it always ends with `? help`, which lists them all.
 */
import { Text } from 'ink';
import { memo } from 'react';
import { PHASE_LABELS, type ChartPhase } from './series.js';
import { toneStyle } from './theme.js';
import type { Compare, View } from './ui-state.js';

/** Props. */
export interface KeyLineProps {
  view: View['kind'];
  phase: ChartPhase;
  compare: Compare;
  paused: boolean;
  interactive: boolean;
  message?: { text: string; ok: boolean };
  width: number;
  color: boolean;
}

/** A key and what it does, in long and short words; lower `keep` is left out later. */
interface KeyItem {
  key: string;
  long: string;
  short: string;
  keep: number;
}

function item(key: string, long: string, short: string, keep: number): KeyItem {
  return { key, long, short, keep };
}

/** The keys of a view, in display order. */
export function keyItems(view: View['kind'], phase: ChartPhase, compare: Compare, paused: boolean): KeyItem[] {
  const help = item('?', 'help', 'help', 100);
  const quit = item('q', 'quit', 'quit', 99);
  if (view === 'main') {
    const cmp = compare.kind === 'none' ? 'off' : compare.kind === 'median' ? 'median' : compare.id;
    return [
      quit,
      item('↑↓', 'endpoint', 'sel', 90),
      item('enter', 'details', 'open', 80),
      item('f', 'findings', 'find', 85),
      item('p', `phase:${PHASE_LABELS[phase]}`, PHASE_LABELS[phase], 60),
      item('c', `compare:${cmp}`, cmp, 50),
      item('space', paused ? 'resume' : 'pause', paused ? 'resume' : 'pause', 70),
      item('e', 'export', 'exp', 40),
      help,
    ];
  }
  return [
    item('esc', 'back', 'back', 98),
    item('↑↓', view === 'findings' ? 'select' : 'scroll', view === 'findings' ? 'sel' : 'scroll', 90),
    ...(view === 'findings' ? [item('enter', 'open', 'open', 95)] : []),
    item('pgup/pgdn', 'page', 'page', 30),
    quit,
    ...(view === 'help' ? [] : [help]),
  ];
}

/** The keys summary in at most `width` columns. */
export function keySummary(items: readonly KeyItem[], width: number): string {
  const shown = [...items];
  for (;;) {
    for (const [words, gap] of [
      ['long', '  '],
      ['short', '  '],
      ['short', ' '],
    ] as const) {
      const text = shown.map((i) => `${i.key} ${i[words]}`).join(gap);
      if (text.length <= width) return text;
    }
    if (shown.length <= 2)
      return shown
        .map((i) => `${i.key} ${i.short}`)
        .join(' ')
        .slice(0, Math.max(0, width));
    const least = shown.reduce((a, b) => (b.keep < a.keep ? b : a));
    shown.splice(shown.indexOf(least), 1);
  }
}

/** The line. Without raw-mode input, it says that keys are off. */
export const KeyLine = memo(function KeyLine({
  view,
  phase,
  compare,
  paused,
  interactive,
  message,
  width,
  color,
}: KeyLineProps) {
  const room = Math.max(0, width - (message ? message.text.length + 1 : 0));
  const keys = interactive
    ? keySummary(keyItems(view, phase, compare, paused), message ? Math.max(room, 0) : width)
    : 'keys off (no raw-mode input): Ctrl-C quits';
  return (
    <Text wrap="truncate-end">
      {message ? <Text {...toneStyle(message.ok ? 'ok' : 'fail', color)}>{message.text} </Text> : null}
      <Text {...toneStyle('dim', color)}>{keys.slice(0, Math.max(0, width))}</Text>
    </Text>
  );
});

/**
 * Colours by meaning. Every state the dashboard colours is also written in words or
 * glyphs (OK/WARN/FAIL, ×, marker letters), so nothing is lost with NO_COLOR; with colour
 * off, no colour attribute is emitted at all.
 */
import type { TextProps } from 'ink';

/** What a piece of text means. */
export type Tone = 'ok' | 'warn' | 'fail' | 'dim' | 'accent' | 'compare' | 'plain' | 'title';

const COLOURS: Record<Tone, Pick<TextProps, 'color' | 'bold' | 'dimColor'>> = {
  ok: { color: 'green' },
  warn: { color: 'yellow' },
  fail: { color: 'red', bold: true },
  dim: { color: 'gray' },
  accent: { color: 'cyan' },
  compare: { color: 'magenta' },
  plain: {},
  title: { bold: true },
};

/** Ink text props for `tone`; only weight (bold) survives without colour. */
export function toneStyle(tone: Tone, color: boolean): Pick<TextProps, 'color' | 'bold' | 'dimColor'> {
  if (color) return COLOURS[tone];
  return tone === 'title' || tone === 'fail' ? { bold: true } : {};
}

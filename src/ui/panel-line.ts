/** A line of a panel or a view: its text and the tone it is shown in. */
import type { Tone } from './theme.js';

/** A line with its tone. */
export interface PanelLine {
  text: string;
  tone: Tone;
}

/** An empty line (a space: Ink gives an empty text no height). */
export const BLANK: PanelLine = { text: ' ', tone: 'plain' };

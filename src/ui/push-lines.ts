/**
 * The push panel's lines: the command, elapsed time, retries and exit status; the layers
 * with their state and retries, packed several to a line; the child's last output lines.
 */
import type { PushEndEvent, PushStartEvent } from '../core/events.js';
import type { LayerProgress, PushState } from '../core/store.js';
import { fmtElapsed } from './text.js';
import type { PanelLine } from './credential-lines.js';

/** A copy of the push state taken at one moment (the store's own objects keep changing). */
export interface PushView {
  start: PushStartEvent;
  layers: LayerProgress[];
  retries: number;
  lastError?: string;
  output: string[];
  end?: PushEndEvent;
}

/** Output lines kept in the copy: more than any panel shows. */
const OUTPUT_KEPT = 20;

/** Copy what the panel shows out of the store's push state. */
export function pushView(push: PushState): PushView {
  const view: PushView = {
    start: push.start,
    layers: [...push.layers.values()].map((l) => ({ ...l })),
    retries: push.retries,
    output: push.output.tail(OUTPUT_KEPT),
  };
  if (push.lastError !== undefined) view.lastError = push.lastError;
  if (push.end) view.end = push.end;
  return view;
}

/** Lines for `push` at time `now`, fitted to `lines` x `width`. */
export function pushLines(push: PushView, now: number, lines: number, width: number): PanelLine[] {
  if (lines <= 0) return [];
  const started = Date.parse(push.start.t);
  const elapsed = push.end ? push.end.durationMs : now - started;
  const status = push.end
    ? push.end.signal
      ? `killed by ${push.end.signal}`
      : `exit ${push.end.exitCode}`
    : 'running';
  const head: PanelLine = {
    text: `push ${push.start.argv.join(' ')}  ${fmtElapsed(elapsed)}  ${push.retries} retr${push.retries === 1 ? 'y' : 'ies'}  ${status}`,
    tone: push.end ? (push.end.exitCode === 0 ? 'ok' : 'fail') : push.retries ? 'warn' : 'accent',
  };
  const out: PanelLine[] = [head];
  const layerLines = packLayers(push, width).slice(0, Math.max(0, Math.min(3, lines - 2)));
  out.push(...layerLines);
  if (push.lastError && out.length < lines) out.push({ text: `last error: ${push.lastError}`, tone: 'fail' });
  const room = lines - out.length;
  if (room > 0)
    out.push(
      ...push.output
        .slice(Math.max(0, push.output.length - room))
        .map((text) => ({ text: `| ${text}`, tone: 'dim' as const })),
    );
  return out.slice(0, lines);
}

/** `abc123def456 pushing r2` cells, as many per line as fit in `width`. */
function packLayers(push: PushView, width: number): PanelLine[] {
  const cells = push.layers.map((l) => `${l.id.slice(0, 12)} ${l.state}${l.retries ? ` r${l.retries}` : ''}`);
  const lines: PanelLine[] = [];
  let current = '';
  for (const cell of cells) {
    if (current && current.length + 3 + cell.length > width) {
      lines.push({ text: current, tone: 'plain' });
      current = '';
    }
    current = current ? `${current} | ${cell}` : cell;
  }
  if (current) lines.push({ text: current, tone: 'plain' });
  return lines;
}

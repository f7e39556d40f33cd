/**
 * The push panel's title (the command, so the user always sees what is pushed) and its lines:
 * how the push stands, its elapsed time and retries; the layers (packed several to a line, or counted in one line when room is short); the last
 * error; and the command's own last output lines, which stay visible as long as there is a
 * push panel at all (the user wrapped the command to watch it, not to lose sight of it).
 */
import type { PushSnapshot } from '../core/store.js';
import type { PanelLine } from './panel-line.js';
import { fmtElapsed, truncate } from './text.js';

/** Output lines kept at least, when the panel has room for anything below its head. */
const MIN_OUTPUT_LINES = 2;

/** The head line's words for how the push stands. */
export function pushStatus(push: Pick<PushSnapshot, 'end'>): string {
  if (!push.end) return 'running';
  if (push.end.signal) return `killed by ${push.end.signal}`;
  return push.end.exitCode === 0 ? 'done, exit 0' : `FAILED, exit ${push.end.exitCode}`;
}

/** Lines the panel would fill with room enough, its title included (what the layout asks for). */
export function pushLinesWanted(push: PushSnapshot, width: number): number {
  return 2 + Math.min(3, packLayers(push, width).length) + (push.lastError ? 1 : 0) + push.output.length;
}

/**
 * `push docker push gcr.io/proj/app:v1`, in at most `width` columns: a command too long loses
 * its middle, never its end, where the image's name and tag are (`push docker push
 * europe-west1-docker.pkg.dev/pr~/app:v1`).
 */
export function pushTitle(push: Pick<PushSnapshot, 'start'>, width: number): string {
  const title = `push ${push.start.argv.join(' ')}`;
  if (title.length <= width) return title;
  if (width < 8) return truncate(title, width);
  const room = width - 1;
  // The last path segment (`/app:v1`) when it leaves the head at least half, else half each.
  const slash = title.lastIndexOf('/');
  const half = Math.floor(room / 2);
  const tail = slash > 0 && title.length - slash <= half ? title.slice(slash) : title.slice(-half);
  return `${title.slice(0, room - tail.length)}~${tail}`;
}

/** Lines for `push` at time `now`, fitted to `lines` x `width` (the command is in `pushTitle`). */
export function pushLines(push: PushSnapshot, now: number, lines: number, width: number): PanelLine[] {
  if (lines <= 0) return [];
  const started = Date.parse(push.start.t);
  const elapsed = push.end ? push.end.durationMs : now - started;
  const retries = `${push.retries} retr${push.retries === 1 ? 'y' : 'ies'}`;
  const head: PanelLine = {
    text: `${pushStatus(push)}  ${fmtElapsed(elapsed)}  ${retries}`,
    tone: push.end ? (push.end.exitCode === 0 ? 'ok' : 'fail') : push.retries ? 'warn' : 'accent',
  };
  const below = lines - 1;
  const error: PanelLine[] = push.lastError ? [{ text: `last error: ${push.lastError}`, tone: 'fail' }] : [];
  const outputRoom = Math.min(push.output.length, MIN_OUTPUT_LINES);
  const layerRoom = Math.min(3, Math.max(0, below - outputRoom - error.length));
  const packed = packLayers(push, width);
  const layers = packed.length <= layerRoom ? packed : layerRoom > 0 ? [countLayers(push)] : [];
  const fixed = [head, ...layers, ...error].slice(0, lines);
  const room = lines - fixed.length;
  const output = push.output
    .slice(Math.max(0, push.output.length - room))
    .map((text) => ({ text: `| ${text}`, tone: 'dim' as const }));
  return [...fixed, ...output];
}

/** `6 layers: 4 pushed, 1 pushing, 1 waiting; 2 retried`: the layers in one line. */
function countLayers(push: PushSnapshot): PanelLine {
  const byState = new Map<string, number>();
  for (const l of push.layers) byState.set(l.state, (byState.get(l.state) ?? 0) + 1);
  const retried = push.layers.filter((l) => l.retries > 0).length;
  const states = [...byState].map(([state, n]) => `${n} ${state}`).join(', ');
  return {
    text: `${push.layers.length} layer${push.layers.length === 1 ? '' : 's'}: ${states}${retried ? `; ${retried} retried` : ''}`,
    tone: 'plain',
  };
}

/** `abc123def456 pushing r2` cells, as many per line as fit in `width`. */
function packLayers(push: PushSnapshot, width: number): PanelLine[] {
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

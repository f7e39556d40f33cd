/**
 * Small text helpers for the dashboard: compact number and time formats that fit fixed
 * columns, and padding/truncation. Structured cells (hosts, codes, numbers) are ASCII, so
 * one character is one terminal column; free text (a child's output) is truncated by Ink.
 */

/** A latency in at most 4 columns: `0.4`, `9.9`, `12`, `850`, `1.2s`, `12s`; `-` when absent. */
export function fmtMsShort(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms < 9.95) return ms.toFixed(1);
  if (ms < 999.5) return String(Math.round(ms));
  if (ms < 9950) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.round(ms / 1000)}s`;
}

/** A latency with its unit, for sentences: `45 ms`, `1.2 s`. */
export function fmtLatency(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  return ms < 999.5 ? `${fmtMsShort(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A duration as the header shows it: `45s`, `3m05s`, `1h02m`. */
export function fmtElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Time left until `atMs` from `nowMs`: `in 42m10s`, or `expired 3m ago`. */
export function fmtCountdown(atMs: number, nowMs: number): string {
  const left = atMs - nowMs;
  return left >= 0 ? `in ${fmtElapsed(left)}` : `expired ${fmtElapsed(-left)} ago`;
}

/** Local wall time `HH:MM:SS` of epoch ms. */
export function fmtClock(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** `text` cut to `width` columns, ending with `~` when it was cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  return width === 1 ? text.slice(0, 1) : `${text.slice(0, width - 1)}~`;
}

/** `text` truncated or padded with spaces to exactly `width` columns. */
export function fitLeft(text: string, width: number): string {
  return truncate(text, width).padEnd(width);
}

/** `text` truncated or left-padded to exactly `width` columns (numbers). */
export function fitRight(text: string, width: number): string {
  return truncate(text, width).padStart(width);
}

/**
 * `text` broken into lines of at most `width` columns, at spaces where it can be (a word
 * longer than a line is cut); lines after the first are indented `indent` spaces deeper
 * than the text's own indentation, or under the description of a `key   description` line.
 */
export function wrapText(text: string, width: number, indent = 2): string[] {
  if (width <= 0) return [];
  if (text.length <= width) return [text];
  // A `  key      what it does` line hangs under its description; any other under its own text.
  const hang = /^ *\S+ {2,}/.exec(text)?.[0].length ?? /^ */.exec(text)![0].length + indent;
  const pad = ' '.repeat(Math.min(hang, Math.max(0, Math.floor(width / 2))));
  const lines: string[] = [];
  let rest = text;
  while (rest.length) {
    const room = lines.length ? width - pad.length : width;
    if (rest.length <= room) {
      lines.push((lines.length ? pad : '') + rest);
      break;
    }
    const space = rest.lastIndexOf(' ', room);
    const cut = space > room / 3 ? space : room;
    lines.push((lines.length ? pad : '') + rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  return lines;
}

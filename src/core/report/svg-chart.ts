/**
 * An SVG latency chart of one endpoint: the total time of its successful rounds as one path
 * (broken where no round succeeded), failed rounds as red ticks on the time axis, and the
 * push's events (start, retries, errors, end, failed credential checks) as vertical lines
 * with their words in a tooltip. All charts of a report share the session's time axis.
 * Pure string building; no script, no external resource.
 */
import type { ChartMarker, ReportTarget } from './collect.js';
import { clockZ } from './report-text.js';

/** Size and time span of a chart. Times are epoch ms. */
export interface ChartFrame {
  width: number;
  height: number;
  from: number;
  to: number;
}

const M = { left: 58, right: 14, top: 12, bottom: 24 };

/** Escape text for HTML and SVG. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A round number at or above `v` (1, 2, 5 x 10^n). */
function niceCeil(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function fixed(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}

/** The chart of `target` with `markers` drawn on it. */
export function renderLatencyChart(target: ReportTarget, markers: ChartMarker[], frame: ChartFrame): string {
  const plotW = frame.width - M.left - M.right;
  const plotH = frame.height - M.top - M.bottom;
  const span = Math.max(1, frame.to - frame.from);
  const x = (t: number) => M.left + ((Math.min(Math.max(t, frame.from), frame.to) - frame.from) / span) * plotW;
  const means = target.series.filter((b) => b.mean !== undefined).map((b) => b.mean!);
  const top = niceCeil(Math.max(1, ...means) * 1.1);
  const y = (v: number) => M.top + plotH - (Math.min(v, top) / top) * plotH;
  const parts: string[] = [
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${frame.width} ${frame.height}" width="${frame.width}" height="${frame.height}" role="img" aria-label="${esc(`latency of ${target.id}`)}">`,
    ...grid(top, y, plotW),
    ...timeAxis(frame, x, plotH),
    `<path class="latency" data-target="${esc(target.id)}" d="${pathOf(target, x, y)}"/>`,
    ...failTicks(target, x, plotH),
    ...markers
      .filter((m) => m.t >= frame.from && m.t <= frame.to)
      .map(
        (m) =>
          `<line class="marker marker-${m.kind}" x1="${fixed(x(m.t))}" x2="${fixed(x(m.t))}" y1="${M.top}" y2="${M.top + plotH}"><title>${esc(`${clockZ(m.t)} ${m.label}`)}</title></line>`,
      ),
  ];
  if (!means.length)
    parts.push(
      `<text class="empty" x="${M.left + plotW / 2}" y="${M.top + plotH / 2}" text-anchor="middle">no successful round</text>`,
    );
  parts.push('</svg>');
  return parts.join('');
}

/** M/L segments through the bucket means; a bucket with only failures breaks the line. */
function pathOf(target: ReportTarget, x: (t: number) => number, y: (v: number) => number): string {
  const d: string[] = [];
  let pen = false;
  for (const b of target.series) {
    if (b.mean === undefined) {
      pen = false;
      continue;
    }
    d.push(`${pen ? 'L' : 'M'}${fixed(x(b.t + b.widthMs / 2))} ${fixed(y(b.mean))}`);
    pen = true;
  }
  return d.join(' ');
}

function grid(top: number, y: (v: number) => number, plotW: number): string[] {
  const out: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = (top * i) / 4;
    const yy = fixed(y(v));
    out.push(`<line class="grid" x1="${M.left}" x2="${M.left + plotW}" y1="${yy}" y2="${yy}"/>`);
    out.push(
      `<text class="label" x="${M.left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${fixed(v)} ms</text>`,
    );
  }
  return out;
}

function timeAxis(frame: ChartFrame, x: (t: number) => number, plotH: number): string[] {
  const out: string[] = [];
  const base = M.top + plotH;
  for (let i = 0; i <= 4; i++) {
    const t = frame.from + ((frame.to - frame.from) * i) / 4;
    out.push(
      `<text class="label" x="${fixed(x(t))}" y="${base + 16}" text-anchor="${i === 0 ? 'start' : i === 4 ? 'end' : 'middle'}">${clockZ(t)}</text>`,
    );
  }
  return out;
}

function failTicks(target: ReportTarget, x: (t: number) => number, plotH: number): string[] {
  const base = M.top + plotH;
  return target.series
    .filter((b) => b.fails > 0)
    .map(
      (b) =>
        `<rect class="fail" x="${fixed(x(b.t + b.widthMs / 2) - 1.5)}" y="${base - 8}" width="3" height="8"><title>${esc(`${clockZ(b.t)}: ${b.fails} failed round(s)`)}</title></rect>`,
    );
}

/**
 * The push and credential marker row: what the push did, and when the credential changed,
 * each under the sample column nearest in time, in the plot's geometry. This overlay is
 * the point of the dashboard (a retry drawn over the latency that caused it), so placement
 * is a pure function with exact tests. One glyph per column; when several events fall in
 * one column the most important wins (error > failed end > retry > done > credential > start).
 */
import { isWarning } from '../core/auth/verdict.js';
import type { AuthEvent, SessionEvent } from '../core/events.js';
import { sampleColumn } from './chart-layout.js';
import { nearestIndex } from './series.js';

/** A marker at a time. */
export interface TimedMark {
  t: number;
  glyph: string;
  priority: number;
  /** What it stands for, for the legend and the help. */
  meaning: string;
}

/** The glyphs, for the legend line. */
export const MARKER_LEGEND: ReadonlyArray<[string, string]> = [
  ['S', 'push start'],
  ['1-9', 'retry #'],
  ['E', 'push error'],
  ['D', 'push done'],
  ['F', 'push failed'],
  ['c', 'cred refreshed'],
  ['x', 'cred check failed'],
];

/** The glyph of retry attempt `n`: its digit, `+` from 10 on. */
export function retryGlyph(attempt: number): string {
  return attempt >= 1 && attempt <= 9 ? String(Math.floor(attempt)) : '+';
}

/**
 * Marks from push and credential events (oldest first). A credential is marked `c` when its
 * token changed (a refresh) or it recovered, and `x` when a check really failed after
 * success. A short-lived token expiring and being fetched again is the normal course of
 * things, not a failure; neither is a warning (a token about to expire).
 */
export function marksFromEvents(events: readonly SessionEvent[]): TimedMark[] {
  const marks: TimedMark[] = [];
  const lastAuth = new Map<string, AuthEvent>();
  for (const e of events) {
    const t = Date.parse(e.t);
    switch (e.type) {
      case 'push.start':
        marks.push({ t, glyph: 'S', priority: 1, meaning: 'push start' });
        break;
      case 'push.retry':
        marks.push({ t, glyph: retryGlyph(e.attempt), priority: 4, meaning: `retry #${e.attempt}` });
        break;
      case 'push.error':
        marks.push({ t, glyph: 'E', priority: 6, meaning: `push error ${e.code}` });
        break;
      case 'push.end':
        marks.push(
          e.exitCode === 0
            ? { t, glyph: 'D', priority: 3, meaning: 'push done' }
            : { t, glyph: 'F', priority: 5, meaning: 'push failed' },
        );
        break;
      case 'auth': {
        const key = `${e.view}:${e.host ?? ''}`;
        const mark = credentialMark(lastAuth.get(key), e, t);
        if (mark) marks.push(mark);
        lastAuth.set(key, e);
        break;
      }
      default:
        break;
    }
  }
  return marks.sort((a, b) => a.t - b.t);
}

/** A failing check is `!ok` and not a mere warning. */
function failing(e: AuthEvent): boolean {
  return !e.ok && !isWarning(e);
}

function credentialMark(prev: AuthEvent | undefined, e: AuthEvent, t: number): TimedMark | undefined {
  if (failing(e)) {
    return !prev || !failing(prev)
      ? { t, glyph: 'x', priority: 2, meaning: `credential ${e.error?.code ?? 'failed'}` }
      : undefined;
  }
  const changedToken = Boolean(e.fingerprint && prev?.fingerprint && e.fingerprint !== prev.fingerprint);
  if (prev && (failing(prev) || changedToken)) return { t, glyph: 'c', priority: 2, meaning: 'credential refreshed' };
  return undefined;
}

/**
 * The mark shown under each sample column, plus one column past the newest sample: marks
 * go to the column nearest in time; marks more than `tolerance` ms before the first column
 * have scrolled off the chart; marks newer than the newest sample wait in the extra column
 * (the round that will tell what the network did meanwhile is still running), and move
 * under the round nearest to them once it has come in.
 */
export function placeMarks(
  times: readonly number[],
  marks: readonly TimedMark[],
  tolerance: number,
): (TimedMark | undefined)[] {
  const placed: (TimedMark | undefined)[] = [...times.map(() => undefined), undefined];
  for (const mark of marks) {
    const i =
      !times.length || mark.t > times[times.length - 1]! ? times.length : nearestIndex(times, mark.t, tolerance);
    if (i === undefined) continue;
    const held = placed[i];
    if (!held || mark.priority >= held.priority) placed[i] = mark;
  }
  return placed;
}

/** The marker row text: a `push` label in the label columns, then one glyph per column of `placed`. */
export function markerRow(labelWidth: number, placed: readonly (TimedMark | undefined)[], label = 'push'): string {
  const head = label.slice(0, labelWidth - 1).padStart(labelWidth - 1) + ' ';
  const cells = placed.map((m) => m?.glyph ?? ' ');
  const row = head + ' ' + cells.join('');
  return row.length === sampleColumn(labelWidth, placed.length)
    ? row
    : row.slice(0, sampleColumn(labelWidth, placed.length));
}

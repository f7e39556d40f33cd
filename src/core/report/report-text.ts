/**
 * Words shared by every report format: the session line, the verdict, times and durations,
 * the statistics columns. Pure.
 */
import type { FindingRecord } from '../diagnose/engine.js';
import { isProblem } from '../diagnose/rank.js';
import { verdictOf as sessionVerdict } from '../diagnose/verdict.js';
import { daemonLogNotReadNote } from '../push/daemon-log-source.js';
import type { PhaseName, TargetSummary } from '../events.js';
import type { ReportData } from './collect.js';

/** `2026-03-02 10:00:05Z`. */
export function isoMinute(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

/** `10:00:05Z`. */
export function clockZ(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)}Z`;
}

/** `1 h 5 min`, `3 min 20 s`, `12 s`. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/** One sentence about the session: when, how long, what was watched. */
export function sessionLine(d: ReportData): string {
  const parts: string[] = [];
  if (d.firstAt !== undefined && d.lastAt !== undefined)
    parts.push(`${isoMinute(d.firstAt)} to ${clockZ(d.lastAt)} (${duration(d.lastAt - d.firstAt)})`);
  if (d.start)
    parts.push(`gcrwatch ${d.start.version} on ${d.start.platform}${d.start.hostname ? ` (${d.start.hostname})` : ''}`);
  parts.push(`${d.targets.length} target(s)`);
  const push = d.targets.filter((t) => t.pushTarget).map((t) => t.id);
  if (push.length) parts.push(`push target ${push.join(', ')}`);
  parts.push(`${d.events} events`);
  if (!d.end) parts.push('the log ends without session.end (cut off)');
  return `${parts.join('; ')}.`;
}

/** What the report concludes: the session's verdict, its top finding as a record. */
export interface ReportVerdict {
  healthy: boolean;
  headline: string;
  detail: string;
  advice?: string;
  top?: FindingRecord;
}

/** The verdict (see `diagnose/verdict.ts`): the top problem that held at the end, or "No problem found". */
export function verdictOf(d: ReportData): ReportVerdict {
  const byLatest = new Map(d.findings.map((r) => [r.latest, r]));
  const lossy = d.targets
    .filter((t) => t.summary.rounds > 0 && t.summary.ok < t.summary.rounds)
    .map((t) => ({ id: t.id, lossPct: t.summary.lossPct }));
  const v = sessionVerdict(byLatest.keys(), lossy);
  const top = v.top ? byLatest.get(v.top) : undefined;
  // A low-confidence verdict says whether the daemon's own reasons were looked for.
  const note =
    v.top?.confidence === 'low' ? daemonLogNotReadNote(d.start?.options ?? {}, d.push.pushes > 0) : undefined;
  return {
    healthy: v.healthy,
    headline: v.headline,
    detail: note ? `${v.detail} ${note}` : v.detail,
    ...(v.advice !== undefined ? { advice: v.advice } : {}),
    ...(top ? { top } : {}),
  };
}

/** The statistics columns of the endpoint table. */
export const STAT_COLUMNS: Array<[PhaseName, string]> = [
  ['dns', 'DNS'],
  ['connect', 'TCP'],
  ['tls', 'TLS'],
  ['ttfb', 'TTFB'],
  ['total', 'total'],
];

/** `12.3` ms, `-` when absent. */
export function ms(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '-';
  return v < 10 ? v.toFixed(2) : v < 1000 ? v.toFixed(1) : v.toFixed(0);
}

/** `p50 / p95` of a phase. */
export function p50p95(s: TargetSummary, phase: PhaseName): string {
  return `${ms(s.p50[phase])} / ${ms(s.p95[phase])}`;
}

/** The last state of a target in words. */
export function lastState(s: TargetSummary): string {
  return s.rounds === 0 ? 'no round' : s.lastOk ? 'ok' : `FAIL ${s.lastError ?? ''}`.trim();
}

/**
 * Each time a finding held (`05:14:14Z-05:14:24Z: what it said`), when it held more than
 * once or said more than one thing; nothing otherwise (the finding itself says it all).
 */
export function episodeLines(r: FindingRecord): string[] {
  if (r.episodes.length < 2 && (r.episodes[0]?.summaries.length ?? 0) < 2) return [];
  return [
    ...(r.episodesOmitted ? [`... ${r.episodesOmitted} earlier time(s)`] : []),
    ...r.episodes.map(
      (e) => `${clockZ(Date.parse(e.from))}-${e.to ? clockZ(Date.parse(e.to)) : 'end'}: ${e.summaries.join(' Then: ')}`,
    ),
  ];
}

/** "held at the end" or "cleared at 10:05:00Z", and "a note" for findings that are not problems. */
export function findingStatus(r: FindingRecord): string {
  return (
    (isProblem(r.latest) ? '' : 'a note, not a problem; ') +
    (r.clearedAt
      ? `seen ${clockZ(Date.parse(r.firstAt))}-${clockZ(Date.parse(r.clearedAt))}, no longer held at the end`
      : `since ${clockZ(Date.parse(r.firstAt))}, held at the end`)
  );
}

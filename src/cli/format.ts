/**
 * Pure text formatting of events for plain output: one line per probe round, and the
 * end-of-session summary table. No I/O here.
 */
import type { PhaseTimes, ProbeEvent, TargetSummary, WarningEvent } from '../core/events.js';

/** Width of the host column. */
const HOST_WIDTH = 24;

/** `12.3` for a time in ms, `-` when absent. Times below 10 ms keep two decimals. */
export function fmtMs(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return '-';
  return ms < 10 ? ms.toFixed(2) : ms < 1000 ? ms.toFixed(1) : ms.toFixed(0);
}

/** Local wall time `HH:MM:SS.mmm` of an ISO time. */
export function fmtClock(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function left(text: string, width: number): string {
  return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}

const LINE_PHASES: Array<[keyof PhaseTimes, string]> = [
  ['dns', 'dns'],
  ['connect', 'tcp'],
  ['tls', 'tls'],
  ['ttfb', 'ttfb'],
  ['total', 'total'],
];

/** One plain line for a probe round. */
export function formatProbeLine(e: ProbeEvent): string {
  // Through a proxy the CONNECT time sits between connect and TLS, as the user lives it.
  const phases = e.details.proxy
    ? [...LINE_PHASES.slice(0, 2), ['proxy', 'proxy'] as [keyof PhaseTimes, string], ...LINE_PHASES.slice(2)]
    : LINE_PHASES;
  const times = phases.map(([k, label]) => `${label} ${left(fmtMs(e.phases[k]), 6)}`).join('  ');
  const status = e.details.http?.status !== undefined ? String(e.details.http.status) : '---';
  const verdict = e.ok ? 'ok' : `FAIL ${e.error?.code ?? 'unknown'}: ${e.error?.message ?? ''}`;
  const notes: string[] = [];
  if (e.details.tls?.interception) notes.push(`interception? issuer ${e.details.tls.interception}`);
  for (const a of e.details.tcp ?? [])
    if (!a.ok && a.address !== e.details.address) notes.push(`IPv${a.family} ${a.error?.code}`);
  for (const d of e.details.dns ?? [])
    if (d.resolver !== 'system') notes.push(`@${d.resolver} ${d.ok ? `${fmtMs(d.ms)}ms` : d.error?.code}`);
  const tail = notes.length ? `  [${notes.join('; ')}]` : '';
  return `${fmtClock(e.t)}  ${pad(e.target, HOST_WIDTH)} ${times}  ${status}  ${verdict}${tail}`;
}

/** A warning line. */
export function formatWarning(e: WarningEvent): string {
  return `${fmtClock(e.t)}  warning: ${e.message}`;
}

const SUMMARY_PHASES: Array<[keyof PhaseTimes, string]> = [
  ['dns', 'dns'],
  ['connect', 'tcp'],
  ['tls', 'tls'],
  ['ttfb', 'ttfb'],
  ['total', 'total'],
];

/** The end-of-session table: rounds, loss and p50/p95 per phase, last state, per target. */
export function formatSummary(rows: TargetSummary[]): string[] {
  // The proxy's CONNECT gets a column when some target went through a proxy.
  const phases = rows.some((r) => r.p50.proxy !== undefined)
    ? [...SUMMARY_PHASES.slice(0, 2), ['proxy', 'proxy'] as [keyof PhaseTimes, string], ...SUMMARY_PHASES.slice(2)]
    : SUMMARY_PHASES;
  const header = [
    pad('target', HOST_WIDTH),
    left('rounds', 6),
    left('loss%', 6),
    ...phases.map(([, l]) => left(`${l} p50/p95`, 15)),
    '  last',
  ].join(' ');
  const lines = [header];
  for (const r of rows) {
    const cells = phases.map(([k]) => left(`${fmtMs(r.p50[k])}/${fmtMs(r.p95[k])}`, 15));
    const last = r.rounds === 0 ? 'no round' : r.lastOk ? 'ok' : `FAIL ${r.lastError ?? ''}`;
    lines.push(
      [pad(r.target, HOST_WIDTH), left(String(r.rounds), 6), left(r.lossPct.toFixed(1), 6), ...cells, `  ${last}`].join(
        ' ',
      ),
    );
  }
  return lines;
}

/**
 * Pure text formatting of events for plain output: one line per probe round, and the
 * end-of-session summary table. No I/O here.
 */
import type { PhaseTimes, ProbeEvent, TargetSummary, WarningEvent } from '../core/events.js';
import { shortenHost } from '../ui/host-name.js';

/** Width of the host column, at least; longer names widen it up to MAX_HOST_WIDTH. */
export const HOST_WIDTH = 24;
const MAX_HOST_WIDTH = 40;

/** The host column for these names: as wide as the longest, within 24..40 columns. */
export function hostWidthFor(names: readonly string[]): number {
  return Math.min(MAX_HOST_WIDTH, Math.max(HOST_WIDTH, ...names.map((n) => n.length)));
}

/** A name in exactly `width` columns: shortened in the middle (keeping region and port) when longer. */
function hostCell(name: string, width: number): string {
  return pad(shortenHost(name, width), width);
}

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

/** One plain line for a probe round; the host column is `hostWidth` wide whatever the name's length. */
export function formatProbeLine(e: ProbeEvent, hostWidth = HOST_WIDTH): string {
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
  return `${fmtClock(e.t)}  ${hostCell(e.target, hostWidth)} ${times}  ${status}  ${verdict}${tail}`;
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

/** Phase columns left out first when the table is too wide for the terminal. */
const DROP_ORDER: ReadonlyArray<keyof PhaseTimes> = ['dns', 'connect', 'proxy', 'ttfb', 'tls'];

/**
 * The end-of-session table: rounds, loss and p50/p95 per phase, last state, per target, in
 * at most `width` columns: phase columns are left out (total last) when it is too wide, and
 * below that each target gets a block of its own. Long names are shortened in the middle.
 */
export function formatSummary(rows: TargetSummary[], width = Infinity): string[] {
  // The proxy's CONNECT gets a column when some target went through a proxy.
  let phases = rows.some((r) => r.p50.proxy !== undefined)
    ? [...SUMMARY_PHASES.slice(0, 2), ['proxy', 'proxy'] as [keyof PhaseTimes, string], ...SUMMARY_PHASES.slice(2)]
    : SUMMARY_PHASES;
  const hostWidth = hostWidthFor(rows.map((r) => r.target));
  for (const drop of [undefined, ...DROP_ORDER]) {
    if (drop) phases = phases.filter(([k]) => k !== drop);
    const lines = summaryTable(rows, phases, hostWidth);
    if (Math.max(...lines.map((l) => l.length)) <= width) return lines;
    const narrow = summaryTable(rows, phases, HOST_WIDTH);
    if (Math.max(...narrow.map((l) => l.length)) <= width) return narrow;
  }
  return ['per target (times: p50/p95 ms)', ...rows.flatMap((r) => summaryBlock(r, width))];
}

function lastState(r: TargetSummary): string {
  return r.rounds === 0 ? 'no round' : r.lastOk ? 'ok' : `FAIL ${r.lastError ?? ''}`.trimEnd();
}

function summaryTable(rows: TargetSummary[], phases: Array<[keyof PhaseTimes, string]>, hostWidth: number): string[] {
  const header = [
    pad('target', hostWidth),
    left('rounds', 6),
    left('loss%', 6),
    ...phases.map(([, l]) => left(`${l} p50/p95`, 15)),
    '  last',
  ].join(' ');
  const lines = [header];
  for (const r of rows) {
    const cells = phases.map(([k]) => left(`${fmtMs(r.p50[k])}/${fmtMs(r.p95[k])}`, 15));
    lines.push(
      [
        hostCell(r.target, hostWidth),
        left(String(r.rounds), 6),
        left(r.lossPct.toFixed(1), 6),
        ...cells,
        `  ${lastState(r)}`,
      ].join(' '),
    );
  }
  return lines;
}

/** A target's block for a narrow terminal: its name, then its figures, wrapped between items. */
function summaryBlock(r: TargetSummary, width: number): string[] {
  const items = [
    `rounds ${r.rounds}`,
    `loss ${r.lossPct.toFixed(1)}%`,
    `last ${lastState(r)}`,
    ...SUMMARY_PHASES.map(([k, l]) => `${l} ${fmtMs(r.p50[k])}/${fmtMs(r.p95[k])}`),
  ];
  const lines = [shortenHost(r.target, width)];
  for (const item of items) {
    const last = lines.length > 1 ? lines[lines.length - 1]! : undefined;
    if (last !== undefined && last.length + 2 + item.length <= width) lines[lines.length - 1] = `${last}  ${item}`;
    else lines.push(`  ${item}`);
  }
  return lines;
}

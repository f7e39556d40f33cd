/**
 * The endpoint table's content, one row per target, as plain strings per column and a
 * health verdict. Pure over the store's snapshot, so the table can be checked without Ink;
 * a row is worked out once per snapshot of its target (the same row object until it changes).
 */
import type { StoreSnapshot, TargetSnapshot } from '../core/store.js';
import { failedIn, phaseValue, type ChartPhase } from './series.js';
import type { ColumnSpec } from './table-layout.js';
import { fmtMsShort } from './text.js';

/** The table's columns. */
export type TableKey =
  'sel' | 'state' | 'host' | 'addr' | 'dns' | 'tcp' | 'proxy' | 'tls' | 'ttfb' | 'loss' | 'cert' | 'http' | 'error';

/** How a target is doing: written as OK / WARN / FAIL / wait, coloured when colour is on. */
export type Health = 'ok' | 'warn' | 'fail' | 'wait';

/** A row of the table. `cells.host` is the id; the table marks the push target and shortens it. */
export interface EndpointRow {
  id: string;
  pushTarget: boolean;
  health: Health;
  cells: Record<Exclude<TableKey, 'sel'>, string>;
}

/** Days of certificate validity below which a target is WARN. */
export const CERT_WARN_DAYS = 14;

/** Columns in display order; the least important (largest priority) go first when narrow. */
export const TABLE_COLUMNS: readonly ColumnSpec<TableKey>[] = [
  { key: 'sel', title: '', width: 1, priority: 0, align: 'left' },
  { key: 'state', title: 'st', width: 4, priority: 0, align: 'left' },
  { key: 'host', title: 'endpoint (*push)', width: 18, want: 22, max: 30, priority: 0, align: 'left' },
  { key: 'addr', title: 'address', width: 15, max: 24, priority: 6, align: 'left' },
  { key: 'dns', title: 'dns l/p95', width: 9, priority: 2, align: 'right' },
  { key: 'tcp', title: 'tcp l/p95', width: 9, priority: 2, align: 'right' },
  { key: 'proxy', title: 'prx l/p95', width: 9, priority: 3, align: 'right' },
  { key: 'tls', title: 'tls l/p95', width: 9, priority: 2, align: 'right' },
  { key: 'ttfb', title: 'ttfb l/p95', width: 10, priority: 2, align: 'right' },
  { key: 'loss', title: 'loss', width: 4, priority: 3, align: 'right' },
  { key: 'cert', title: 'tls/cert', width: 8, priority: 4, align: 'left' },
  { key: 'http', title: 'http', width: 4, priority: 5, align: 'right' },
  { key: 'error', title: 'error', width: 8, want: 14, max: 40, priority: 1, align: 'left' },
];

/**
 * The columns for these rows: the host column wants the longest host (22 at least, 30 at
 * most); the proxy column is there only when some round went through a proxy.
 */
export function columnsFor(rows: readonly EndpointRow[]): ColumnSpec<TableKey>[] {
  const longest = Math.max(0, ...rows.map((r) => r.cells.host.length + 1));
  const proxied = rows.some((r) => r.cells.proxy);
  return TABLE_COLUMNS.filter((c) => c.key !== 'proxy' || proxied).map((c) =>
    c.key === 'host' ? { ...c, want: Math.min(c.max ?? 30, Math.max(c.want ?? 0, longest)) } : c,
  );
}

const PHASE_KEYS: ReadonlyArray<[Extract<TableKey, 'dns' | 'tcp' | 'proxy' | 'tls' | 'ttfb'>, ChartPhase]> = [
  ['dns', 'dns'],
  ['tcp', 'connect'],
  ['proxy', 'proxy'],
  ['tls', 'tls'],
  ['ttfb', 'ttfb'],
];

/** Rows for every target, in the order the session lists them. */
export function endpointRows(snapshot: Pick<StoreSnapshot, 'targets'>): EndpointRow[] {
  return [...snapshot.targets.values()].map(endpointRow);
}

const rowCache = new WeakMap<TargetSnapshot, EndpointRow>();

/** The row of one target (cached per target snapshot: unchanged targets keep their row object). */
export function endpointRow(t: TargetSnapshot): EndpointRow {
  let row = rowCache.get(t);
  if (!row) {
    row = computeRow(t);
    rowCache.set(t, row);
  }
  return row;
}

function computeRow(t: TargetSnapshot): EndpointRow {
  const last = t.last;
  const lossPct = t.lossPct;
  const tls = t.lastTls;
  const cells: EndpointRow['cells'] = {
    state: '',
    host: t.info.id,
    addr: addressCell(t),
    dns: '',
    tcp: '',
    proxy: '',
    tls: '',
    ttfb: '',
    loss: last ? fmtPct(lossPct) : '',
    cert: tls ? certCell(tls.protocol, tls.daysLeft, Boolean(tls.interception)) : '',
    http: last?.details.http?.status !== undefined ? String(last.details.http.status) : last ? '-' : '',
    error: last?.error?.code ?? '',
  };
  const sample = t.history[t.history.length - 1];
  for (const [key, phase] of PHASE_KEYS) {
    if (!last || !sample || (key === 'proxy' && !last.details.proxy)) continue;
    const value =
      key === 'dns' && last.details.pinned
        ? 'pin'
        : failedIn(sample, phase)
          ? '×'
          : fmtMsShort(phaseValue(sample, phase));
    cells[key] = `${value}/${fmtMsShort(t.figures[phase]?.p95)}`;
  }
  const health = healthOf(t);
  cells.state = health === 'wait' ? 'wait' : health.toUpperCase();
  if (health === 'warn' && !cells.error) cells.error = warnReason(t);
  return { id: t.info.id, pushTarget: Boolean(t.info.pushTarget), health, cells };
}

/**
 * FAIL when the last round failed; WARN on loss or registry errors in the window, interception
 * or a certificate near expiry.
 */
export function healthOf(t: TargetSnapshot): Health {
  if (!t.last) return 'wait';
  if (!t.last.ok) return 'fail';
  if (t.lossPct > 0 || t.errorPct > 0 || t.lastTls?.interception || (t.lastTls?.daysLeft ?? Infinity) < CERT_WARN_DAYS)
    return 'warn';
  return 'ok';
}

function warnReason(t: TargetSnapshot): string {
  if (t.lastTls?.interception) return `issuer ${t.lastTls.interception}`;
  if ((t.lastTls?.daysLeft ?? Infinity) < CERT_WARN_DAYS) return `cert ${t.lastTls?.daysLeft}d left`;
  // A 503 was an answer: it is counted as an error, not as loss.
  if (t.lossPct > 0) return `${fmtPct(t.lossPct)} lost`;
  return `${fmtPct(t.errorPct)} errors`;
}

function fmtPct(pct: number): string {
  if (pct === 0) return '0%';
  return pct < 1 ? '<1%' : `${Math.round(pct)}%`;
}

/** `1.3 89d`: TLS version and days left on the certificate; `1.3 MITM` when interception is suspected. */
function certCell(protocol: string | undefined, daysLeft: number | undefined, intercepted: boolean): string {
  const version = protocol?.replace(/^TLSv/, '') ?? '?';
  if (intercepted) return `${version} MITM`;
  return daysLeft === undefined ? version : `${version} ${Math.floor(daysLeft)}d`;
}

/** `142.250.1.82 +1 v6:2`: the first IPv4 address, how many more, how many IPv6 (`!` when IPv6 did not connect). */
function addressCell(t: TargetSnapshot): string {
  const d = t.last?.details;
  if (!d) return '';
  if (d.pinned) return `${d.address ?? '?'} pin`;
  if (d.proxy) return `proxy ${d.address ?? '?'}`;
  // The round's own lookup comes first (the system resolver, or the one it was told to ask).
  const system = d.dns?.[0];
  if (!system?.ok) return '-';
  const v4 = system.v4.length ? `${system.v4[0]}${system.v4.length > 1 ? ` +${system.v4.length - 1}` : ''}` : 'no v4';
  const v6Failed = d.tcp?.some((a) => a.family === 6 && !a.ok);
  return system.v6.length ? `${v4} v6:${system.v6.length}${v6Failed ? '!' : ''}` : v4;
}

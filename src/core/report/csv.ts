/**
 * The CSV report: one row per probe round, written as the log is read (nothing is kept).
 * Columns are stable; times in ms; empty cells where a round did not reach a phase.
 */
import type { ProbeEvent } from '../events.js';

/** The header row. */
export const PROBE_CSV_COLUMNS = [
  't',
  'target',
  'round',
  'ok',
  'dns_ms',
  'connect_ms',
  'tls_ms',
  'ttfb_ms',
  'transfer_ms',
  'total_ms',
  'http_status',
  'error_code',
  'error_category',
  'error_phase',
  'address',
  'family',
  'tls_protocol',
  'interception',
  'error_message',
] as const;

/** Quote a cell when it holds a comma, a quote or a line break (RFC 4180). */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The header line (without line break). */
export function probeCsvHeader(): string {
  return PROBE_CSV_COLUMNS.join(',');
}

/** One probe as a CSV line (without line break). */
export function probeCsvRow(e: ProbeEvent): string {
  const p = e.phases;
  return [
    e.t,
    e.target,
    e.round,
    e.ok,
    p.dns,
    p.connect,
    p.tls,
    p.ttfb,
    p.transfer,
    p.total ?? e.ms,
    e.details.http?.status,
    e.error?.code,
    e.error?.category,
    e.error?.phase,
    e.details.address,
    e.details.family,
    e.details.tls?.protocol,
    e.details.tls?.interception,
    e.error?.message,
  ]
    .map(csvCell)
    .join(',');
}

/**
 * Plain text of the credential checks: one line per `auth` event (or per group of docker
 * checks that found the same credential for several hosts), and the verdict line of the end
 * summary. Pure functions; only identities, kinds, sources, expiry times and fingerprints are
 * shown (the events carry nothing else).
 */
import { formatCountdown } from '../core/auth/expiry.js';
import { isWarning } from '../core/auth/verdict.js';
import type { AuthEvent, CredentialVerdict } from '../core/events.js';
import { fmtClock } from './format.js';

const VIEW_WIDTH = 8;

/** One plain line for an `auth` event; `now` (epoch ms) gives the expiry countdown. */
export function formatAuthLine(e: AuthEvent, now: number = Date.parse(e.t)): string {
  const parts: string[] = [];
  const subject = e.view === 'registry' && e.repository ? `${e.host}/${e.repository}` : e.host;
  if (subject) parts.push(subject);
  if (e.source) parts.push(e.source);
  if (e.kind) parts.push(e.kind);
  if (e.identity) parts.push(e.identity);
  if (e.expiresAt) {
    const left = Date.parse(e.expiresAt) - now;
    parts.push(
      left > 0
        ? `expires in ${formatCountdown(left)} (${fmtClock(e.expiresAt).slice(0, 8)})`
        : `expired ${formatCountdown(left)} ago`,
    );
  }
  if (e.canPush !== undefined) parts.push(e.canPush ? 'may push' : 'may NOT push');
  if (e.skewSeconds !== undefined) parts.push(`clock skew ${e.skewSeconds > 0 ? '+' : ''}${e.skewSeconds}s`);
  if (e.helper)
    parts.push(`${e.helper.name} ${e.helper.ms !== undefined ? `${Math.round(e.helper.ms)}ms` : ''}`.trim());
  if (e.fingerprint) parts.push(`fp ${e.fingerprint}`);
  const verdict = e.ok
    ? 'ok'
    : `${isWarning(e) ? 'WARN' : 'FAIL'} ${e.error?.code ?? 'unknown'}: ${e.error?.message ?? ''}`;
  const note = e.note ? `  [${e.note}]` : '';
  return `${fmtClock(e.t)}  auth ${e.view.padEnd(VIEW_WIDTH)} ${parts.join('  ')}  ${verdict}${note}`;
}

/** The verdict line of the end summary. */
export function formatCredentialVerdict(v: CredentialVerdict): string {
  const label = { ok: 'ok', warning: 'WARNING', failing: 'FAILING', unknown: 'unknown' }[v.state];
  return `credentials: ${label}: ${v.summary}`;
}

/**
 * What makes two docker checks the same story told of two hosts: the same credential (source,
 * kind, identity, expiry, fingerprint, helper) with the same outcome. Messages name their
 * host and count down the seconds left, checked a moment apart: host and numbers are taken
 * out before they are compared. Undefined for any other check.
 */
export function authGroupKey(e: AuthEvent): string | undefined {
  if (e.view !== 'docker' || !e.host) return undefined;
  const generic = (text: string | undefined) => text?.split(e.host!).join('\u0000').replace(/\d+/g, '#');
  return JSON.stringify([
    e.source,
    e.kind,
    e.identity,
    e.expiresAt,
    e.fingerprint,
    e.helper?.name,
    e.canPush,
    e.ok,
    e.error?.code,
    generic(e.error?.message),
    generic(e.note),
  ]);
}

/**
 * One line for docker checks of several hosts that share a key (`authGroupKey`): the hosts
 * listed once, the credential's facts and the warning said once ("for each host" where a
 * message named one). A group of one is `formatAuthLine`'s line.
 */
export function formatAuthGroupLine(group: readonly AuthEvent[], now?: number): string {
  const first = group[0]!;
  if (group.length < 2) return formatAuthLine(first, now);
  const each = (text: string) => text.split(first.host!).join('each host');
  const merged: AuthEvent = {
    ...first,
    host: `${group.length} hosts (${group.map((e) => e.host).join(', ')})`,
    ...(first.error ? { error: { ...first.error, message: each(first.error.message) } } : {}),
    ...(first.note ? { note: each(first.note) } : {}),
  };
  // Helper times differ per host: the slowest is the one worth knowing.
  const slowest = Math.max(...group.map((e) => e.helper?.ms ?? 0));
  if (first.helper) merged.helper = { name: first.helper.name, ...(slowest ? { ms: slowest } : {}) };
  return formatAuthLine(merged, now);
}

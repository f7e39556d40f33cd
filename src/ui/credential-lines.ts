/**
 * The credential panel's lines: per credential check (docker's view, Google's, the
 * registry's), its state in a word that cannot contradict itself (valid, expiring, expired,
 * refreshed, missing, failing), then expiry, push permission and whose it is; then the
 * diagnosis's credential findings. A missing credential for the push target is a warning
 * with the command that fixes it, never "ok".
 */
import { loginCommand } from '../core/auth/docker-view.js';
import { isWarning } from '../core/auth/verdict.js';
import type { AuthEvent, DiagnosisEvent, SessionEvent } from '../core/events.js';
import { fmtElapsed } from './text.js';
import type { PanelLine } from './panel-line.js';
import type { Tone } from './theme.js';

/** What a credential's latest check says, in one word. */
export type CredentialState =
  'valid' | 'expiring' | 'expired' | 'refreshed' | 'missing' | 'warning' | 'failing' | 'note';

/** A credential line with its state. */
export interface CredentialLine extends PanelLine {
  state: CredentialState;
}

/** Less time left than this is "expiring". */
export const EXPIRING_MS = 5 * 60_000;
/** A new token is shown as "refreshed" for this long. */
export const REFRESHED_SHOWN_MS = 60_000;

/** What the panel needs to know about the session. */
export interface CredentialContext {
  now: number;
  /** The push target's host, if there is one. */
  pushHost?: string;
  /** Earlier checks (the store's marker events), to tell a refreshed token. */
  history?: readonly SessionEvent[];
}

/** Lines for `checks` (latest per view and host) and `findings`. */
export function credentialLines(
  checks: readonly AuthEvent[],
  findings: readonly DiagnosisEvent[],
  ctx: CredentialContext,
): CredentialLine[] {
  const refreshedAt = refreshTimes(ctx.history ?? []);
  const lines = groupHosts(checks.map((a) => ({ check: a, line: checkLine(a, ctx, refreshedAt.get(keyOf(a))) })));
  for (const f of findings)
    lines.push({
      text: `! ${f.summary}${f.advice ? ` - ${f.advice}` : ''}`,
      tone: f.confidence === 'low' ? 'warn' : 'fail',
      state: f.confidence === 'low' ? 'warning' : 'failing',
    });
  return lines;
}

/**
 * One line for the hosts whose check says the same thing (docker has no credential for any of
 * the seven default hosts: one line naming them, not seven alike).
 */
function groupHosts(items: Array<{ check: AuthEvent; line: CredentialLine }>): CredentialLine[] {
  const groups = new Map<string, { hosts: string[]; line: CredentialLine; view: string }>();
  for (const { check, line } of items) {
    const prefix = `${check.view} ${check.host ?? ''}: `;
    const words =
      check.host && check.view !== 'registry' && line.text.startsWith(prefix)
        ? line.text.slice(prefix.length)
        : undefined;
    const key =
      words === undefined ? `\0${groups.size}` : `${check.view}\0${line.state}\0${line.tone}\0${steadyWords(words)}`;
    const group = groups.get(key);
    if (group && words !== undefined) group.hosts.push(check.host!);
    else groups.set(key, { hosts: check.host ? [check.host] : [], line, view: check.view });
  }
  return [...groups.values()].map(({ hosts, line, view }) => {
    if (hosts.length < 2) return line;
    const words = line.text.slice(line.text.indexOf(': ') + 2);
    const named = hosts.length > 3 ? `${hosts.slice(0, 2).join(', ')} +${hosts.length - 2}` : hosts.join(', ');
    return { ...line, text: `${view} ${named}: ${words}` };
  });
}

/**
 * The words without what differs between hosts checked a moment apart (countdowns, clock
 * times, a helper's milliseconds): one credential for seven hosts says the same thing.
 */
function steadyWords(words: string): string {
  return words.replace(/\b\d+[hms](\d+[ms])*\b|\b\d\d:\d\d(:\d\d)?\b|\b\d+ms\b/g, '#');
}

function keyOf(a: AuthEvent): string {
  return `${a.view}:${a.host ?? ''}`;
}

/** When each credential last changed token (its fingerprint changed between two good checks). */
function refreshTimes(events: readonly SessionEvent[]): Map<string, number> {
  const last = new Map<string, AuthEvent>();
  const at = new Map<string, number>();
  for (const e of events) {
    if (e.type !== 'auth') continue;
    const prev = last.get(keyOf(e));
    if (e.ok && prev?.ok && e.fingerprint && prev.fingerprint && e.fingerprint !== prev.fingerprint)
      at.set(keyOf(e), Date.parse(e.t));
    last.set(keyOf(e), e);
  }
  return at;
}

/** State first (it decides the colour), then expiry, permission and who, so a narrow panel keeps what matters. */
function checkLine(a: AuthEvent, ctx: CredentialContext, refreshedAt: number | undefined): CredentialLine {
  const subject = `${a.view}${a.view === 'registry' && a.repository ? ` ${a.host}/${a.repository}` : a.host ? ` ${a.host}` : ''}`;
  const expires = a.expiresAt ? Date.parse(a.expiresAt) : NaN;
  const { state, words } = stateOf(a, ctx, expires, refreshedAt);
  const parts = [`${subject}: ${words}`];
  if (a.ok && Number.isFinite(expires) && expires > ctx.now) parts.push(`${fmtElapsed(expires - ctx.now)} left`);
  if (a.canPush !== undefined) parts.push(a.canPush ? 'push: yes' : 'push: NO');
  const kind = a.kind && a.kind !== 'none' ? `(${a.kind})` : '';
  if (a.identity || kind) parts.push([a.identity, kind].filter(Boolean).join(' '));
  if (a.helper)
    parts.push(`helper ${a.helper.name}${a.helper.ms !== undefined ? ` ${Math.round(a.helper.ms)}ms` : ''}`);
  if (a.skewSeconds !== undefined && Math.abs(a.skewSeconds) >= 1)
    parts.push(`clock skew ${Math.round(a.skewSeconds)}s`);
  if (a.source && state !== 'missing') parts.push(`via ${a.source}`);
  const tone: Tone = a.canPush === false ? 'fail' : TONE[state];
  return { text: parts.join(', '), tone, state };
}

const TONE: Record<CredentialState, Tone> = {
  valid: 'ok',
  refreshed: 'ok',
  expiring: 'warn',
  expired: 'fail',
  missing: 'warn',
  warning: 'warn',
  failing: 'fail',
  note: 'dim',
};

function stateOf(
  a: AuthEvent,
  ctx: CredentialContext,
  expires: number,
  refreshedAt: number | undefined,
): { state: CredentialState; words: string } {
  const forPush = a.view === 'docker' && a.host !== undefined && a.host === ctx.pushHost;
  const code = a.error?.code;
  if (code === 'auth.no_credentials' || code === 'auth.wrong_host' || (forPush && a.kind === 'none'))
    return {
      state: 'missing',
      words: `no credential for the push target: run ${loginCommand(a.host ?? '')}`,
    };
  if (!a.ok)
    return isWarning(a)
      ? { state: 'warning', words: `WARN ${code} - ${a.error?.message ?? ''}` }
      : { state: 'failing', words: `FAIL ${code ?? ''}${a.error?.message ? ` - ${a.error.message}` : ''}` };
  if (a.kind === 'none') return { state: 'note', words: a.note ?? 'no credential' };
  if (Number.isFinite(expires) && expires <= ctx.now) {
    // The registry's bearer tokens live minutes and are fetched again per push: an expired one
    // is normal between checks. Any other expired credential makes pushes fail.
    return a.view === 'registry'
      ? { state: 'note', words: `token expired ${fmtElapsed(ctx.now - expires)} ago, a new one is fetched per push` }
      : { state: 'expired', words: `EXPIRED ${fmtElapsed(ctx.now - expires)} ago` };
  }
  if (Number.isFinite(expires) && expires - ctx.now < EXPIRING_MS && a.view !== 'registry')
    return { state: 'expiring', words: 'valid, expiring soon' };
  if (refreshedAt !== undefined && ctx.now - refreshedAt < REFRESHED_SHOWN_MS)
    return { state: 'refreshed', words: `refreshed ${fmtElapsed(ctx.now - refreshedAt)} ago` };
  return { state: 'valid', words: 'valid' };
}

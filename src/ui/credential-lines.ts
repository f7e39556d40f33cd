/**
 * The credential panel's lines: per credential check (docker's view, Google's, the
 * registry's), its source, identity, expiry countdown and push permission; then the
 * diagnosis's credential findings.
 */
import { isWarning } from '../core/auth/verdict.js';
import type { AuthEvent, DiagnosisEvent } from '../core/events.js';
import { fmtCountdown } from './text.js';
import type { Tone } from './theme.js';

/** A panel line. */
export interface PanelLine {
  text: string;
  tone: Tone;
}

/** Lines for `checks` (latest per view and host) and `findings` at time `now`. */
export function credentialLines(
  checks: readonly AuthEvent[],
  findings: readonly DiagnosisEvent[],
  now: number,
): PanelLine[] {
  const lines = checks.map((a) => checkLine(a, now));
  for (const f of findings)
    lines.push({
      text: `! ${f.summary}${f.advice ? ` - ${f.advice}` : ''}`,
      tone: f.confidence === 'low' ? 'warn' : 'fail',
    });
  return lines;
}

/** Most telling first (state, expiry, permission, who), so a narrow panel keeps what matters. */
function checkLine(a: AuthEvent, now: number): PanelLine {
  const subject = a.view === 'registry' && a.repository ? `${a.host}/${a.repository}` : a.host;
  const warning = isWarning(a);
  const parts: string[] = [
    `${a.view}${subject ? ` ${subject}` : ''}:`,
    a.ok ? 'ok' : `${warning ? 'WARN' : 'FAIL'} ${a.error?.code ?? ''}`.trim(),
  ];
  const expires = a.expiresAt ? Date.parse(a.expiresAt) : NaN;
  if (Number.isFinite(expires))
    parts.push(expires > now ? `expires ${fmtCountdown(expires, now)}` : fmtCountdown(expires, now));
  if (a.canPush !== undefined) parts.push(a.canPush ? 'push: yes' : 'push: NO');
  if (a.identity) parts.push(a.identity);
  if (a.kind) parts.push(a.kind);
  if (a.helper)
    parts.push(`helper ${a.helper.name}${a.helper.ms !== undefined ? ` ${Math.round(a.helper.ms)}ms` : ''}`);
  if (a.skewSeconds !== undefined && Math.abs(a.skewSeconds) >= 1)
    parts.push(`clock skew ${Math.round(a.skewSeconds)}s`);
  if (a.source) parts.push(`(${a.source})`);
  if (a.note) parts.push(`- ${a.note}`);
  const soon = Number.isFinite(expires) && expires - now < 5 * 60_000;
  const tone = (!a.ok && !warning) || a.canPush === false || expires <= now ? 'fail' : warning || soon ? 'warn' : 'ok';
  return { text: parts.join(' '), tone };
}

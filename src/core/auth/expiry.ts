/**
 * Time left on a token, judged against what it has to last for: expired, about to expire
 * (under 10 minutes, or before the running push is likely to finish), or a token nothing
 * will refresh. Pure functions of the times given; no clock is read here.
 */
import { failure, type ProbeErrorInfo } from '../errors.js';

/** Warn when less than this is left (the floor when no push estimate exists). */
export const SHORT_LIVED_MS = 10 * 60_000;

/** What the token has to last for. */
export interface ExpiryContext {
  now: number;
  /** Estimated time until the running push finishes, when one is running and measurable. */
  pushRemainingMs?: number;
  /** Nothing refreshes this token (an access token pasted at `docker login`). */
  neverRefreshed?: boolean;
  /** How to name the token in messages, e.g. `docker's access token for gcr.io`. */
  label: string;
}

/** `1h02m`, `9m05s`, `42s` (negative values are shown as their absolute value). */
export function formatCountdown(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/** The finding for a token expiring at `expiresAt` (epoch ms), or undefined when it will last. */
export function judgeExpiry(expiresAt: number, ctx: ExpiryContext): ProbeErrorInfo | undefined {
  const left = expiresAt - ctx.now;
  const at = new Date(expiresAt).toISOString();
  if (left <= 0)
    return failure('auth.token_expired', `${ctx.label} expired ${formatCountdown(left)} ago (at ${at})`, 'auth');
  if (ctx.pushRemainingMs !== undefined && left < ctx.pushRemainingMs) {
    return failure(
      'auth.short_lived',
      `${ctx.label} expires in ${formatCountdown(left)}, before the running push is likely to finish (about ${formatCountdown(ctx.pushRemainingMs)} left)`,
      'auth',
    );
  }
  if (left < SHORT_LIVED_MS)
    return failure('auth.short_lived', `${ctx.label} expires in ${formatCountdown(left)} (at ${at})`, 'auth');
  if (ctx.neverRefreshed) {
    return failure(
      'auth.short_lived',
      `${ctx.label} is an access token pasted at docker login: it expires in ${formatCountdown(left)} and nothing refreshes it (use a credential helper: gcloud auth configure-docker)`,
      'auth',
    );
  }
  return undefined;
}

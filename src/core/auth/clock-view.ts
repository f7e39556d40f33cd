/**
 * Clock skew between this machine and a registry, from the registry's `Date` header. Tokens
 * carry `nbf`/`exp` times, so a clock minutes off makes fresh tokens look not yet valid or
 * already expired. The header has one-second resolution; the request's round trip is taken
 * into account by comparing with the midpoint of the request on this machine's clock.
 */
import { failure } from '../errors.js';
import type { HttpAnswer } from './registry-http.js';
import type { AuthInput } from './types.js';

/** Skew at or above this many seconds is a finding (token validation allows about a minute). */
export const CLOCK_SKEW_LIMIT_S = 60;

/** The clock check on an answer from `host`. Undefined when the answer has no usable Date. */
export function checkClock(host: string, answer: HttpAnswer | undefined): AuthInput | undefined {
  const date = answer?.headers.date ? Date.parse(answer.headers.date) : NaN;
  if (!answer || !Number.isFinite(date)) return undefined;
  const localMid = (answer.sentAt + answer.receivedAt) / 2;
  // The header truncates to whole seconds: compare with the middle of that second.
  const skewSeconds = Math.round((date + 500 - localMid) / 1000);
  const e: AuthInput = { type: 'auth', view: 'clock', host, skewSeconds, ok: true };
  if (Math.abs(skewSeconds) < CLOCK_SKEW_LIMIT_S) return e;
  const direction = skewSeconds > 0 ? 'behind' : 'ahead of';
  return {
    ...e,
    ok: false,
    error: failure(
      'auth.clock_skew',
      `this machine's clock is ${Math.abs(skewSeconds)} s ${direction} ${host}'s (Date: ${answer.headers.date}): tokens may be rejected as not yet valid or expired; sync the clock (timedatectl set-ntp true)`,
      'auth',
    ),
  };
}

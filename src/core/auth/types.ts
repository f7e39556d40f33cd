/** Shapes shared by the credential checks (one check per file in this folder). */
import type { AuthEvent } from '../events.js';

/** An `auth` event before the bus stamps it. */
export type AuthInput = Omit<AuthEvent, 'v' | 't'>;

/** Round a duration in ms to 0.1 ms, as the probes report them. */
export function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/**
 * Runs one probe phase with the shared bookkeeping: a monotonic duration, the round's
 * deadline, and classification of any failure onto the closed error set.
 */
import { performance } from 'node:perf_hooks';
import { classifyPhaseError } from '../classify.js';
import type { FailurePhase, ProbeErrorInfo } from '../errors.js';

/** A phase's result: the value and its duration, or the classified failure and its duration. */
export type PhaseOutcome<T> =
  { ok: true; ms: number; value: T } | { ok: false; ms: number; error: ProbeErrorInfo; cause?: unknown };

/** Milliseconds since `start` (from `performance.now()`), rounded to microseconds. */
export function elapsedSince(start: number): number {
  return Math.round((performance.now() - start) * 1000) / 1000;
}

/**
 * Run `fn` as `phase`, racing it against `signal`. Never throws: failures come back as
 * `{ ok: false }` with a code from the closed set. A probe that already produced a
 * `ProbeErrorInfo` (for example a TLS verification failure) may throw it wrapped in
 * `PhaseFailure` to keep its precise code.
 */
export async function runPhase<T>(
  phase: FailurePhase,
  signal: AbortSignal,
  fn: () => Promise<T>,
): Promise<PhaseOutcome<T>> {
  const start = performance.now();
  try {
    const value = await raceAbort(fn(), signal);
    return { ok: true, ms: elapsedSince(start), value };
  } catch (err) {
    const error = err instanceof PhaseFailure ? err.info : classifyPhaseError(phase, err);
    return { ok: false, ms: elapsedSince(start), error, cause: err };
  }
}

/**
 * A probe's value with the duration it measured itself, from the moment its network wait
 * began (a connect attempt) rather than from the start of the phase.
 */
export class Measured<T> {
  constructor(
    readonly value: T,
    readonly ms: number,
  ) {}
}

/** `runPhase` for a probe that measures itself: a success takes the probe's own duration. */
export async function runMeasuredPhase<T>(
  phase: FailurePhase,
  signal: AbortSignal,
  fn: () => Promise<Measured<T>>,
): Promise<PhaseOutcome<T>> {
  const outcome = await runPhase(phase, signal, fn);
  if (!outcome.ok) return outcome;
  return { ok: true, ms: Math.round(outcome.value.ms * 1000) / 1000, value: outcome.value.value };
}

/** Thrown by a probe that has already classified its failure precisely. */
export class PhaseFailure extends Error {
  constructor(
    readonly info: ProbeErrorInfo,
    readonly detail?: unknown,
  ) {
    super(info.message);
    this.name = 'PhaseFailure';
  }
}

/** Reject as soon as `signal` aborts, whatever `promise` does. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

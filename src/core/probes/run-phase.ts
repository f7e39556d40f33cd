/**
 * Runs one phase of a round with the bookkeeping every phase shares: its duration on the
 * context's clock, cancellation by the context's signal, and the classification of any
 * failure onto the closed error set. A phase body starts its work, ends it through `end`,
 * and returns what undoes it (destroy the socket, cancel the queries, clear the timer).
 */
import { classifyPhaseError } from '../classify.js';
import { failure, type FailurePhase, type ProbeErrorInfo } from '../errors.js';
import type { PhaseContext, PhaseResult } from './types.js';

/** How a phase body ends its phase; the first call wins, later ones are ignored. */
export interface PhaseEnd<T, P> {
  /** Success; `ms` when the phase measured itself (from its own network wait, not its set-up). */
  ok(value: T, ms?: number): void;
  /** Failure: `err` as thrown (a `PhaseFailure` keeps its precise code), and what was learnt. */
  fail(err: unknown, partial?: P): void;
  /** True once the phase has ended (by the body, or by the signal). */
  ended(): boolean;
}

/** A phase body: starts the work and returns what releases it when the signal aborts first. */
export type PhaseBody<T, P> = (end: PhaseEnd<T, P>) => (() => void) | void;

/** Milliseconds rounded to microseconds. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/**
 * Run `body` as `phase` of the round `ctx` belongs to. Never rejects. When the signal aborts
 * first, the body's release runs at once and the phase ends with `<phase>.timeout` (the
 * deadline) or `local.aborted` (the session stopping), and whatever the body still reports
 * is ignored.
 */
export function runPhase<T, P = never>(
  ctx: PhaseContext,
  phase: FailurePhase,
  body: PhaseBody<T, P>,
): Promise<PhaseResult<T, P>> {
  return new Promise((resolve) => {
    const { signal, clock } = ctx;
    const start = clock.now();
    let ended = false;
    let release: (() => void) | void;
    const finish = (result: PhaseResult<T, P>): boolean => {
      if (ended) return false;
      ended = true;
      signal.removeEventListener('abort', onAbort);
      resolve(result);
      return true;
    };
    const onAbort = () => {
      const error = abortInfo(phase, signal.reason);
      if (finish({ ok: false, ms: roundMs(clock.now() - start), error })) release?.();
    };
    // Methods that do not use `this`: a body may hand `end.fail` on as a callback.
    const end: PhaseEnd<T, P> = {
      ok(value, ms) {
        finish({ ok: true, ms: roundMs(ms ?? clock.now() - start), value });
      },
      fail(err, partial) {
        const error = err instanceof PhaseFailure ? err.info : classifyPhaseError(phase, err);
        const ms = roundMs(clock.now() - start);
        finish(partial === undefined ? { ok: false, ms, error } : { ok: false, ms, error, partial });
      },
      ended: () => ended,
    };
    if (signal.aborted) return void onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      release = body(end);
    } catch (err) {
      end.fail(err);
    }
  });
}

/** The code of a phase cut short: the deadline is the phase's timeout, anything else a cancellation. */
export function abortInfo(phase: FailurePhase, reason: unknown): ProbeErrorInfo {
  if ((reason as { name?: unknown } | undefined)?.name === 'TimeoutError') return classifyPhaseError(phase, reason);
  return failure('local.aborted', `the ${phase} phase was cancelled: ${describe(reason)}`, phase);
}

function describe(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

/** Thrown (or passed to `fail`) by a phase that has already classified its failure precisely. */
export class PhaseFailure extends Error {
  constructor(
    readonly info: ProbeErrorInfo,
    readonly detail?: unknown,
  ) {
    super(info.message);
    this.name = 'PhaseFailure';
  }
}

/** A context for one phase run outside a round (tests, doctor): `timeoutMs` from now. */
export function phaseContext(
  target: PhaseContext['target'],
  timeoutMs: number,
  clock: PhaseContext['clock'],
  signal: AbortSignal = AbortSignal.timeout(timeoutMs),
): PhaseContext {
  return { target, deadline: clock.now() + timeoutMs, signal, clock };
}

/**
 * Correlates the push's failed attempts (each `push.retry`, and each network error the push
 * tool printed) with the probes of the push target around the same moment. An attempt is
 * judged once the probes after it have had time to arrive (`facts.coincidenceMs()` after
 * it, or at the end of the session): 'network' when a probe within that window failed on
 * the network or showed a latency spike, 'registry' when the registry answered 5xx/429,
 * 'healthy' when every probe in the window was fine, 'unknown' with no probe to compare.
 */
import { ERROR_CODES, isErrorCode } from '../errors.js';
import type { PhaseName, SessionEvent } from '../events.js';
import { quantile } from '../stats/quantile.js';
import { Ring } from '../stats/ring.js';
import { clock, quote } from './format-evidence.js';
import type { ProbeSample, SessionFacts } from './facts.js';

/** A failed attempt of the push. */
export interface FailedAttempt {
  t: number;
  source: 'retry' | 'error';
  layer?: string;
  attempt?: number;
  /** The daemon's or the tool's words for why it failed. */
  cause?: string;
  causeCode?: string;
}

/** What the probes showed around a failed attempt. */
export type AttemptVerdict = 'network' | 'registry' | 'healthy' | 'unknown';

/** A failed attempt with its verdict and the probe that decided it. */
export interface JudgedAttempt extends FailedAttempt {
  verdict: AttemptVerdict;
  target?: string;
  /** The failing or slow phase ('dns', 'connect', 'tls', 'http', 'ttfb'). */
  phase?: string;
  code?: string;
  /** Why, in a few words: "tls.timeout" or "TLS 1500 ms against a median of 30 ms". */
  detail?: string;
  probeAt?: number;
}

const KEEP = 64;
const SPIKE_PHASES: PhaseName[] = ['dns', 'connect', 'tls', 'ttfb'];
const MIN_BASELINE = 5;
const SPIKE_FLOOR_MS = 1000;

/** Judges failed attempts against the probes; bounded to the last 64 of each. */
export class AttemptCorrelator {
  private readonly pending: FailedAttempt[] = [];
  readonly judged = new Ring<JudgedAttempt>(KEEP);
  readonly counts: Record<AttemptVerdict, number> = { network: 0, registry: 0, healthy: 0, unknown: 0 };

  /** Fold an event; returns true when an attempt was judged. */
  observe(event: SessionEvent, facts: SessionFacts): boolean {
    const attempt = attemptOf(event, facts.now);
    if (attempt) {
      if (this.pending.length >= KEEP) this.pending.shift();
      this.pending.push(attempt);
    }
    const due = event.type === 'session.end' ? Infinity : facts.now - facts.coincidenceMs();
    return this.settle(facts, due);
  }

  /** Judge every attempt still waiting (the log ended). */
  finish(facts: SessionFacts): boolean {
    return this.settle(facts, Infinity);
  }

  /** Total attempts judged. */
  get total(): number {
    return this.counts.network + this.counts.registry + this.counts.healthy + this.counts.unknown;
  }

  /** Judged attempts with `verdict`, oldest first. */
  withVerdict(verdict: AttemptVerdict): JudgedAttempt[] {
    return this.judged.toArray().filter((a) => a.verdict === verdict);
  }

  private settle(facts: SessionFacts, due: number): boolean {
    let changed = false;
    while (this.pending.length && this.pending[0]!.t <= due) {
      const judged = judge(this.pending.shift()!, facts);
      this.judged.push(judged);
      this.counts[judged.verdict]++;
      changed = true;
    }
    return changed;
  }
}

/**
 * The push's failed attempts that the network may explain: every retry whose cause is not
 * known to be the image's, the credential's or the registry's, and retryable network errors.
 */
function attemptOf(event: SessionEvent, t: number): FailedAttempt | undefined {
  if (event.type === 'push.retry') {
    if (event.causeCode && isErrorCode(event.causeCode) && ERROR_CODES[event.causeCode].category !== 'network')
      return undefined;
    const a: FailedAttempt = { t, source: 'retry', attempt: event.attempt };
    if (event.layer) a.layer = event.layer;
    if (event.cause) a.cause = event.cause;
    if (event.causeCode) a.causeCode = event.causeCode;
    return a;
  }
  if (event.type === 'push.error' && event.category === 'network' && event.retryable) {
    const a: FailedAttempt = { t, source: 'error', cause: event.text, causeCode: event.code };
    if (event.layer) a.layer = event.layer;
    return a;
  }
  return undefined;
}

/** Judge one attempt against the push targets' probes around it. */
export function judge(attempt: FailedAttempt, facts: SessionFacts): JudgedAttempt {
  const w = facts.coincidenceMs();
  let healthy: ProbeSample | undefined;
  let registry: JudgedAttempt | undefined;
  for (const target of facts.pushTargets()) {
    const around = facts.probesBetween(target, attempt.t - w, attempt.t + w);
    const failed = around.find((p) => !p.ok && p.category !== 'registry');
    if (failed)
      return {
        ...attempt,
        verdict: 'network',
        target,
        phase: failed.phase,
        code: failed.code,
        detail: failed.code,
        probeAt: failed.t,
      };
    const refused = around.find((p) => !p.ok && p.category === 'registry');
    if (refused)
      registry ??= {
        ...attempt,
        verdict: 'registry',
        target,
        code: refused.code,
        detail: refused.code,
        probeAt: refused.t,
      };
    const spike = findSpike(around, facts.probesOf(target));
    if (spike) return { ...attempt, verdict: 'network', target, ...spike };
    healthy ??= around.find((p) => p.ok);
  }
  if (registry) return registry;
  if (healthy) return { ...attempt, verdict: 'healthy', target: healthy.target, probeAt: healthy.t };
  return { ...attempt, verdict: 'unknown' };
}

/** A phase of a probe in `around` far above the target's usual (median) time. */
function findSpike(
  around: ProbeSample[],
  history: ProbeSample[],
): Pick<JudgedAttempt, 'phase' | 'detail' | 'probeAt'> | undefined {
  for (const phase of SPIKE_PHASES) {
    const usual = history.filter((p) => p.ok && p.phases[phase] !== undefined).map((p) => p.phases[phase]!);
    if (usual.length < MIN_BASELINE) continue;
    const median = quantile(usual, 0.5)!;
    // A second above the usual at least: a busy build host slows a round by a few hundred ms (seen
    // in the simulated world under load), while trouble that makes docker retry stalls for seconds.
    const threshold = Math.max(4 * median, median + SPIKE_FLOOR_MS);
    const slow = around.find((p) => p.ok && (p.phases[phase] ?? 0) >= threshold);
    if (slow) {
      return {
        phase,
        probeAt: slow.t,
        detail: `${phase} ${Math.round(slow.phases[phase]!)} ms against a median of ${Math.round(median)} ms`,
      };
    }
  }
  return undefined;
}

/** True when `code` is a known push cause on the network (reset, EOF, TLS handshake timeout...). */
export function isNetworkCause(code: string | undefined): boolean {
  return code !== undefined && isErrorCode(code) && ERROR_CODES[code].category === 'network';
}

/** `03:05:07Z retry 2 of layer cbb2 ("connection reset by peer")`: an attempt as evidence. */
export function describeAttempt(a: FailedAttempt): string {
  const what =
    a.source === 'retry'
      ? `retry${a.attempt ? ` ${a.attempt}` : ''}${a.layer ? ` of layer ${a.layer}` : ''}`
      : 'push error';
  return `${clock(a.t)} ${what}${a.cause ? ` (${quote(a.cause, 80)})` : ''}`;
}

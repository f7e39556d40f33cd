/** Runs one rule over events the way the engine does, and returns what it concludes. */
import type { SessionEvent } from '../../../src/core/events.js';
import { SessionFacts } from '../../../src/core/diagnose/facts.js';
import { confidenceFrom } from '../../../src/core/diagnose/confidence.js';
import type { Confidence, Finding, RuleFactory } from '../../../src/core/diagnose/types.js';
import { SessionBuilder } from '../../support/session-builder.js';

/** A rule's finding with the confidence the engine derives from its evidence. */
export type ConcludedFinding = Finding & { confidence: Confidence };

/** Feed every event of `session` to a fresh rule (finishing it at the end); its findings then. */
export function conclude(make: RuleFactory, session: SessionBuilder | SessionEvent[]): ConcludedFinding[] {
  const events = Array.isArray(session) ? session : session.build();
  const facts = new SessionFacts();
  const rule = make();
  for (const e of events) {
    facts.observe(e);
    rule.observe(e, facts);
  }
  rule.finish?.(facts);
  return rule.findings(facts).map((f) => ({ ...f, confidence: confidenceFrom(f.basis, f.coverage) }));
}

/** The one finding with `code`, or undefined. */
export function findingOf(findings: ConcludedFinding[], code: string): ConcludedFinding | undefined {
  return findings.find((f) => f.code === code);
}

/** A push to gcr.io, every probe healthy, whose retries (10 s apart) have `causes`, as the daemon's log gives them. */
export function pushWithRetryCauses(seed: number, causes: Array<string | undefined>): SessionBuilder {
  const b = new SessionBuilder(seed).start(['gcr.io'], { push: 'gcr.io' }).probeRounds(['gcr.io'], 0, 60, 2);
  b.at(3).pushStart('gcr.io/p/a:1');
  causes.forEach((c, i) => b.at(10 + 10 * i).retry('l', i + 1, c));
  return b;
}

/**
 * The contract between the diagnosis engine and its rules. A rule is a small named unit
 * that folds events into its own bounded state and, when asked, states its findings as of
 * now. Rules do no I/O and read no clock: "now" is the time of the event being folded, so
 * a session gives the same findings live, in replay and in a report.
 */
import type { SessionEvent } from '../events.js';
import type { FindingCategory, FindingCode } from './codes.js';
import type { Coverage, EvidenceBasis } from './confidence.js';
import type { SessionFacts } from './facts.js';

export type { Confidence } from './confidence.js';

/** What a rule concludes: one finding per code at most. */
export interface Finding {
  code: FindingCode;
  category: FindingCategory;
  /** One sentence a user understands. */
  summary: string;
  /** The events it rests on: times, targets, counts. Short lines, at most a dozen. */
  evidence: string[];
  /** What kind of evidence it rests on; the engine derives the confidence from it (`confidence.ts`). */
  basis: EvidenceBasis;
  /** How much of what it explains that evidence covers. */
  coverage: Coverage;
  /** The concrete next step: a command to run, a setting to change. */
  advice: string;
  /** Added to the code's weight when ranking (e.g. the push target vs another host). */
  boost?: number;
}

/** A diagnosis rule. */
export interface Rule {
  /** Kebab-case name, the same as its file. */
  readonly name: string;
  /**
   * Fold one event. `facts` has already seen it. Returns true when the rule's findings may
   * have changed, so the engine asks for them again.
   */
  observe(event: SessionEvent, facts: SessionFacts): boolean;
  /** The findings that hold now. */
  findings(facts: SessionFacts): Finding[];
  /** The log ended: conclude what waited for later events. Returns true when that changed anything. */
  finish?(facts: SessionFacts): boolean;
}

/** Builds a fresh rule (each engine gets its own state). */
export type RuleFactory = () => Rule;

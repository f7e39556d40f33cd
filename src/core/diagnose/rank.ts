/**
 * Ranking of findings: which one is "the" answer. The score of a finding is its code's
 * weight, moved by its confidence and by the boost its rule gave (the push target rather
 * than another host, the registry's own refusal rather than a hint). Findings carry their
 * score in the `diagnosis` event, so every reader (TUI header, reports, doctor) ranks the
 * same way; events without one (older logs) are scored from the code table.
 */
import type { DiagnosisEvent } from '../events.js';
import { findingWeight } from './codes.js';

const CONFIDENCE_ADJUST: Record<DiagnosisEvent['confidence'], number> = { high: 6, medium: 0, low: -15 };
/** A finding that no longer holds still explains the past, a little less than one that does. */
const CLEARED_PENALTY = 10;

type Scored = Pick<DiagnosisEvent, 'code' | 'confidence' | 'score' | 'cleared'>;

/** The score (0-100) of a finding from its code, confidence and boost. */
export function computeScore(code: string, confidence: DiagnosisEvent['confidence'], boost = 0): number {
  return Math.max(0, Math.min(100, findingWeight(code) + CONFIDENCE_ADJUST[confidence] + boost));
}

/** The score of a finding event (its own, or computed), less the penalty when cleared. */
export function scoreOf(f: Scored): number {
  return (f.score ?? computeScore(f.code, f.confidence)) - (f.cleared ? CLEARED_PENALTY : 0);
}

/** Findings best first; ties by code, so the order is stable. */
export function rankFindings<T extends Scored>(findings: Iterable<T>): T[] {
  return [...findings].sort((a, b) => scoreOf(b) - scoreOf(a) || a.code.localeCompare(b.code));
}

/**
 * Below this score a finding is a note (a certificate renewing soon, a short-lived token
 * with no push running): worth showing, not a problem that fails `doctor`.
 */
export const PROBLEM_SCORE = 40;

/** True when the finding is a problem rather than a note. */
export function isProblem(f: Scored): boolean {
  return scoreOf(f) >= PROBLEM_SCORE;
}

/** The top finding, or undefined when there is none. */
export function topFinding<T extends Scored>(findings: Iterable<T>): T | undefined {
  return rankFindings(findings)[0];
}

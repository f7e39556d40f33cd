/**
 * The verdict: the one answer every output gives (the report's headline, the dashboard's
 * header, the end of a wrapped push). It is the best-ranked finding that is a problem (not a
 * note) and still holds; a finding that no longer holds explains the past, and is listed
 * below the verdict, never made its headline. Pure.
 */
import type { DiagnosisEvent } from '../events.js';
import { isProblem, rankFindings } from './rank.js';

/** What the verdict reads of a finding: a live `diagnosis` event, or a record's latest. */
export type VerdictFinding = Pick<
  DiagnosisEvent,
  'code' | 'category' | 'summary' | 'advice' | 'confidence' | 'score' | 'cleared'
>;

/** A target that lost some probe rounds, for the words of a healthy verdict. */
export interface LossyTarget {
  id: string;
  lossPct: number;
}

/** What the session concludes. */
export interface Verdict<F extends VerdictFinding = VerdictFinding> {
  /** True when no problem holds at the end. */
  healthy: boolean;
  /** `Registry side (registry.server_errors, high confidence)`, or `No problem found`. */
  headline: string;
  /** The top finding's summary, or what a healthy session showed. */
  detail: string;
  /** The top finding's next step. */
  advice?: string;
  /** The finding the headline names. */
  top?: F;
  /** Problems that held at some time and no longer hold. */
  cleared: number;
  /** Findings that are notes, not problems. */
  notes: number;
}

/** How each category reads in a headline. */
export const CATEGORY_WORDS: Readonly<Record<string, string>> = {
  network: 'Network',
  auth: 'Credentials',
  image: 'Image',
  registry: 'Registry side',
  local: 'This machine',
  unknown: 'Cause unknown',
};

/** `Registry side (registry.server_errors, high confidence)`. */
export function findingHeadline(f: VerdictFinding): string {
  return `${CATEGORY_WORDS[f.category] ?? f.category} (${f.code}, ${f.confidence} confidence)`;
}

/**
 * `Registry side`, or `Network (low confidence)`: the headline where one line must hold the
 * finding's summary too (the dashboard's header); the code is in the finding's detail.
 */
export function findingShortHeadline(f: Pick<VerdictFinding, 'category' | 'confidence'>): string {
  const words = CATEGORY_WORDS[f.category] ?? f.category;
  return f.confidence === 'high' ? words : `${words} (${f.confidence} confidence)`;
}

/** The finding the verdict names: the best-ranked problem that still holds. */
export function headlineFinding<F extends VerdictFinding>(findings: Iterable<F>): F | undefined {
  return rankFindings(findings).find((f) => !f.cleared && isProblem(f));
}

/** The verdict over every finding of a session (cleared ones included); `lossy` words a healthy one. */
export function verdictOf<F extends VerdictFinding>(
  findings: Iterable<F>,
  lossy: readonly LossyTarget[] = [],
): Verdict<F> {
  const all = [...findings];
  const top = headlineFinding(all);
  // A cleared finding is ranked a little lower; whether it was a problem is judged as it held.
  const wasProblem = (f: F) => isProblem({ ...f, cleared: false });
  const notes = all.filter((f) => !wasProblem(f)).length;
  const cleared = all.filter((f) => f.cleared && wasProblem(f)).length;
  if (top) {
    return {
      healthy: false,
      headline: findingHeadline(top),
      detail: top.summary,
      advice: top.advice,
      top,
      cleared,
      notes,
    };
  }
  return { healthy: true, headline: 'No problem found', detail: healthyDetail(lossy, cleared, notes), cleared, notes };
}

function healthyDetail(lossy: readonly LossyTarget[], cleared: number, notes: number): string {
  const held = cleared
    ? `No problem held at the end; ${cleared} problem(s) seen earlier no longer held (below).`
    : lossy.length
      ? 'No problem held;'
      : 'Every probe round succeeded and no push or credential problem was seen.';
  const loss = lossy.length
    ? ` ${lossy.length} target(s) lost an occasional round (${lossy.map((t) => `${t.id} ${t.lossPct}%`).join(', ')}).`
    : '';
  return `${held}${loss}${notes ? ` ${notes} note(s) below.` : ''}`;
}

/**
 * How sure a finding may be, from the kind of evidence it rests on. Rules do not choose a
 * confidence: they say what their evidence is (`basis`) and how much of what they explain it
 * covers (`coverage`), and the engine derives the confidence here, the one place that does.
 *
 * | basis       | the evidence                                                        | full   | partial | thin |
 * | stated      | a party that knows said the cause: the daemon's retry line, the     | high   | medium  | low  |
 * |             | registry's status or error code, the token endpoint's refusal, a    |        |         |      |
 * |             | TLS verification error, the resolver's answer, docker's own config  |        |         |      |
 * | coincidence | failures coincide in time with matching probe trouble on the host   | medium | low     | low  |
 * | inferred    | by elimination (probes healthy, no cause seen), or a guess at what  | low    | low     | low  |
 * |             | may come (a token that may outlive nothing yet)                     |        |         |      |
 */
import type { DiagnosisEvent } from '../events.js';

/** Confidence a finding states. */
export type Confidence = DiagnosisEvent['confidence'];

/** The kind of evidence a finding rests on. */
export type EvidenceBasis = 'stated' | 'coincidence' | 'inferred';

/**
 * How much of what the finding explains its evidence covers: `full` every failure it
 * explains (every retry has the stated cause, a fault seen in three rounds running),
 * `partial` some of them, `thin` a single observation where the finding speaks of a pattern.
 */
export type Coverage = 'full' | 'partial' | 'thin';

/** Every basis, strongest first (docs and the scenario table list them in this order). */
export const EVIDENCE_BASES: readonly EvidenceBasis[] = ['stated', 'coincidence', 'inferred'];

const TABLE: Record<EvidenceBasis, Record<Coverage, Confidence>> = {
  stated: { full: 'high', partial: 'medium', thin: 'low' },
  coincidence: { full: 'medium', partial: 'low', thin: 'low' },
  inferred: { full: 'low', partial: 'low', thin: 'low' },
};

/** The confidence that evidence of `basis` and `coverage` allows. */
export function confidenceFrom(basis: EvidenceBasis, coverage: Coverage): Confidence {
  return TABLE[basis][coverage];
}

/** `full` when `covered` is all of `of` (and there is something), `partial` when some, else `thin`. */
export function coverageOf(covered: number, of: number): Coverage {
  if (of > 0 && covered >= of) return 'full';
  return covered > 0 && covered * 2 >= of ? 'partial' : 'thin';
}

/** What a basis means, in the words reports and docs use. */
export const BASIS_WORDS: Record<EvidenceBasis, string> = {
  stated: 'stated by a party that knows',
  coincidence: 'coincidence in time with probe trouble',
  inferred: 'inferred by elimination',
};

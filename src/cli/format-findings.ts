/**
 * Plain-text wording of diagnosis findings: one line when a finding appears, changes or is
 * cleared (live plain output), and a block with evidence and the next step (doctor, the
 * end of a plain session). Pure functions.
 */
import type { LossyTarget, Verdict } from '../core/diagnose/verdict.js';
import type { DiagnosisEvent, TargetSummary } from '../core/events.js';
import { fmtClock } from './format.js';

type FindingLike = Omit<DiagnosisEvent, 'v'>;

/** `10:00:23.000  finding network/high: summary`, or `... cleared network.upload_path: summary`. */
export function formatFindingLine(f: FindingLike): string {
  return f.cleared
    ? `${fmtClock(f.t)}  cleared ${f.code}: ${f.summary}`
    : `${fmtClock(f.t)}  finding ${f.category}/${f.confidence} ${f.code}: ${f.summary}`;
}

/** A numbered block: summary, evidence lines, the next step. */
export function formatFindingBlock(f: FindingLike, index: number, maxEvidence = 6): string[] {
  const lines = [`${index}. [${f.category}, ${f.confidence} confidence] ${f.summary}`];
  for (const e of f.evidence.slice(0, maxEvidence)) lines.push(`     - ${e}`);
  if (f.evidence.length > maxEvidence) lines.push(`     - ... ${f.evidence.length - maxEvidence} more`);
  lines.push(`   next step: ${f.advice}`);
  return lines;
}

/** The verdict's lines at the end of plain output: `verdict: Headline. detail` and its next step. */
export function formatVerdict(v: Verdict): string[] {
  return [`verdict: ${v.headline}. ${v.detail}`, ...(v.advice ? [`next step: ${v.advice}`] : [])];
}

/** The targets that lost some rounds, for the words of a healthy verdict. */
export function lossyTargets(summary: readonly TargetSummary[]): LossyTarget[] {
  return summary.filter((s) => s.rounds > 0 && s.ok < s.rounds).map((s) => ({ id: s.target, lossPct: s.lossPct }));
}

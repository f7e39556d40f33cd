/**
 * What `gcrwatch doctor` prints: the findings best first with their evidence and next step,
 * the per-target table, and a verdict line; or the same as one JSON document. Pure.
 */
import type { FindingEvent } from '../../core/diagnose/engine.js';
import type { TargetSummary } from '../../core/events.js';
import { formatSummary } from '../format.js';
import { formatFindingBlock } from '../format-findings.js';

/** Doctor's result. */
export interface DoctorResult {
  exitCode: 0 | 1 | 2;
  targets: TargetSummary[];
  findings: FindingEvent[];
  rounds: number;
  /** Why doctor could not run, when exitCode is 2. */
  problem?: string;
}

/** The human report. */
export function formatDoctorText(r: DoctorResult): string[] {
  const lines = [`gcrwatch doctor: ${r.targets.length} target(s), ${r.rounds} round(s) each`, ''];
  if (r.findings.length) {
    r.findings.forEach((f, i) => lines.push(...formatFindingBlock(f, i + 1), ''));
  } else if (r.exitCode === 0) {
    lines.push('No problem found: every endpoint answered every round, and no check failed.', '');
  }
  lines.push(...formatSummary(r.targets), '');
  lines.push(verdictLine(r));
  return lines;
}

function verdictLine(r: DoctorResult): string {
  if (r.exitCode === 2) return `verdict: could not run (${r.problem ?? 'unknown reason'})`;
  if (!r.findings.length) return 'verdict: healthy';
  const top = r.findings[0]!;
  return `verdict: ${r.findings.length} problem(s) found; the most likely cause is ${top.category} (${top.code})`;
}

/** The JSON document of `doctor --json`. */
export function formatDoctorJson(r: DoctorResult): string {
  const findings = r.findings.map(({ type: _type, ...rest }) => rest);
  return JSON.stringify({ ok: r.exitCode === 0, exitCode: r.exitCode, ...(r.problem ? { problem: r.problem } : {}), rounds: r.rounds, findings, targets: r.targets }, null, 2);
}

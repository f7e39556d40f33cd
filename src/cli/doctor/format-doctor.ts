/**
 * What `gcrwatch doctor` prints: the findings best first with their evidence and next step,
 * the per-target table, and a verdict line; or the same as one JSON document. Pure.
 */
import type { FindingEvent } from '../../core/diagnose/engine.js';
import { isProblem } from '../../core/diagnose/rank.js';
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
  const problems = r.findings.filter(isProblem);
  const notes = r.findings.filter((f) => !isProblem(f));
  problems.forEach((f, i) => lines.push(...formatFindingBlock(f, i + 1), ''));
  if (!problems.length && r.exitCode === 0)
    lines.push('No problem found: every endpoint answered, and no check failed.', '');
  if (notes.length) {
    lines.push('notes:');
    notes.forEach((f, i) => lines.push(...formatFindingBlock(f, i + 1, 3)));
    lines.push('');
  }
  lines.push(...formatSummary(r.targets), '');
  lines.push(verdictLine(r, problems));
  return lines;
}

function verdictLine(r: DoctorResult, problems: FindingEvent[]): string {
  if (r.exitCode === 2) return `verdict: could not run (${r.problem ?? 'unknown reason'})`;
  if (!problems.length) return 'verdict: healthy';
  const top = problems[0]!;
  return `verdict: ${problems.length} problem(s) found; the most likely cause is ${top.category} (${top.code})`;
}

/** The JSON document of `doctor --json`. */
export function formatDoctorJson(r: DoctorResult): string {
  const findings = r.findings.map(({ type: _type, ...rest }) => ({ ...rest, problem: isProblem(rest) }));
  return JSON.stringify(
    {
      ok: r.exitCode === 0,
      exitCode: r.exitCode,
      ...(r.problem ? { problem: r.problem } : {}),
      rounds: r.rounds,
      findings,
      targets: r.targets,
    },
    null,
    2,
  );
}

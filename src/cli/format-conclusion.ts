/**
 * What a wrapped push's session concludes, in plain lines for the terminal: the verdict with
 * its next step (the core verdict, in the words a plain session and `gcrwatch report` end
 * with), then the other problems that held at the end with theirs, and where the rest is.
 * Pure.
 */
import type { FindingRecord } from '../core/diagnose/engine.js';
import { isProblem } from '../core/diagnose/rank.js';
import { verdictOf } from '../core/diagnose/verdict.js';
import type { TargetSummary } from '../core/events.js';
import { formatFindingBlock, formatVerdict, lossyTargets } from './format-findings.js';

/** How much to show. */
export interface ConclusionOptions {
  /** Other problems listed after the verdict, each with its next step (default 2). */
  others?: number;
  /** The session log, named for the full report (null: none was written). */
  logPath: string | null;
}

/** The lines: the verdict and its next step, the other problems held at the end, the pointer to the rest. */
export function formatConclusion(
  findings: FindingRecord[],
  targets: TargetSummary[],
  opts: ConclusionOptions,
): string[] {
  const v = verdictOf(
    findings.map((r) => r.latest),
    lossyTargets(targets),
  );
  const lines = formatVerdict(v);
  const others = findings.map((r) => r.latest).filter((f) => f !== v.top && !f.cleared && isProblem(f));
  const shown = others.slice(0, opts.others ?? 2);
  if (shown.length) lines.push('also found:');
  shown.forEach((f, i) => lines.push(...formatFindingBlock(f, i + 2, 1)));
  const rest = [
    others.length > shown.length ? `${others.length - shown.length} more problem(s)` : '',
    v.cleared ? `${v.cleared} problem(s) that no longer held` : '',
    v.notes ? `${v.notes} note(s)` : '',
  ].filter(Boolean);
  const what = rest.length ? `${rest.join(', ')}, the evidence and the timeline` : 'the evidence and the timeline';
  lines.push(opts.logPath ? `${what}: gcrwatch report ${opts.logPath}` : `${what}: not kept (no session log)`);
  return lines;
}

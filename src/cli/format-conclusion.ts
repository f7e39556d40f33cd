/**
 * What a session concludes, in plain lines for the terminal: the verdict with its next step,
 * then the other problems with theirs. The words are the report's (`verdictOf`, the findings'
 * summaries and advice): a wrapped push, a plain session and `gcrwatch report` on its log say
 * the same thing. Pure.
 */
import type { FindingRecord } from '../core/diagnose/engine.js';
import { isProblem } from '../core/diagnose/rank.js';
import type { TargetSummary } from '../core/events.js';
import type { ReportData } from '../core/report/collect.js';
import { verdictOf, type Verdict } from '../core/report/report-text.js';

/** How much to show. */
export interface ConclusionOptions {
  /** Other problems listed after the verdict, each with its next step (default 2). */
  others?: number;
  /** Evidence lines of the verdict's finding (default 3). */
  evidence?: number;
  /** The session log, named for the full report (null: none was written; absent: no pointer line). */
  logPath?: string | null;
}

/** The verdict the report would give for these findings and targets. */
export function sessionVerdict(findings: FindingRecord[], targets: TargetSummary[]): Verdict {
  // The report's verdict reads only its findings and targets; the rest of its data is not needed here.
  const data: ReportData = {
    source: '',
    events: 0,
    targets: targets.map((summary) => ({ id: summary.target, pushTarget: false, summary, series: [] })),
    push: { pushes: 0, retries: 0, errors: 0, timeline: { head: [], tail: [], omitted: 0 }, markers: [] },
    findings,
    warnings: [],
  };
  return verdictOf(data);
}

/** The lines: `verdict: HEADLINE.`, the detail, `next step: ...`, then the other problems. */
export function formatConclusion(
  findings: FindingRecord[],
  targets: TargetSummary[],
  opts: ConclusionOptions = {},
): string[] {
  const v = sessionVerdict(findings, targets);
  const lines = [`verdict: ${v.headline}.`, `  ${v.detail}`];
  for (const e of v.top?.latest.evidence.slice(0, opts.evidence ?? 3) ?? []) lines.push(`    - ${e}`);
  if (v.advice) lines.push(`  next step: ${v.advice}`);
  const others = findings.filter((r) => r !== v.top && isProblem(r.latest));
  const shown = others.slice(0, opts.others ?? 2);
  if (shown.length) lines.push(v.top ? 'also found:' : 'found earlier:');
  shown.forEach((r, i) => {
    const f = r.latest;
    const when = r.clearedAt ? ' (no longer held at the end)' : '';
    lines.push(`  ${i + 1}. [${f.category}, ${f.confidence} confidence] ${f.summary}${when}`);
    lines.push(`     next step: ${f.advice}`);
  });
  const rest = others.length - shown.length;
  const notes = findings.length - others.length - (v.top ? 1 : 0);
  const more = [rest ? `${rest} more problem(s)` : '', notes ? `${notes} note(s)` : ''].filter(Boolean).join(' and ');
  if (opts.logPath)
    lines.push(`${more ? `${more}, evidence` : 'evidence'} and timeline: gcrwatch report ${opts.logPath}`);
  else if (opts.logPath === null && more) lines.push(`${more} not shown (no session log was written)`);
  return lines;
}

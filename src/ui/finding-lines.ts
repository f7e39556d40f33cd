/**
 * The findings list and a finding's detail view, in the words `report` uses for them (its
 * heading, the summary, the evidence lines, "Next step:"), from the finding event's own
 * fields, so the dashboard and the report never tell the same finding two ways.
 */
import { isProblem, rankFindings } from '../core/diagnose/rank.js';
import type { DiagnosisEvent, SessionEvent } from '../core/events.js';
import { clockZ } from '../core/report/report-text.js';
import { BLANK, type PanelLine } from './panel-line.js';
import type { Tone } from './theme.js';

/** The findings that hold now, best first (the order the header and `report` use). */
export function rankedFindings(findings: ReadonlyMap<string, DiagnosisEvent>): DiagnosisEvent[] {
  return rankFindings(findings.values());
}

function toneOf(f: DiagnosisEvent): Tone {
  if (!isProblem(f)) return 'dim';
  return f.confidence === 'low' ? 'warn' : 'fail';
}

/** One line per finding for the list view: rank, confidence, code, summary. */
export function findingListLines(findings: readonly DiagnosisEvent[]): PanelLine[] {
  if (!findings.length) return [{ text: 'no finding holds now', tone: 'dim' }];
  return findings.map((f, i) => ({
    text: `${i + 1}. ${f.code} (${f.category}, ${f.confidence} confidence): ${f.summary}`,
    tone: toneOf(f),
  }));
}

/** When the finding was first raised in the events still held (its latest event's time otherwise). */
function firstRaised(f: DiagnosisEvent, recent: readonly SessionEvent[]): number {
  const first = recent.find((e) => e.type === 'diagnosis' && e.code === f.code && !e.cleared);
  return Date.parse((first ?? f).t);
}

/** The detail of `f`: heading, summary, status, evidence, next step (as in `report --format md`). */
export function findingDetailLines(f: DiagnosisEvent, recent: readonly SessionEvent[]): PanelLine[] {
  const lines: PanelLine[] = [
    { text: `${f.code} (${f.category}, ${f.confidence} confidence)`, tone: 'title' },
    { text: f.summary, tone: toneOf(f) },
    {
      text: `${isProblem(f) ? '' : 'a note, not a problem; '}since ${clockZ(firstRaised(f, recent))}, holds now`,
      tone: 'dim',
    },
    BLANK,
  ];
  if (f.evidence.length) {
    lines.push({ text: 'Evidence:', tone: 'title' });
    for (const e of f.evidence) lines.push({ text: `- ${e}`, tone: 'plain' });
    lines.push(BLANK);
  }
  lines.push({ text: `Next step: ${f.advice}`, tone: 'accent' });
  return lines;
}

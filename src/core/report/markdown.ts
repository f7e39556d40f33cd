/**
 * The Markdown report, to paste into a ticket: the verdict, the findings with evidence, a
 * statistics table per target, and the push timeline. Pure: data in, text out.
 */
import type { FindingRecord } from '../diagnose/engine.js';
import type { ReportData } from './collect.js';
import {
  clockZ,
  episodeLines,
  findingStatus,
  lastState,
  p50p95,
  sessionLine,
  STAT_COLUMNS,
  verdictOf,
} from './report-text.js';

/** One line of text (a log line may hold line breaks). */
function md(text: string): string {
  return text.replace(/\r?\n/g, ' ');
}

/** Text in a table cell: a pipe would end the cell (GFM reads `\|` as a pipe, even in code). */
function cell(text: string): string {
  return md(text).replace(/\|/g, '\\|');
}

/** Render the report. */
export function renderMarkdown(d: ReportData): string {
  const out: string[] = [`# gcrwatch report: ${md(d.source)}`, '', sessionLine(d), ''];
  const v = verdictOf(d);
  out.push('## Verdict', '', `**${v.headline}.** ${md(v.detail)}`, '');
  if (v.advice) out.push(`**Next step:** ${md(v.advice)}`, '');
  out.push(...findingsSection(d), ...targetsSection(d), ...timelineSection(d));
  if (d.warnings.length) out.push('## Warnings', '', ...d.warnings.map((w) => `- ${md(w)}`), '');
  return out.join('\n');
}

function findingsSection(d: ReportData): string[] {
  if (!d.findings.length) return [];
  const out = ['## Findings', ''];
  d.findings.forEach((r, i) => {
    const f = r.latest;
    out.push(`### ${i + 1}. ${f.code} (${f.category}, ${f.confidence} confidence)`, '', md(f.summary), '');
    out.push(`_${findingStatus(r)}${r.raised > 1 ? `, raised ${r.raised} times` : ''}._`, '');
    for (const e of f.evidence) out.push(`- ${md(e)}`);
    out.push('', ...episodesOf(r), `**Next step:** ${md(f.advice)}`, '');
  });
  return out;
}

function episodesOf(r: FindingRecord): string[] {
  const lines = episodeLines(r);
  return lines.length ? ['Each time it held:', '', ...lines.map((l) => `- ${md(l)}`), ''] : [];
}

function targetsSection(d: ReportData): string[] {
  if (!d.targets.length) return [];
  const head = ['target', 'rounds', 'loss %', ...STAT_COLUMNS.map(([, l]) => `${l} p50 / p95 ms`), 'last'];
  const out = [
    '## Endpoints',
    '',
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (i === 0 || i === head.length - 1 ? '---' : '---:')).join(' | ')} |`,
  ];
  for (const t of d.targets) {
    const s = t.summary;
    out.push(
      `| ${cell(t.id)}${t.pushTarget ? ' (push)' : ''} | ${s.rounds} | ${s.lossPct.toFixed(1)} | ${STAT_COLUMNS.map(([p]) => p50p95(s, p)).join(' | ')} | ${cell(lastState(s))} |`,
    );
  }
  return [...out, ''];
}

function timelineSection(d: ReportData): string[] {
  const { head, tail, omitted } = d.push.timeline;
  if (!head.length) return [];
  const out = [
    '## Push timeline',
    '',
    `${d.push.pushes} push(es), ${d.push.retries} retr${d.push.retries === 1 ? 'y' : 'ies'}, ${d.push.errors} error(s).`,
    '',
    '| time | event |',
    '| --- | --- |',
  ];
  for (const e of head) out.push(`| ${clockZ(e.t)} | ${cell(e.text)} |`);
  if (omitted) out.push(`| ... | ${omitted} more entries |`);
  for (const e of tail) out.push(`| ${clockZ(e.t)} | ${cell(e.text)} |`);
  return [...out, ''];
}

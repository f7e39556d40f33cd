/**
 * The HTML report: one self-contained file (inline style, inline SVG, no script, and a
 * Content-Security-Policy that forbids any fetch), readable in any browser. Verdict,
 * findings, one latency chart per endpoint with the push's events drawn on it, the
 * statistics table and the push timeline.
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
import { esc, renderLatencyChart } from './svg-chart.js';

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1000px;padding:0 1rem;color:#1d2330}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #dde1e7}
.session{color:#555}.verdict{padding:.8rem 1rem;border-radius:6px;background:#fff4e5;border-left:5px solid #e8890c}
.verdict.healthy{background:#eaf7ee;border-left-color:#2f9e57}.finding{margin:1rem 0}.finding h3{font-size:1rem;margin:.2rem 0}
.status{color:#666;font-style:italic}.advice{background:#f1f4f9;padding:.4rem .6rem;border-radius:4px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid #e4e7eb;padding:.25rem .5rem;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}figure{margin:1rem 0}figcaption{font-weight:600}
svg.chart{max-width:100%;height:auto;background:#fbfcfd;border:1px solid #e4e7eb}
.chart .grid{stroke:#e8ebef;stroke-width:1}.chart .label{font-size:10px;fill:#6b7280}
.chart .latency{fill:none;stroke:#2563eb;stroke-width:1.6}.chart .fail{fill:#dc2626}
.chart .marker{stroke-width:1.5;stroke-dasharray:4 3}.marker-retry{stroke:#d97706}.marker-error{stroke:#dc2626}
.marker-start{stroke:#16a34a}.marker-end{stroke:#4b5563}.marker-auth{stroke:#7c3aed}.chart .empty{font-size:12px;fill:#9ca3af}
.legend span{display:inline-block;margin-right:1rem}.legend i{display:inline-block;width:14px;height:3px;margin-right:4px;vertical-align:middle}
code{background:#f1f4f9;padding:0 .2rem;border-radius:3px}`;

/** Render the report as one HTML document. */
export function renderHtml(d: ReportData): string {
  const v = verdictOf(d);
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>gcrwatch report: ${esc(d.source)}</title><style>${STYLE}</style></head><body>`,
    `<h1>gcrwatch report: ${esc(d.source)}</h1><p class="session">${esc(sessionLine(d))}</p>`,
    `<section class="verdict${v.healthy ? ' healthy' : ''}"><strong>${esc(v.headline)}.</strong> ${esc(v.detail)}${v.advice ? `<p class="advice"><strong>Next step:</strong> ${esc(v.advice)}</p>` : ''}</section>`,
    findings(d),
    charts(d),
    table(d),
    timeline(d),
    d.warnings.length ? `<h2>Warnings</h2><ul>${d.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : '',
    '</body></html>\n',
  ].join('\n');
}

function findings(d: ReportData): string {
  if (!d.findings.length) return '';
  return `<h2>Findings</h2>${d.findings
    .map((r, i) => {
      const f = r.latest;
      return (
        `<div class="finding"><h3>${i + 1}. ${esc(f.code)} <small>(${esc(f.category)}, ${f.confidence} confidence)</small></h3>` +
        `<p>${esc(f.summary)}</p><p class="status">${esc(findingStatus(r))}</p>` +
        `<ul>${f.evidence.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>${episodes(r)}<p class="advice"><strong>Next step:</strong> ${esc(f.advice)}</p></div>`
      );
    })
    .join('')}`;
}

function episodes(r: FindingRecord): string {
  const lines = episodeLines(r);
  return lines.length ? `<p>Each time it held:</p><ul>${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` : '';
}

function charts(d: ReportData): string {
  if (!d.targets.length || d.firstAt === undefined || d.lastAt === undefined) return '';
  const frame = { width: 920, height: 170, from: d.firstAt, to: Math.max(d.lastAt, d.firstAt + 1000) };
  const legend =
    '<p class="legend"><span><i style="background:#2563eb"></i>total latency (ms)</span><span><i style="background:#dc2626"></i>failed round</span>' +
    '<span><i style="background:#16a34a"></i>push start</span><span><i style="background:#d97706"></i>retry</span><span><i style="background:#dc2626"></i>push error</span>' +
    '<span><i style="background:#4b5563"></i>push end</span><span><i style="background:#7c3aed"></i>credential check failed</span></p>';
  const figures = d.targets.map(
    (t) =>
      `<figure><figcaption>${esc(t.id)}${t.pushTarget ? ' (push target)' : ''}: ${t.summary.rounds} rounds, ${t.summary.lossPct.toFixed(1)} % lost</figcaption>${renderLatencyChart(t, d.push.markers, frame)}</figure>`,
  );
  return `<h2>Latency per endpoint</h2>${legend}${figures.join('')}`;
}

function table(d: ReportData): string {
  if (!d.targets.length) return '';
  const head = ['target', 'rounds', 'loss %', ...STAT_COLUMNS.map(([, l]) => `${l} p50 / p95 ms`), 'last'];
  const rows = d.targets.map((t) => {
    const s = t.summary;
    return `<tr><td>${esc(t.id)}${t.pushTarget ? ' (push)' : ''}</td><td class="n">${s.rounds}</td><td class="n">${s.lossPct.toFixed(1)}</td>${STAT_COLUMNS.map(([p]) => `<td class="n">${p50p95(s, p)}</td>`).join('')}<td>${esc(lastState(s))}</td></tr>`;
  });
  return `<h2>Endpoints</h2><table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function timeline(d: ReportData): string {
  const { head, tail, omitted } = d.push.timeline;
  if (!head.length) return '';
  const row = (e: { t: number; text: string }) => `<tr><td>${clockZ(e.t)}</td><td>${esc(e.text)}</td></tr>`;
  return (
    `<h2>Push timeline</h2><p>${d.push.pushes} push(es), ${d.push.retries} retries, ${d.push.errors} error(s).</p><table><tbody>${head.map(row).join('')}` +
    `${omitted ? `<tr><td>...</td><td>${omitted} more entries</td></tr>` : ''}${tail.map(row).join('')}</tbody></table>`
  );
}

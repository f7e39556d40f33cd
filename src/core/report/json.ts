/** The JSON report: the same data as the other formats, as one document. Pure. */
import type { ReportData } from './collect.js';
import { verdictOf } from './report-text.js';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** Render the report as JSON (2-space indented). */
export function renderJson(d: ReportData): string {
  const v = verdictOf(d);
  const doc = {
    source: d.source,
    session: {
      from: iso(d.firstAt),
      to: iso(d.lastAt),
      events: d.events,
      complete: Boolean(d.end),
      version: d.start?.version,
      platform: d.start?.platform,
      hostname: d.start?.hostname,
      mode: d.start?.mode,
    },
    verdict: {
      healthy: v.healthy,
      headline: v.headline,
      summary: v.detail,
      advice: v.advice,
      category: v.top?.latest.category,
      code: v.top?.latest.code,
    },
    findings: d.findings.map((r) => {
      const { type: _type, t: _t, ...f } = r.latest;
      return {
        ...f,
        firstAt: r.firstAt,
        lastAt: r.lastAt,
        clearedAt: r.clearedAt,
        raised: r.raised,
        episodes: r.episodes,
        episodesOmitted: r.episodesOmitted || undefined,
      };
    }),
    targets: d.targets.map((t) => ({ id: t.id, pushTarget: t.pushTarget, ...t.summary, series: t.series })),
    push: { pushes: d.push.pushes, retries: d.push.retries, errors: d.push.errors, timeline: d.push.timeline },
    warnings: d.warnings,
  };
  return JSON.stringify(doc, (_k, val: unknown) => (val === undefined ? undefined : val), 2) + '\n';
}

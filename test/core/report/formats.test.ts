import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSessionLog } from '../../../src/core/log/ndjson-reader.js';
import { ReportCollector, type ReportData } from '../../../src/core/report/collect.js';
import { csvCell, probeCsvHeader, probeCsvRow } from '../../../src/core/report/csv.js';
import { renderHtml } from '../../../src/core/report/html.js';
import { renderJson } from '../../../src/core/report/json.js';
import { renderMarkdown } from '../../../src/core/report/markdown.js';
import { MAX_EPISODES } from '../../../src/core/diagnose/engine.js';
import { SessionBuilder } from '../../support/session-builder.js';

const SCENARIOS = path.resolve(import.meta.dirname, '../../scenarios');

async function collect(name: string): Promise<ReportData> {
  const c = new ReportCollector(`${name}.ndjson`);
  for await (const e of readSessionLog(path.join(SCENARIOS, name, 'session.ndjson'))) c.add(e);
  return c.finish();
}

describe('Markdown report', () => {
  it('gives the verdict, findings with evidence, the endpoint table and the push timeline', async () => {
    const md = renderMarkdown(await collect('retry-healthy-probes'));
    expect(md).toMatch(/^# gcrwatch report: retry-healthy-probes\.ndjson/);
    expect(md).toContain('## Verdict\n\n**Network (network.upload_path, high confidence).**');
    expect(md).toContain('connection reset by peer');
    expect(md).toMatch(/### 1\. network\.upload_path/);
    expect(md).toMatch(/\| gcr\.io \(push\) \| 46 \| 0\.0 \|/);
    expect(md).toContain('| 10:00:25Z | retry 1 of layer cbb277760eee, waiting 5 s: write tcp');
    expect(md).toContain('1 push(es), 2 retries, 0 error(s).');
  });

  it('says "No problem found" for a healthy session', async () => {
    const md = renderMarkdown(await collect('healthy'));
    expect(md).toContain('**No problem found.** Every probe round succeeded');
    expect(md).not.toContain('## Findings');
  });

  it('escapes pipes in table cells only', () => {
    const b = new SessionBuilder(301)
      .start(['gcr.io'], { push: 'gcr.io' })
      .at(1)
      .pushStart('gcr.io/p/a:1')
      .pushError('denied: a | b', 'push.denied');
    const c = new ReportCollector('x');
    for (const e of b.build()) c.add(e);
    const md = renderMarkdown(c.finish());
    expect(md).toContain('| error push.denied (auth): denied: a \\| b |');
    expect(md).toContain('The registry refuses to let this identity push to gcr.io: "denied: a | b".');
  });
});

describe('HTML report', () => {
  it('is one self-contained page with one latency path per endpoint and the push markers', async () => {
    const data = await collect('retry-tls-timeout-regional');
    const html = renderHtml(data);
    expect(html.match(/<path class="latency"/g)).toHaveLength(data.targets.length);
    expect(html).toContain('Content-Security-Policy" content="default-src \'none\'');
    expect(html).not.toMatch(/<script|<link|\ssrc=|@import|url\(/i);
    expect(html.match(/class="marker marker-retry"/g)!.length).toBe(2 * data.targets.length);
    expect(html).toContain('class="fail"');
  });

  it('escapes what the log says', () => {
    const b = new SessionBuilder(302)
      .start(['gcr.io'], { push: 'gcr.io' })
      .at(1)
      .pushStart('gcr.io/p/a:1')
      .pushError('denied: <img src=x onerror=alert(1)>', 'push.denied');
    const c = new ReportCollector('<b>.ndjson');
    for (const e of b.build()) c.add(e);
    const html = renderHtml(c.finish());
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;b&gt;.ndjson');
  });
});

describe('JSON report', () => {
  it('carries the verdict, findings with their times, targets and the timeline', async () => {
    const doc = JSON.parse(renderJson(await collect('quota-429-burst')));
    expect(doc.verdict).toMatchObject({ healthy: false, category: 'registry', code: 'registry.rate_limited' });
    expect(doc.findings[0]).toMatchObject({ code: 'registry.rate_limited', raised: 1 });
    expect(doc.findings[0].firstAt).toMatch(/^2026-03-02T10:00:2/);
    expect(doc.targets.map((t: { id: string }) => t.id)).toEqual(['us-docker.pkg.dev', 'gcr.io']);
    expect(doc.session.complete).toBe(true);
  });
});

describe('CSV', () => {
  it('has one row per probe with stable columns', () => {
    const b = new SessionBuilder(303)
      .start(['gcr.io'])
      .at(1)
      .probe('gcr.io')
      .at(3)
      .probe('gcr.io', { error: 'tcp.refused', message: 'connect ECONNREFUSED, "nobody"' });
    const rows = b
      .build()
      .filter((e) => e.type === 'probe')
      .map((e) => probeCsvRow(e as Extract<typeof e, { type: 'probe' }>));
    expect(probeCsvHeader().split(',')).toHaveLength(19);
    expect(rows[0]!.split(',')).toHaveLength(19);
    expect(rows[0]).toMatch(/^2026-03-02T10:00:01\.000Z,gcr\.io,0,true,/);
    expect(rows[1]).toContain(',tcp.refused,network,connect,');
    expect(rows[1]!.endsWith('"connect ECONNREFUSED, ""nobody"""')).toBe(true);
  });

  it('quotes only what needs it', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a\nb')).toBe('"a\nb"');
    expect(csvCell(undefined)).toBe('');
  });
});

describe('verdict and notes', () => {
  it('a session with only notes is "No problem found", and the notes are marked as such', () => {
    const b = new SessionBuilder(304).start(['gcr.io']).probeRounds(['gcr.io'], 0, 10, 2, () => ({ daysLeft: 2 }));
    const c = new ReportCollector('notes.ndjson');
    for (const e of b.build()) c.add(e);
    const md = renderMarkdown(c.finish());
    expect(md).toContain(
      '**No problem found.** Every probe round succeeded and no push or credential problem was seen. 1 note(s) below.',
    );
    expect(md).toContain('_a note, not a problem; since');
  });
});

describe('a finding that held several times, for different targets (issue 9: every fault window in the report)', () => {
  // Three fault windows, one host each, each cleared before the next: one finding code, three episodes.
  const b = new SessionBuilder(331)
    .start(['gcr.io', 'eu.gcr.io', 'asia.gcr.io'])
    .probeRounds(['gcr.io', 'eu.gcr.io', 'asia.gcr.io'], 0, 120, 2, (host, s) =>
      host === 'eu.gcr.io' && s >= 10 && s < 30
        ? { error: 'dns.servfail' }
        : host === 'asia.gcr.io' && s >= 50 && s < 70
          ? { error: 'tcp.refused' }
          : host === 'gcr.io' && s >= 90 && s < 110
            ? { error: 'tls.timeout' }
            : {},
    )
    .end();
  const data = () => {
    const c = new ReportCollector('windows.ndjson');
    for (const e of b.build()) c.add(e);
    return c.finish();
  };

  it('lists each time with what it said, in every format', () => {
    const d = data();
    const record = d.findings.find((r) => r.latest.code === 'network.endpoint_failing')!;
    expect(record.raised).toBe(3);
    expect(record.episodes.map((e) => [e.to !== undefined, e.summaries.join(' ')])).toEqual([
      [true, expect.stringMatching(/eu\.gcr\.io.*dns\.servfail/)],
      [true, expect.stringMatching(/asia\.gcr\.io.*tcp\.refused/)],
      [true, expect.stringMatching(/gcr\.io.*tls\.timeout/)],
    ]);
    const md = renderMarkdown(d);
    expect(md).toMatch(
      /Each time it held:\n\n- 10:00:1\dZ-10:00:3\dZ: eu\.gcr\.io[^\n]*dns\.servfail[^\n]*\n- 10:00:5\dZ-10:01:1\dZ: asia\.gcr\.io[^\n]*tcp\.refused/,
    );
    for (const code of ['dns.servfail', 'tcp.refused', 'tls.timeout']) expect(renderHtml(d)).toContain(code);
    const json = JSON.parse(renderJson(d)) as {
      findings: Array<{ code: string; episodes: Array<{ summaries: string[] }> }>;
    };
    expect(json.findings.find((f) => f.code === 'network.endpoint_failing')!.episodes).toHaveLength(3);
  });

  it('keeps at most MAX_EPISODES per finding and counts the rest', () => {
    const many = new SessionBuilder(332)
      .start(['eu.gcr.io'])
      .probeRounds(['eu.gcr.io'], 0, 2 * 60 * 40, 2, (_h, s) => (s % 80 < 20 ? { error: 'dns.servfail' } : {}))
      .end();
    const c = new ReportCollector('many.ndjson');
    for (const e of many.build()) c.add(e);
    const record = c.finish().findings.find((r) => r.latest.code === 'network.endpoint_failing')!;
    expect(record.raised).toBe(60);
    expect(record.episodes).toHaveLength(MAX_EPISODES);
    expect(record.episodesOmitted).toBe(10);
  });
});

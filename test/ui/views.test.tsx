/**
 * The views over the dashboard, rendered by Ink: a finding's detail (in the words of
 * `report`), an endpoint's last round as a waterfall with its TLS and HTTP facts, and the
 * header of a replay. The Dashboard ones wait for the frame they assert on.
 */
import { cleanup, render } from 'ink-testing-library';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/bus.js';
import { DiagnosisEngine } from '../../src/core/diagnose/engine.js';
import type { SessionEndEvent } from '../../src/core/events.js';
import { readSessionLog } from '../../src/core/log/ndjson-reader.js';
import { ReportCollector } from '../../src/core/report/collect.js';
import { renderMarkdown } from '../../src/core/report/markdown.js';
import { SessionStore } from '../../src/core/store.js';
import { endpointDetailLines, waterfallLines } from '../../src/ui/endpoint-detail.js';
import { findingDetailLines, rankedFindings } from '../../src/ui/finding-lines.js';
import { Header, type HeaderInfo } from '../../src/ui/Header.js';
import { Overlay, wrapPanelLines } from '../../src/ui/Overlay.js';
import { event, failedProbe, okProbe, sessionStart, storeOf, T0 } from './helpers/events.js';
import { dashboardShown, mountDashboard } from './helpers/dashboard.js';
import { linesOf, type Rendered } from './helpers/render-at.js';

const SCENARIOS = path.resolve(import.meta.dirname, '../scenarios');
let mounted: Rendered;
afterEach(() => {
  cleanup();
  mounted?.unmount();
});

/** A scenario log through a live store and diagnosis (as a session does), and through `report`. */
async function scenario(name: string): Promise<{ store: SessionStore; markdown: string }> {
  const file = path.join(SCENARIOS, name, 'session.ndjson');
  const bus = new EventBus();
  const store = new SessionStore();
  bus.subscribe(store);
  const engine = new DiagnosisEngine((finding) => bus.emit(finding));
  bus.subscribe(engine);
  const report = new ReportCollector(`${name}.ndjson`);
  for await (const e of readSessionLog(file)) {
    report.add(e);
    if (e.type !== 'diagnosis') bus.emitStamped(e);
  }
  return { store, markdown: renderMarkdown(report.finish()) };
}

describe('finding detail', () => {
  it('shows the evidence lines and the next step exactly as the report words them', async () => {
    const { store, markdown } = await scenario('retry-healthy-probes');
    const snapshot = store.getSnapshot();
    const [top] = rankedFindings(snapshot.findings);
    expect(top).toBeDefined();
    const lines = wrapPanelLines(findingDetailLines(top!, snapshot.recent), 1000);
    const { lastFrame } = render(
      <Overlay title="finding 1" lines={lines} height={lines.length + 1} width={1000} scroll={0} color={false} />,
    );
    const out = linesOf(lastFrame()!);
    expect(out[1]).toBe(`${top!.code} (${top!.category}, ${top!.confidence} confidence)`);
    expect(markdown).toContain(`### 1. ${top!.code} (${top!.category}, ${top!.confidence} confidence)`);
    expect(out).toContain(top!.summary);
    expect(top!.evidence.length).toBeGreaterThan(0);
    for (const e of top!.evidence) {
      expect(out).toContain(`- ${e}`);
      expect(markdown).toContain(`- ${e}`);
    }
    expect(out).toContain(`Next step: ${top!.advice}`);
    expect(markdown).toContain(`**Next step:** ${top!.advice}`);
  });

  it('opens from the findings list with f and enter, and goes back with esc', async () => {
    const { store } = await scenario('retry-healthy-probes');
    const snapshot = store.getSnapshot();
    const ranked = rankedFindings(snapshot.findings);
    const end = snapshot.lastEventAt!;
    mounted = mountDashboard(store, 100, 30, { now: () => end }).r;
    await mounted.waitForFrame('the dashboard', dashboardShown);
    mounted.stdin.write('f');
    const list = await mounted.waitForFrame('the findings list', (f) => f.includes('findings that hold now'));
    const first = `> 1. ${ranked[0]!.code} (${ranked[0]!.category}, ${ranked[0]!.confidence} confidence): `;
    expect(linesOf(list).find((l) => l.startsWith('> '))).toMatch(new RegExp(`^${first.replace(/[.()]/g, '\\$&')}`));
    mounted.stdin.write('\r');
    const detail = await mounted.waitForFrame('the finding', (f) => f.includes('Next step:'));
    expect(detail).toContain(`finding 1 of ${ranked.length}`);
    expect(detail).toContain('Evidence:');
    mounted.stdin.write('\x1b');
    await mounted.waitForFrame('the list again', (f) => f.includes('findings that hold now'));
    mounted.stdin.write('\x1b');
    const back = await mounted.waitForFrame('the dashboard again', (f) => f.includes('latency ms'));
    expect(back).toMatch(/q quit {2}↑↓ sel {2}enter open {2}f find/);
  });
});

describe('endpoint waterfall', () => {
  it('draws each phase as a bar starting where the previous ended, proportional to the total', () => {
    const lines = waterfallLines({ dns: 10, connect: 10, tls: 40, ttfb: 30, transfer: 10, total: 100 }, 40 + 27);
    const { lastFrame } = render(
      <Overlay title="w" lines={lines} height={lines.length + 1} width={80} scroll={0} color={false} />,
    );
    const out = linesOf(lastFrame()!).slice(1);
    expect(out.map((l) => l.slice(0, 25))).toEqual([
      'DNS lookup        10 ms  ',
      'TCP connect       10 ms  ',
      'TLS handshake     40 ms  ',
      'server            30 ms  ',
      'transfer          10 ms  ',
      'total            100 ms',
    ]);
    // Bars: 40 columns for 100 ms; DNS fills 0-4, TCP 4-8, TLS 8-24, server 24-36, transfer 36-40.
    const bars = out.slice(0, 5).map((l) => /\|(.*)\|/.exec(l)![1]!);
    expect(bars.map((b) => [b.indexOf('█'), b.lastIndexOf('█') + 1])).toEqual([
      [0, 4],
      [4, 8],
      [8, 24],
      [24, 36],
      [36, 40],
    ]);
  });

  it("shows the last round, the TLS facts, the registry's answer and the last error with its code", () => {
    const ok = okProbe('gcr.io', 1000, { dns: 2, connect: 3, tls: 20, ttfb: 15, transfer: 1, total: 41 }, 1);
    ok.details.tls = {
      protocol: 'TLSv1.3',
      cipher: 'TLS_AES_128_GCM_SHA256',
      issuer: 'WR2',
      issuerOrg: 'Google Trust Services',
      chain: ['*.gcr.io', 'WR2', 'GTS Root R1'],
      daysLeft: 61.5,
      verified: true,
      interception: 'Corp Proxy CA',
    };
    ok.details.http = {
      status: 401,
      challenge: { scheme: 'Bearer', realm: 'https://gcr.io/v2/token', service: 'gcr.io' },
      registryHeader: 'registry/2.0',
    };
    const failed = failedProbe('gcr.io', 2000, 'tls.timeout', 'tls', { dns: 2, connect: 3, tls: 5000 }, 2);
    const store = storeOf([sessionStart(['gcr.io']), ok, failed]);
    const t = store.getSnapshot().targets.get('gcr.io')!;
    const lines = wrapPanelLines(endpointDetailLines(t, 100), 100);
    const { lastFrame } = render(
      <Overlay title="endpoint" lines={lines} height={lines.length + 1} width={100} scroll={0} color={false} />,
    );
    const out = lastFrame()!;
    expect(out).toContain('last round 03:04:02'.slice(0, 10));
    expect(out).toMatch(/last round \d\d:\d\d:\d\d \(#2\): FAIL tls\.timeout/);
    // It failed after 5 s (the deadline): the bar of the phase it failed in is ×.
    expect(out).toMatch(/TLS handshake +5\.0 s {2}\|×+\|/);
    expect(out).toContain('TLS   TLSv1.3  TLS_AES_128_GCM_SHA256  verified');
    expect(out).toContain('issuer WR2 (Google Trust Services)');
    expect(out).toContain('chain: *.gcr.io < WR2 < GTS Root R1');
    expect(out).toContain('certificate expires in 61 days');
    expect(out).toContain('TLS interception suspected: the chain is issued by Corp Proxy CA');
    expect(out).toContain('error tls.timeout (network, tls phase): tls.timeout for the test');
    // The HTTP answer is the last round's: this one failed before HTTP.
    expect(out).toContain('HTTP  no answer to GET /v2/ in the last round');
    const okOnly = storeOf([sessionStart(['gcr.io']), ok])
      .getSnapshot()
      .targets.get('gcr.io')!;
    const okText = endpointDetailLines(okOnly, 100)
      .map((l) => l.text)
      .join('\n');
    expect(okText).toContain(
      'HTTP  401  challenge Bearer realm=https://gcr.io/v2/token service=gcr.io  registry header: registry/2.0',
    );
  });

  it('opens on enter for the selected endpoint in the dashboard', async () => {
    const store = storeOf([
      sessionStart(['gcr.io', 'eu.gcr.io']),
      okProbe('gcr.io', 1000, { dns: 1, connect: 1, tls: 5, ttfb: 5, total: 12 }),
      okProbe('eu.gcr.io', 1000, { dns: 1, connect: 1, tls: 6, ttfb: 6, total: 14 }),
    ]);
    mounted = mountDashboard(store, 80, 24, { now: () => T0 + 2000 }).r;
    await mounted.waitForFrame('the dashboard', dashboardShown);
    mounted.stdin.write('\x1b[B');
    await mounted.waitForFrame('eu.gcr.io selected', (f) => /^> OK +eu\.gcr\.io/m.test(f));
    mounted.stdin.write('\r');
    const detail = await mounted.waitForFrame('the endpoint view', (f) => f.includes('endpoint: last round'));
    expect(detail).toContain('eu.gcr.io');
    expect(detail).toMatch(/TLS handshake +6\.0 ms/);
    expect(detail).toMatch(/esc back/);
  });
});

describe('replay header', () => {
  const base: HeaderInfo = {
    version: '0.1.0',
    demo: false,
    up: 3,
    total: 3,
    intervalMs: 1000,
    startedAt: T0,
    logPath: '/tmp/s.ndjson',
    verdict: { text: 'all 3 endpoints answering', tone: 'ok' },
    replay: { speed: 10, logEndsAt: T0 + 300_000 },
  };

  it('says REPLAY, the speed and the position in the log', () => {
    const { lastFrame } = render(
      <Header info={base} now={T0 + 65_000} lines={2} width={120} paused={false} color={false} />,
    );
    expect(linesOf(lastFrame()!)[0]).toMatch(
      /^gcrwatch 0\.1\.0 +REPLAY 10x 1m05s of 5m00s +up 3\/3 {2}every 1s +log \/tmp\/s\.ndjson/,
    );
  });

  it('stops the clock and says the log ended at its end', () => {
    const ended = { ...base, endedAt: T0 + 300_000 };
    const { lastFrame } = render(
      <Header info={ended} now={T0 + 999_000} lines={2} width={120} paused={false} color={false} />,
    );
    expect(linesOf(lastFrame()!)[0]).toContain('REPLAY: log ended at 5m00s');
  });

  it('shows in the dashboard fed by a replayed store, and the clock stops at the end of the log', async () => {
    const store = storeOf([
      sessionStart(['gcr.io'], 1000, { replayOf: '/tmp/s.ndjson' }),
      okProbe('gcr.io', 1000, { total: 10 }),
    ]);
    let now = T0 + 1000;
    mounted = mountDashboard(store, 100, 30, {
      logPath: '/tmp/s.ndjson',
      now: () => now,
      replay: { speed: 10, logEndsAt: T0 + 5000 },
    }).r;
    await mounted.waitForFrame('REPLAY at 1s', (f) => f.includes('REPLAY 10x 1s of 5s'));
    now = T0 + 5000;
    store.onEvent(event<SessionEndEvent>(5000, { type: 'session.end', reason: 'duration', exitCode: 0, summary: [] }));
    store.flush();
    await mounted.waitForFrame('the end of the log', (f) => f.includes('REPLAY: log ended at 5s'));
    now = T0 + 60_000;
    mounted.stdin.write('p');
    const later = await mounted.waitForFrame('the DNS phase', (f) => f.includes('DNS  (1 rounds'));
    expect(later).toContain('REPLAY: log ended at 5s');
  });
});

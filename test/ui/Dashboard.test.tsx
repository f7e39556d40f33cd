import stringWidth from 'string-width';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PushRetryEvent, PushStartEvent } from '../../src/core/events.js';
import type { SessionStore } from '../../src/core/store.js';
import { sampleColumn } from '../../src/ui/chart-layout.js';
import { LABEL_WIDTH } from '../../src/ui/chart-model.js';
import { Dashboard, type DashboardProps } from '../../src/ui/Dashboard.js';
import { event, okProbe, rounds, sessionStart, storeOf, T0 } from './helpers/events.js';
import { renderAt, settle, type Rendered } from './helpers/render-at.js';

const DOWN = '\x1b[B';
let mounted: Rendered | undefined;
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
});

function demoStore(): SessionStore {
  return storeOf([
    sessionStart(['gcr.io', 'eu.gcr.io', 'us-docker.pkg.dev'], 1000, { demo: true }),
    event<PushStartEvent>(500, {
      type: 'push.start',
      argv: ['docker', 'push', 'gcr.io/demo/app:1'],
      tool: 'docker',
      registry: 'gcr.io',
    }),
    ...rounds('gcr.io', [10, 11, 10, 40, 180, undefined, undefined, 25, 10, 10]),
    ...rounds('eu.gcr.io', [20, 20, 21, 20, 20, 20, 22, 20, 20, 20]),
    ...rounds('us-docker.pkg.dev', [15, 15, 15, 15, 15, 15, 15, 15, 15, 15]),
    event<PushRetryEvent>(6_050, { type: 'push.retry', attempt: 1, layer: 'cbb277760eee', delaySeconds: 5 }),
  ]);
}

function mount(store: SessionStore, columns: number, rows: number, extra: Partial<DashboardProps> = {}) {
  const props: DashboardProps = {
    store,
    version: '0.1.0',
    logPath: '/tmp/gcrwatch-test.ndjson',
    color: false,
    interactive: true,
    now: () => T0 + 12_000,
    refreshMs: 10,
    onQuit: vi.fn(),
    onInterrupt: vi.fn(),
    ...extra,
  };
  mounted = renderAt(<Dashboard {...props} />, columns, rows);
  return { r: mounted, props };
}

function frameLines(r: Rendered): string[] {
  return r.lastFrame().replace(/\n$/, '').split('\n');
}

function expectFits(r: Rendered, columns: number, rows: number) {
  const out = frameLines(r);
  expect(out.length, out.join('\n')).toBeLessThanOrEqual(rows - 1);
  for (const l of out) expect(stringWidth(l), l).toBeLessThanOrEqual(columns);
}

describe('Dashboard at 120x40', () => {
  it('shows the header with DEMO, every endpoint, the chart with the retry under its round, the panels and the log', async () => {
    const { r } = mount(demoStore(), 120, 40);
    await settle();
    expectFits(r, 120, 40);
    const out = frameLines(r);
    expect(out[0]).toMatch(/^gcrwatch 0\.1\.0 {2}DEMO +up 3\/3 {2}every 1s {2}12s {2}log \/tmp\/gcrwatch-test\.ndjson/);
    expect(out[1]).toBe('all 3 endpoints answering');
    // The push target is selected first, and WARN: two of its rounds were lost.
    expect(out.find((l) => l.startsWith('>'))).toMatch(/^> WARN \*gcr\.io .* 20% lost$/);
    expect(out.some((l) => /^ {2}OK +eu\.gcr\.io/.test(l))).toBe(true);
    expect(out.some((l) => /^ {2}OK +us-docker\.pkg\.dev/.test(l))).toBe(true);
    const title = out.findIndex((l) => l.startsWith('latency ms  gcr.io  total'));
    expect(title).toBeGreaterThan(0);
    const axis = out.find((l) => l.includes('└'))!;
    const marker = out.find((l) => l.startsWith(' push '))!;
    expect(axis.indexOf('×')).toBe(sampleColumn(LABEL_WIDTH, 5));
    // push.start at 0.5 s goes to round 0 (1 s): S; the retry at 6.05 s to round 5 (6 s), a timeout.
    expect(marker.indexOf('S')).toBe(sampleColumn(LABEL_WIDTH, 0));
    expect(marker.indexOf('1')).toBe(sampleColumn(LABEL_WIDTH, 5));
    expect(out.some((l) => l.includes('push docker push gcr.io/demo/app:1'))).toBe(true);
    expect(out.some((l) => l.includes('push retry #1 layer cbb277760eee in 5s'))).toBe(true);
    expect(out[out.length - 1]).toMatch(/^q quit {2}up\/down endpoint {2}p phase:total/);
  });

  it('answers p, c, up/down, ?, space, e, q and Ctrl-C', async () => {
    const store = demoStore();
    const onExport = vi.fn(async () => '/tmp/export.ndjson');
    const { r, props } = mount(store, 120, 40, { onExport });
    await settle();
    r.stdin.write('p');
    await settle();
    expect(frameLines(r).some((l) => l.startsWith('latency ms  gcr.io  DNS'))).toBe(true);
    r.stdin.write('c');
    await settle();
    expect(frameLines(r).some((l) => l.includes('DNS  vs median of 3'))).toBe(true);
    r.stdin.write(DOWN);
    await settle();
    expect(frameLines(r).some((l) => l.startsWith('latency ms  eu.gcr.io  DNS'))).toBe(true);
    expect(frameLines(r).some((l) => /^> OK +eu\.gcr\.io/.test(l))).toBe(true);
    r.stdin.write('?');
    await settle();
    expect(frameLines(r).some((l) => l.startsWith('keys'))).toBe(true);
    expect(frameLines(r).some((l) => l.startsWith('latency ms'))).toBe(false);
    r.stdin.write('?');
    await settle();
    expect(frameLines(r).some((l) => l.startsWith('latency ms'))).toBe(true);

    // Paused: new rounds change nothing on screen; resumed: they show.
    r.stdin.write(' ');
    await settle();
    const paused = r.lastFrame();
    expect(paused).toContain('PAUSED');
    store.onEvent(okProbe('eu.gcr.io', 13_000, { dns: 1, connect: 1, tls: 5, ttfb: 5, total: 999 }, 11));
    store.flush();
    await settle();
    expect(r.lastFrame()).toBe(paused);
    r.stdin.write(' ');
    await settle();
    expect(r.lastFrame()).not.toContain('PAUSED');
    expect(r.lastFrame()).toContain('11 rounds');

    r.stdin.write('e');
    await settle();
    expect(onExport).toHaveBeenCalledTimes(1);
    expect(frameLines(r).at(-1)).toMatch(/^exported to \/tmp\/export\.ndjson/);
    r.stdin.write('q');
    await settle();
    expect(props.onQuit).toHaveBeenCalledTimes(1);
    r.stdin.write('\x03');
    await settle();
    expect(props.onInterrupt).toHaveBeenCalledTimes(1);
  });
});

describe('Dashboard export notice', () => {
  it('names where the export went, then gives the key hints back', async () => {
    const onExport = vi.fn(async () => '/tmp/gcrwatch/sessions/gcrwatch-export-2026-03-02T10-00-12Z.ndjson');
    const { r } = mount(demoStore(), 80, 24, { onExport, noticeMs: 300 });
    await settle();
    r.stdin.write('e');
    await vi.waitFor(() =>
      expect(frameLines(r).at(-1)).toMatch(/^exported to \/tmp\/gcrwatch\/sessions\/gcrwatch-export-/),
    );
    // The path pushed the keys off the line; they come back once the notice has been read.
    expect(frameLines(r).at(-1)).not.toContain('q quit');
    await vi.waitFor(() => expect(frameLines(r).at(-1)).toMatch(/^q quit {2}up\/down endpoint/), { timeout: 3000 });
  });
});

describe('Dashboard when the terminal changes size', () => {
  it('degrades at 70x20 and comes back at 120x40, never taller than the terminal', async () => {
    const { r } = mount(demoStore(), 120, 40);
    await settle();
    r.resize(70, 20);
    await settle();
    expectFits(r, 70, 20);
    const small = frameLines(r);
    expect(small[0]).toMatch(/^gcrwatch {2}DEMO/);
    expect(small.some((l) => /eu\.gcr\.io/.test(l))).toBe(true);
    expect(small.some((l) => l.includes('└'))).toBe(true);
    expect(small.some((l) => l.includes('1-9 retry #'))).toBe(false);
    expect(small.some((l) => /^ +\d\d:\d\d:\d\d$/.test(l))).toBe(false);
    r.resize(120, 40);
    await settle();
    expectFits(r, 120, 40);
    expect(frameLines(r).some((l) => l.startsWith('events'))).toBe(true);
  });

  it('fits every size from 20x5 to 200x60 without crashing', async () => {
    const { r } = mount(demoStore(), 120, 40);
    for (const [c, rows] of [
      [20, 5],
      [40, 10],
      [79, 23],
      [80, 24],
      [100, 30],
      [200, 60],
      [30, 3],
    ] as const) {
      r.resize(c, rows);
      await settle(5);
      expectFits(r, c, rows);
    }
  });
});

describe('Dashboard without colour', () => {
  it('writes no escape sequences when colour is off', async () => {
    const { r } = mount(demoStore(), 120, 40, { color: false });
    await settle();
    expect(r.lastFrame()).not.toMatch(/\x1b\[[0-9;]*m/);
  });
  it('says keys are off without raw-mode input', async () => {
    const { r } = mount(demoStore(), 120, 40, { interactive: false });
    await settle();
    expect(frameLines(r).at(-1)).toMatch(/^keys off/);
  });

  it('runs with a piped stdin (no isTTY at all) without asking for raw mode', async () => {
    const props: DashboardProps = {
      store: demoStore(),
      version: '0.1.0',
      color: false,
      interactive: true,
      now: () => T0,
      onQuit: vi.fn(),
      onInterrupt: vi.fn(),
    };
    mounted = renderAt(<Dashboard {...props} />, 120, 40, true);
    await settle();
    expect(frameLines(mounted).at(-1)).toMatch(/^keys off/);
    expect(mounted.lastFrame()).not.toMatch(/Raw mode is not supported/);
  });
});

import stringWidth from 'string-width';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PushOutputEvent, PushRetryEvent, PushStartEvent } from '../../src/core/events.js';
import type { SessionStore } from '../../src/core/store.js';
import { sampleColumn } from '../../src/ui/chart-layout.js';
import { LABEL_WIDTH } from '../../src/ui/chart-model.js';
import { Dashboard, tooSmallText, type DashboardProps } from '../../src/ui/Dashboard.js';
import { MIN_SIZE } from '../../src/ui/layout.js';
import { event, okProbe, rounds, sessionStart, storeOf, T0 } from './helpers/events.js';
import { dashboardShown, mountDashboard } from './helpers/dashboard.js';
import { linesOf, renderAt, type Rendered } from './helpers/render-at.js';

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
    event<PushOutputEvent>(6_060, {
      type: 'push.output',
      stream: 'stdout',
      line: 'cbb277760eee: Retrying in 5 seconds',
    }),
  ]);
}

function mount(store: SessionStore, columns: number, rows: number, extra: Partial<DashboardProps> = {}) {
  const m = mountDashboard(store, columns, rows, { logPath: '/tmp/gcrwatch-test.ndjson', ...extra });
  mounted = m.r;
  return m;
}

function expectFits(frame: string, columns: number, rows: number) {
  const out = linesOf(frame);
  expect(out.length, frame).toBeLessThanOrEqual(rows - 1);
  for (const l of out) expect(stringWidth(l), l).toBeLessThanOrEqual(columns);
}

describe('Dashboard at 120x40', () => {
  it('shows the header with DEMO, every endpoint, the chart with the retry under its round, the panels and the log', async () => {
    const { r } = mount(demoStore(), 120, 40);
    const frame = await r.waitForFrame('the dashboard', dashboardShown);
    expectFits(frame, 120, 40);
    const out = linesOf(frame);
    expect(out[0]).toMatch(
      /^gcrwatch 0\.1\.0 {2}DEMO +up 3\/3 {2}every 1s {2}12s push running log \/tmp\/gcrwatch-test\.ndjson/,
    );
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
    // The push panel's title names the command; how the push stands is the line under it.
    const pushTitle = out.findIndex((l) => l.endsWith('push docker push gcr.io/demo/app:1'));
    expect(pushTitle, frame).toBeGreaterThan(0);
    const panelX = out[pushTitle]!.lastIndexOf('push docker push');
    expect(out[pushTitle + 1]!.slice(panelX)).toMatch(/^running {2}11s {2}1 retry$/);
    expect(out.some((l) => l.includes('| cbb277760eee: Retrying in 5 seconds'))).toBe(true);
    expect(out.some((l) => l.includes('push retry #1 layer cbb277760eee in 5s'))).toBe(true);
    expect(out[out.length - 1]).toMatch(/^q quit {2}↑↓ endpoint {2}enter details {2}f findings {2}p phase:total/);
  });

  it('answers p, c, up/down, ?, space, e, q and Ctrl-C', async () => {
    const store = demoStore();
    const onExport = vi.fn(async () => '/tmp/export.ndjson');
    const { r, props } = mount(store, 120, 40, { onExport });
    await r.waitForFrame('the dashboard', dashboardShown);
    r.stdin.write('p');
    await r.waitForFrame('the DNS phase', (f) => /^latency ms {2}gcr\.io {2}DNS/m.test(f));
    r.stdin.write('c');
    await r.waitForFrame('the median', (f) => f.includes('DNS  vs median of 3'));
    r.stdin.write(DOWN);
    const down = await r.waitForFrame('eu.gcr.io', (f) => /^latency ms {2}eu\.gcr\.io {2}DNS/m.test(f));
    expect(down).toMatch(/^> OK +eu\.gcr\.io/m);
    r.stdin.write('?');
    const help = await r.waitForFrame('the help', (f) => /^keys$/m.test(f));
    expect(help).not.toContain('latency ms');
    r.stdin.write('?');
    await r.waitForFrame('the dashboard again', dashboardShown);

    // Paused: new rounds change nothing on screen (a key's frame shows the old data); resumed: they show.
    r.stdin.write(' ');
    await r.waitForFrame('PAUSED', (f) => f.includes('PAUSED'));
    store.onEvent(okProbe('eu.gcr.io', 13_000, { dns: 1, connect: 1, tls: 5, ttfb: 5, total: 999 }, 11));
    store.flush();
    r.stdin.write('p');
    const paused = await r.waitForFrame('the TCP phase while paused', (f) =>
      /^latency ms {2}eu\.gcr\.io {2}TCP/m.test(f),
    );
    expect(paused).toContain('(10 rounds');
    r.stdin.write(' ');
    const resumed = await r.waitForFrame('the new round', (f) => f.includes('(11 rounds'));
    expect(resumed).not.toContain('PAUSED');

    r.stdin.write('e');
    const exported = await r.waitForFrame('the export', (f) => /^exported to \/tmp\/export\.ndjson/m.test(f));
    expect(onExport).toHaveBeenCalledTimes(1);
    expect(linesOf(exported).at(-1)).toMatch(/^exported to \/tmp\/export\.ndjson q quit/);
    r.stdin.write('q');
    await r.waitForFrame('quitting', (f) => /^quitting\.\.\./m.test(f));
    expect(props.onQuit).toHaveBeenCalledTimes(1);
    r.stdin.write('\x03');
    await vi.waitFor(() => expect(props.onInterrupt).toHaveBeenCalledTimes(1));
  });
});

describe('Dashboard while quitting', () => {
  it("shows the owner's notice of what quitting waits for in the key line", async () => {
    let text: string | undefined;
    const listeners = new Set<() => void>();
    const notice = {
      subscribe: (l: () => void) => (listeners.add(l), () => listeners.delete(l)),
      getSnapshot: () => text,
    };
    const { r } = mount(demoStore(), 100, 30, { notice });
    await r.waitForFrame('the dashboard', dashboardShown);
    text = 'quitting: waiting for the wrapped push...';
    for (const l of listeners) l();
    const frame = await r.waitForFrame('the notice', (f) => f.includes('quitting: waiting for the wrapped push...'));
    expect(linesOf(frame).at(-1)).toMatch(/^quitting: waiting for the wrapped push\.\.\. q quit/);
  });
});

describe('Dashboard export notice', () => {
  it('names where the export went, then gives the key hints back', async () => {
    const onExport = vi.fn(async () => '/tmp/gcrwatch/sessions/gcrwatch-export-2026-03-02T10-00-12Z.ndjson');
    const { r } = mount(demoStore(), 80, 24, { onExport, noticeMs: 300 });
    await r.waitForFrame('the dashboard', dashboardShown);
    r.stdin.write('e');
    const shown = await r.waitForFrame('the export notice', (f) =>
      /^exported to \/tmp\/gcrwatch\/sessions\/gcrwatch-export-/.test(linesOf(f).at(-1) ?? ''),
    );
    // The path pushed the keys off the line; they come back once the notice has been read.
    expect(linesOf(shown).at(-1)).not.toContain('q quit');
    await r.waitForFrame('the key hints again', (f) => /^q quit/.test(linesOf(f).at(-1) ?? ''));
  });
});

describe('Dashboard when the terminal changes size', () => {
  it('degrades at 70x20 and comes back at 120x40, never taller than the terminal', async () => {
    const { r } = mount(demoStore(), 120, 40);
    await r.waitForFrame('the dashboard', dashboardShown);
    r.resize(70, 20);
    const small = await r.waitForFrame(
      'the compact layout',
      (f) => linesOf(f).length <= 19 && !f.includes('1-9 retry'),
    );
    expectFits(small, 70, 20);
    const lines = linesOf(small);
    expect(lines[0]).toMatch(/^gcrwatch 0\.1\.0 {2}DEMO/);
    expect(lines.some((l) => /eu\.gcr\.io/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes('└'))).toBe(true);
    expect(lines.some((l) => /^ +\d\d:\d\d:\d\d$/.test(l))).toBe(false);
    // The push lines stay while a push is wrapped.
    expect(lines.some((l) => l.startsWith('push docker push gcr.io/demo/app:1'))).toBe(true);
    expect(lines.some((l) => l.startsWith('running '))).toBe(true);
    r.resize(120, 40);
    const back = await r.waitForFrame('the full layout', (f) => /^events/m.test(f));
    expectFits(back, 120, 40);
  });

  it('fits every size from the minimum to 260x80, and says the terminal is too small below it', async () => {
    const { r } = mount(demoStore(), 120, 40);
    await r.waitForFrame('the dashboard', dashboardShown);
    for (const [c, rows] of [
      [MIN_SIZE.columns, MIN_SIZE.rows],
      [79, 23],
      [80, 24],
      [100, 30],
      [200, 50],
      [260, 80],
    ] as const) {
      r.resize(c, rows);
      const frame = await r.waitForFrame(
        `${c}x${rows}`,
        (f) => linesOf(f).length > 1 && f.includes('latency ms') && linesOf(f)[0]!.length <= c,
      );
      expectFits(frame, c, rows);
    }
    for (const [c, rows] of [
      [20, 5],
      [MIN_SIZE.columns - 1, 40],
      [120, MIN_SIZE.rows - 1],
    ] as const) {
      // The longest words that fit: all of them on a wide terminal.
      if (c === 120)
        expect(tooSmallText({ columns: c, rows })).toBe(
          `terminal 120x${rows} is too small: gcrwatch needs ${MIN_SIZE.columns}x${MIN_SIZE.rows} at least (probing and logging go on; q quits)`,
        );
      r.resize(c, rows);
      const frame = await r.waitForFrame(
        `the message at ${c}x${rows}`,
        (f) => f.trim() === tooSmallText({ columns: c, rows }),
      );
      expect(linesOf(frame)).toHaveLength(1);
      expect(frame.length).toBeLessThanOrEqual(c);
      expect(frame).toContain(`${MIN_SIZE.columns}x${MIN_SIZE.rows}`);
    }
  });
});

describe('Dashboard without colour', () => {
  it('writes no escape sequences when colour is off', async () => {
    const { r } = mount(demoStore(), 120, 40, { color: false });
    const frame = await r.waitForFrame('the dashboard', dashboardShown);
    expect(frame).not.toMatch(/\x1b\[[0-9;]*m/);
  });
  it('says keys are off without raw-mode input', async () => {
    const { r } = mount(demoStore(), 120, 40, { interactive: false });
    const frame = await r.waitForFrame('the dashboard', dashboardShown);
    expect(linesOf(frame).at(-1)).toMatch(/^keys off/);
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
    const frame = await mounted.waitForFrame('the dashboard', dashboardShown);
    expect(linesOf(frame).at(-1)).toMatch(/^keys off/);
    expect(frame).not.toMatch(/Raw mode is not supported/);
  });
});

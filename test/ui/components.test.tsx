import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { PushRetryEvent } from '../../src/core/events.js';
import { buildChartModel, LABEL_WIDTH } from '../../src/ui/chart-model.js';
import { sampleColumn } from '../../src/ui/chart-layout.js';
import { endpointRows } from '../../src/ui/endpoint-rows.js';
import { EndpointTable } from '../../src/ui/EndpointTable.js';
import { helpLines } from '../../src/ui/HelpOverlay.js';
import { maxScrollOf, Overlay, wrapPanelLines } from '../../src/ui/Overlay.js';
import { LatencyChart } from '../../src/ui/LatencyChart.js';
import { Panel } from '../../src/ui/Panel.js';
import { event, rounds, sessionStart, storeOf } from './helpers/events.js';

afterEach(() => cleanup());

const lines = (frame: string | undefined) => (frame ?? '').split('\n');

describe('EndpointTable', () => {
  const store = storeOf([
    sessionStart(['gcr.io', 'eu.gcr.io', 'us.gcr.io']),
    ...rounds('gcr.io', [20, 30]),
    ...rounds('eu.gcr.io', [20, undefined]),
  ]);

  it('shows one row per endpoint, health in words, the selected row marked', () => {
    const { lastFrame } = render(
      <EndpointTable
        rows={endpointRows(store.getSnapshot())}
        selectedId="eu.gcr.io"
        width={100}
        visibleRows={5}
        color={false}
      />,
    );
    const out = lines(lastFrame());
    expect(out[0]).toMatch(/^\s+st\s+endpoint/);
    expect(out[1]).toMatch(/^ {2}OK +gcr\.io /);
    expect(out[2]).toMatch(/^> FAIL +eu\.gcr\.io .*tls\.timeout/);
    expect(out[3]).toMatch(/^ {2}wait +us\.gcr\.io/);
    for (const l of out) expect(l.length).toBeLessThanOrEqual(100);
  });

  it('scrolls to keep the selected row visible and says which rows are shown', () => {
    const { lastFrame } = render(
      <EndpointTable
        rows={endpointRows(store.getSnapshot())}
        selectedId="us.gcr.io"
        width={100}
        visibleRows={2}
        color={false}
      />,
    );
    const out = lines(lastFrame());
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/\[2-3\/3\]$/);
    expect(out[2]).toMatch(/^> wait +us\.gcr\.io/);
  });

  it('drops columns on a narrow terminal without wrapping', () => {
    const { lastFrame } = render(
      <EndpointTable
        rows={endpointRows(store.getSnapshot())}
        selectedId="gcr.io"
        width={60}
        visibleRows={3}
        color={false}
      />,
    );
    const out = lines(lastFrame());
    expect(out).toHaveLength(4);
    for (const l of out) expect(l.length).toBeLessThanOrEqual(60);
    expect(out[0]).not.toContain('address');
  });
});

describe('LatencyChart', () => {
  // TLS slows down, times out twice, and the push retries while it does.
  const totals = [10, 10, 10, 12, 60, 240, undefined, undefined, 30, 10, 10, 10];
  const events = [
    sessionStart(['gcr.io']),
    ...rounds('gcr.io', totals),
    event<PushRetryEvent>(7_100, { type: 'push.retry', attempt: 1, layer: 'cbb277760eee' }),
    event<PushRetryEvent>(9_050, { type: 'push.retry', attempt: 2, layer: 'cbb277760eee' }),
  ];
  const store = storeOf(events);
  const model = buildChartModel({
    snapshot: store.getSnapshot(),
    targetId: 'gcr.io',
    phase: 'total',
    compare: { kind: 'none' },
    width: 100,
    height: 6,
  })!;

  it('draws the plot, the failed rounds on the axis, and the retries under their rounds', () => {
    const { lastFrame } = render(<LatencyChart model={model} width={100} labels legend={1} color={false} />);
    const out = lines(lastFrame());
    expect(out[0]).toContain('latency ms  gcr.io  total  (12 rounds');
    const axis = out.find((l) => l.includes('└'))!;
    const marker = out.find((l) => l.startsWith(' push'))!;
    // Rounds 6 and 7 (0-based) timed out: × under their columns.
    expect([...axis].map((c, i) => (c === '×' ? i : -1)).filter((i) => i >= 0)).toEqual([
      sampleColumn(LABEL_WIDTH, 6),
      sampleColumn(LABEL_WIDTH, 7),
    ]);
    // Retry 1 at 7.1 s sits under round 6 (at 7 s); retry 2 at 9.05 s under round 8 (at 9 s).
    expect(marker.indexOf('1')).toBe(sampleColumn(LABEL_WIDTH, 6));
    expect(marker.indexOf('2')).toBe(sampleColumn(LABEL_WIDTH, 8));
    // The worst latency before the timeouts (240 ms, round 5) is the highest point drawn.
    const plotRows = out.slice(1, 7);
    const highest = plotRows.find((l) => [...l].some((c, i) => i > LABEL_WIDTH && c !== ' '))!;
    expect([...highest].findIndex((c, i) => i > LABEL_WIDTH && c !== ' ')).toBe(sampleColumn(LABEL_WIDTH, 5));
    expect(out[out.length - 1]).toContain('1-9 retry');
  });

  it('draws the first good round after an outage at its own value, not as a fall from before the outage', () => {
    const outage = storeOf([sessionStart(['gcr.io']), ...rounds('gcr.io', [10, 10, 800, undefined, undefined, 2, 2])]);
    const m = buildChartModel({
      snapshot: outage.getSnapshot(),
      targetId: 'gcr.io',
      phase: 'total',
      compare: { kind: 'none' },
      width: 60,
      height: 5,
    })!;
    const { lastFrame } = render(<LatencyChart model={m} width={60} labels legend={1} color={false} />);
    const out = lines(lastFrame());
    const plot = out.slice(1, 6);
    const column = (i: number) => plot.map((row) => [...row][sampleColumn(LABEL_WIDTH, i)] ?? ' ').join('');
    // Round 2 (800 ms) rises to the top; rounds 3 and 4 failed: blank columns, × on the axis.
    expect(column(2).startsWith('╭')).toBe(true);
    expect(column(3).trim()).toBe('');
    expect(column(4).trim()).toBe('');
    // Round 5 (2 ms) is one point on the bottom row: no vertical line down from 800 ms.
    expect(column(5)).toBe('    ─');
    expect(column(6)).toBe('    ─');
    const axis = out.find((l) => l.includes('└'))!;
    expect([...axis][sampleColumn(LABEL_WIDTH, 3)]).toBe('×');
  });

  it('wraps the legend to the width, never cutting it', async () => {
    const { chartLegend } = await import('../../src/ui/chart-model.js');
    const wide = chartLegend(200);
    expect(wide).toHaveLength(1);
    expect(wide[0]).toContain('x cred check failed');
    const narrow = chartLegend(40, 'europe-docker.pkg.dev');
    expect(narrow.length).toBeGreaterThan(1);
    for (const l of narrow) expect(l.length).toBeLessThanOrEqual(40);
    const words = narrow.join('  ');
    for (const glyph of [
      '× fail',
      'S start',
      '1-9 retry',
      'E error',
      'D done',
      'F failed',
      'c cred new',
      'x cred fail',
    ])
      expect(words).toContain(glyph);
    expect(words).toContain('┄ europe-docker.pkg.dev');
  });

  it('leaves out tick labels and legend in compact mode', () => {
    const { lastFrame } = render(<LatencyChart model={model} width={100} labels={false} legend={0} color={false} />);
    expect(lines(lastFrame())).toHaveLength(1 + 6 + 1 + 1);
  });
});

describe('panels and help', () => {
  it('a panel cuts its lines to its height', () => {
    const { lastFrame } = render(
      <Panel
        title="push"
        lines={[1, 2, 3, 4].map((n) => ({ text: `line ${n}`, tone: 'plain' as const }))}
        height={3}
        width={40}
        color={false}
      />,
    );
    expect(lines(lastFrame())).toEqual(['push (+2 more)', 'line 1', 'line 2']);
  });
  it('says what is missing when a panel has nothing, and draws no heading without room for content', () => {
    const { lastFrame } = render(
      <Panel title="credentials" lines={[]} empty="no credential check yet" height={3} width={40} color={false} />,
    );
    expect(lines(lastFrame())).toEqual(['credentials', 'no credential check yet', '']);
    const one = [{ text: 'registry gcr.io: valid', tone: 'ok' as const }];
    expect(render(<Panel title="credentials" lines={one} height={1} width={40} color={false} />).lastFrame()).toBe('');
    expect(render(<Panel title="credentials" lines={[]} height={4} width={40} color={false} />).lastFrame()).toBe('');
  });
  it('the help lists every key, the marker glyphs and the log, and scrolls when it is taller than its room', () => {
    const all = wrapPanelLines(helpLines('/tmp/x.ndjson'), 100);
    const { lastFrame } = render(
      <Overlay title="help" lines={all} height={all.length + 1} width={100} scroll={0} color={false} />,
    );
    const text = lastFrame()!;
    for (const key of ['q ', 'up/down', 'enter', 'f ', 'esc', 'p ', 'c ', 'space', 'e ', '? '])
      expect(text).toContain(`  ${key}`);
    expect(text).toContain('retry #');
    expect(text).toContain('session log: /tmp/x.ndjson');
    expect(text).not.toContain('up/down scroll]');
    // 10 lines of room: the title says which lines are shown; scrolled to the end, the log path shows.
    const short = render(<Overlay title="help" lines={all} height={10} width={100} scroll={0} color={false} />);
    expect(lines(short.lastFrame())).toHaveLength(10);
    expect(lines(short.lastFrame())[0]).toBe(`help  [1-9/${all.length}, up/down scroll]`);
    const end = render(
      <Overlay title="help" lines={all} height={10} width={100} scroll={maxScrollOf(all.length, 10)} color={false} />,
    );
    expect(lines(end.lastFrame()).at(-1)).toBe('session log: /tmp/x.ndjson');
  });
});

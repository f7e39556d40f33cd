import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { PushRetryEvent } from '../../src/core/events.js';
import { buildChartModel, LABEL_WIDTH } from '../../src/ui/chart-model.js';
import { sampleColumn } from '../../src/ui/chart-layout.js';
import { endpointRows } from '../../src/ui/endpoint-rows.js';
import { EndpointTable } from '../../src/ui/EndpointTable.js';
import { HelpOverlay } from '../../src/ui/HelpOverlay.js';
import { LatencyChart } from '../../src/ui/LatencyChart.js';
import { Panel } from '../../src/ui/Panel.js';
import { event, rounds, sessionStart, storeOf, T0 } from './helpers/events.js';

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
        rows={endpointRows(store.state)}
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
        rows={endpointRows(store.state)}
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
      <EndpointTable rows={endpointRows(store.state)} selectedId="gcr.io" width={60} visibleRows={3} color={false} />,
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
    state: store.state,
    targetId: 'gcr.io',
    phase: 'total',
    compare: { kind: 'none' },
    width: 100,
    height: 6,
    now: T0 + 20_000,
  })!;

  it('draws the plot, the failed rounds on the axis, and the retries under their rounds', () => {
    const { lastFrame } = render(<LatencyChart model={model} width={100} labels legend color={false} />);
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
    expect(out[out.length - 1]).toContain('1-9 retry #');
  });

  it('leaves out tick labels and legend in compact mode', () => {
    const { lastFrame } = render(
      <LatencyChart model={model} width={100} labels={false} legend={false} color={false} />,
    );
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
    expect(lines(lastFrame())).toEqual(['push', 'line 1', 'line 2']);
  });
  it('says what is missing when a panel has nothing', () => {
    const { lastFrame } = render(
      <Panel title="credentials" lines={[]} empty="no credential check yet" height={3} width={40} color={false} />,
    );
    expect(lines(lastFrame())).toEqual(['credentials', 'no credential check yet', '']);
  });
  it('the help lists every key and the marker glyphs within its height', () => {
    const { lastFrame } = render(<HelpOverlay height={30} width={100} logPath="/tmp/x.ndjson" color={false} />);
    const text = lastFrame()!;
    for (const key of ['q ', 'up/down', 'p ', 'c ', 'space', 'e ', '? ']) expect(text).toContain(`  ${key}`);
    expect(text).toContain('retry #');
    expect(text).toContain('session log: /tmp/x.ndjson');
    const short = render(<HelpOverlay height={4} width={100} color={false} />);
    expect(lines(short.lastFrame())).toHaveLength(4);
  });
});

/**
 * The live dashboard: header, endpoint table, latency chart with the push marker row,
 * credential and push panels, event log, key line. It reads the session store only (a
 * throttled `useSyncExternalStore`), never the network, so it cannot slow the probes; the
 * same component shows a replayed session when fed a store built from a log.
 */
import { Box, useStdin } from 'ink';
import { useCallback, useMemo, useReducer } from 'react';
import type { StoreSnapshot } from '../core/store.js';
import { BottomArea } from './BottomArea.js';
import { buildChartModel } from './chart-model.js';
import { dashboardView, resolveSelected } from './dashboard-view.js';
import { EndpointTable } from './EndpointTable.js';
import { Header } from './Header.js';
import { HelpOverlay } from './HelpOverlay.js';
import { KeyLine } from './KeyLine.js';
import { LatencyChart } from './LatencyChart.js';
import { chartLines, planLayout } from './layout.js';
import { chartPhases } from './series.js';
import { INITIAL_UI, uiReducer, type KeyCommand, type UiAction } from './ui-state.js';
import { useDashboardKeys } from './use-dashboard-keys.js';
import { useNow } from './use-now.js';
import { useTerminalSize, type TerminalSize } from './use-terminal-size.js';
import { useThrottledStore, type StoreSource } from './use-throttled-store.js';

/**
 * Least time between data-driven redraws. An Ink frame of 120x40 costs 12-15 ms of CPU
 * (bench/tui-render.mjs: most of it Ink tokenizing the styled text of the whole screen) and
 * leaves garbage that grows the heap between collections; one a second, the pace of the
 * fastest rounds, keeps a 1 s session's dashboard near 1.5 % of a core for its frames
 * (bench/watch-cost.mjs measured 3.75 % above headless at two a second).
 */
export const DEFAULT_REFRESH_MS = 1000;

/** Props. Callbacks are how the dashboard asks its owner to act; it does nothing itself. */
export interface DashboardProps {
  store: StoreSource<StoreSnapshot>;
  version: string;
  logPath?: string | null;
  color: boolean;
  /** Keys are read only when this is true and stdin supports raw mode. */
  interactive: boolean;
  /** Fixed size (tests); the terminal's otherwise. */
  size?: TerminalSize;
  now?: () => number;
  /** Least time between redraws caused by data (default 500 ms); keys redraw at once. */
  refreshMs?: number;
  onQuit(): void;
  /** Ctrl-C in raw mode, where the terminal sends no SIGINT. */
  onInterrupt(): void;
  /** Write an export of the session log; resolves with its path. */
  onExport?(): Promise<string>;
  /** How long the export's notice stays before the key hints come back (default 5 s). */
  noticeMs?: number;
  /** The display was paused (true) or resumed (false) with space. */
  onPause?(paused: boolean): void;
}

/** The dashboard. */
export function Dashboard(props: DashboardProps) {
  const { color } = props;
  const clock = props.now ?? Date.now;
  const [ui, dispatch] = useReducer(uiReducer, INITIAL_UI);
  const paused = ui.pausedAt !== undefined;
  const snapshot = useThrottledStore(props.store, props.refreshMs ?? DEFAULT_REFRESH_MS, paused);
  const size = useTerminalSize(props.size);
  const liveNow = useNow(clock, 1000, !paused);
  const now = ui.pausedAt ?? liveNow;
  const { isRawModeSupported } = useStdin();
  // Strictly a boolean: a piped stdin has no isTTY at all, and Ink's useInput takes only
  // `false` as "inactive" (undefined would ask for raw mode and throw).
  const interactive = props.interactive && isRawModeSupported === true;

  // Recomputed per store change only; frozen while paused because the snapshot is.
  const view = useMemo(
    () => dashboardView(snapshot.state, props.version, props.logPath),
    [snapshot, props.version, props.logPath],
  );
  const ids = view.rows.map((r) => r.id);
  const selectedId = resolveSelected(ui.selected, ids, view.pushTarget);
  const layout = planLayout({
    columns: size.columns,
    rows: size.rows,
    targets: ids.length,
    push: Boolean(view.push),
    credentials: view.auth.length > 0,
  });
  const model = useMemo(
    () =>
      layout.chartHeight
        ? buildChartModel({
            state: snapshot.state,
            targetId: selectedId,
            phase: ui.phase,
            compare: ui.compare,
            width: size.columns,
            height: layout.chartHeight,
            until: ui.pausedAt,
            now,
          })
        : undefined,
    // `now` moves every second; the chart only needs it for credential expiry marks, at store changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [snapshot, selectedId, ui.phase, ui.compare, ui.pausedAt, layout.chartHeight, size.columns],
  );

  const onCommand = useCallback(
    (cmd: KeyCommand) => {
      switch (cmd) {
        case 'quit':
          props.onQuit();
          break;
        case 'interrupt':
          props.onInterrupt();
          break;
        case 'up':
        case 'down':
          dispatch({ type: 'move', delta: cmd === 'up' ? -1 : 1, ids, current: selectedId });
          break;
        case 'phase':
          dispatch({ type: 'cycle-phase', phases: chartPhases(view.proxied) });
          break;
        case 'compare':
          dispatch({ type: 'cycle-compare', ids, selected: selectedId });
          break;
        case 'pause':
          dispatch({ type: 'toggle-pause', now: clock() });
          props.onPause?.(!paused);
          break;
        case 'help':
          dispatch({ type: 'toggle-help' });
          break;
        case 'close-help':
          dispatch({ type: 'close-help' });
          break;
        case 'export':
          startExport(props.onExport, dispatch, props.noticeMs ?? NOTICE_MS);
          break;
      }
    },
    [props, ids, selectedId, clock, view.proxied, paused],
  );
  useDashboardKeys(interactive, onCommand);

  const chartBlock = chartLines(layout);
  return (
    <Box flexDirection="column" width={size.columns}>
      <Header info={view.header} now={now} lines={layout.header} width={size.columns} paused={paused} color={color} />
      <EndpointTable
        rows={view.rows}
        selectedId={selectedId}
        width={size.columns}
        visibleRows={layout.tableRows}
        color={color}
      />
      {ui.help ? (
        <HelpOverlay height={chartBlock + layout.bottom} width={size.columns} logPath={props.logPath} color={color} />
      ) : (
        <>
          {chartBlock ? (
            <LatencyChart
              model={model}
              width={size.columns}
              labels={layout.chartLabels}
              legend={layout.chartLegend}
              color={color}
            />
          ) : null}
          <BottomArea view={view} now={now} height={layout.bottom} width={size.columns} color={color} />
        </>
      )}
      {layout.keys ? (
        <KeyLine
          phase={ui.phase}
          compare={ui.compare}
          paused={paused}
          interactive={interactive}
          message={ui.message}
          width={size.columns}
          color={color}
        />
      ) : null}
    </Box>
  );
}

/** The export's notice hides the key hints (a path is long): they come back after this. */
const NOTICE_MS = 5000;

function startExport(
  onExport: DashboardProps['onExport'],
  dispatch: (a: Extract<UiAction, { type: 'message' | 'clear-message' }>) => void,
  noticeMs: number,
): void {
  const notice = (text: string, ok: boolean) => {
    dispatch({ type: 'message', text, ok });
    setTimeout(() => dispatch({ type: 'clear-message', text }), noticeMs).unref();
  };
  if (!onExport) {
    notice('export: not available here', false);
    return;
  }
  dispatch({ type: 'message', text: 'export: writing...', ok: true });
  onExport().then(
    (path) => notice(`exported to ${path}`, true),
    (err: unknown) => notice(`export failed: ${err instanceof Error ? err.message : String(err)}`, false),
  );
}

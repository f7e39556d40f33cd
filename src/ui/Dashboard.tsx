/**
 * The live dashboard: header, endpoint table, latency chart with the push marker row, push
 * and credential panels, event log, key line; and the views over it (help, the findings, a
 * finding's evidence and next step, an endpoint's last round). It reads the session store
 * only (immutable snapshots, at most one frame a second), never the network, so it cannot
 * slow the probes; the same component shows a replayed session when fed a store built from
 * a log.
 */
import { Box, Text, useStdin } from 'ink';
import { useCallback, useMemo, useReducer, useSyncExternalStore } from 'react';
import type { StoreSnapshot } from '../core/store.js';
import { BottomArea } from './BottomArea.js';
import { chartLegend } from './chart-model.js';
import { credentialLines } from './credential-lines.js';
import { dashboardView, resolveSelected, type DashboardView } from './dashboard-view.js';
import { endpointDetailLines } from './endpoint-detail.js';
import { startExport } from './export-notice.js';
import { EndpointTable } from './EndpointTable.js';
import { findingDetailLines, findingListLines } from './finding-lines.js';
import { Header, type ReplayInfo } from './Header.js';
import { helpLines } from './HelpOverlay.js';
import { KeyLine } from './KeyLine.js';
import { LatencyChart } from './LatencyChart.js';
import { chartLines, MIN_SIZE, overlayLines, panelWidthFor, planLayout, SIDE_BY_SIDE_WIDTH } from './layout.js';
import { pushLinesWanted } from './push-lines.js';
import { maxScrollOf, Overlay, wrapPanelLines } from './Overlay.js';
import type { PanelLine } from './panel-line.js';
import { chartPhases } from './series.js';
import { toneStyle } from './theme.js';
import { INITIAL_UI, uiReducer, type KeyCommand, type UiAction, type UiState } from './ui-state.js';
import { useChartModel } from './use-chart-model.js';
import { useDashboardKeys } from './use-dashboard-keys.js';
import { useFrames, type StoreSource } from './use-frames.js';
import { useTerminalSize, type TerminalSize } from './use-terminal-size.js';

/**
 * Least time between frames. A frame redraws the whole screen whatever changed (Ink's cost
 * is the screen's characters; bench/tui-render.mjs measures it), so data and the clock
 * share one frame a second, the pace of the fastest rounds.
 */
export const DEFAULT_REFRESH_MS = 1000;

/** How long a message (an export's path) stays in the key line. */
export const MESSAGE_MS = 8000;

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
  /** Least time between frames (default DEFAULT_REFRESH_MS); keys redraw at once. */
  refreshMs?: number;
  /** Set when the store is fed by a replay: the header says REPLAY, its speed and where it is. */
  replay?: ReplayInfo;
  /** A notice from the owner for the key line (what quitting waits for). */
  notice?: StoreSource<string | undefined>;
  onQuit(): void;
  /** Ctrl-C in raw mode, where the terminal sends no SIGINT. */
  onInterrupt(): void;
  /** Write an export of the session log; resolves with its path. */
  onExport?(): Promise<string>;
  /** How long the export's notice stays before the key hints come back (default MESSAGE_MS). */
  noticeMs?: number;
  /** The display was paused (true) or resumed (false) with space. */
  onPause?(paused: boolean): void;
}

const noSubscription = () => () => undefined;
const noNotice = () => undefined;

/** The clock shown moves until the session (or the replayed log) ends. */
function clockMoves(snapshot: StoreSnapshot): boolean {
  return snapshot.end === undefined;
}

/** The overlay of the view shown: its title, lines (wrapped) and the selected line of a list. */
interface OverlayContent {
  title: string;
  lines: PanelLine[];
  selected?: number;
}

function overlayContent(
  ui: UiState,
  view: DashboardView,
  snapshot: StoreSnapshot,
  selectedId: string | undefined,
  width: number,
  logPath: string | null | undefined,
): OverlayContent | undefined {
  switch (ui.view.kind) {
    case 'help':
      return { title: 'help', lines: wrapPanelLines(helpLines(logPath), width) };
    case 'findings':
      return {
        title: `findings that hold now (${view.findings.length}), best first`,
        lines: findingListLines(view.findings),
        selected: view.findings.length ? Math.min(ui.view.index, view.findings.length - 1) : undefined,
      };
    case 'finding': {
      const index = Math.min(ui.view.index, view.findings.length - 1);
      const f = view.findings[index];
      const lines = f
        ? findingDetailLines(f, snapshot.recent)
        : [{ text: 'this finding no longer holds', tone: 'dim' as const }];
      return {
        title: f ? `finding ${index + 1} of ${view.findings.length}` : 'finding',
        lines: wrapPanelLines(lines, width),
      };
    }
    case 'endpoint': {
      const target = selectedId === undefined ? undefined : snapshot.targets.get(selectedId);
      const lines = target
        ? endpointDetailLines(target, width)
        : [{ text: 'no endpoint selected', tone: 'dim' as const }];
      return { title: 'endpoint: last round', lines: wrapPanelLines(lines, width) };
    }
    default:
      return undefined;
  }
}

/** The dashboard. */
export function Dashboard(props: DashboardProps) {
  const { color, version, logPath, replay } = props;
  const clock = props.now ?? Date.now;
  const [ui, dispatch] = useReducer(uiReducer, INITIAL_UI);
  const paused = ui.paused !== undefined;
  const frame = useFrames(props.store, props.refreshMs ?? DEFAULT_REFRESH_MS, clock, clockMoves, paused);
  const snapshot = ui.paused?.snapshot ?? frame.snapshot;
  const now = ui.paused?.at ?? frame.now;
  const size = useTerminalSize(props.size);
  const notice = useSyncExternalStore(props.notice?.subscribe ?? noSubscription, props.notice?.getSnapshot ?? noNotice);
  const { isRawModeSupported } = useStdin();
  // Strictly a boolean: a piped stdin has no isTTY at all, and Ink's useInput takes only
  // `false` as "inactive" (undefined would ask for raw mode and throw).
  const interactive = props.interactive && isRawModeSupported === true;

  const view = useMemo(() => dashboardView(snapshot, version, logPath, replay), [snapshot, version, logPath, replay]);
  const ids = useMemo(() => view.rows.map((r) => r.id), [view.rows]);
  const selectedId = resolveSelected(ui.selected, ids, view.pushTarget);
  const credentials = useMemo(
    () => credentialLines(view.auth, view.authFindings, { now, pushHost: view.pushHost, history: snapshot.markers }),
    [view, now, snapshot.markers],
  );
  const compareLabel =
    ui.compare.kind === 'median' ? `median of ${ids.length}` : ui.compare.kind === 'target' ? ui.compare.id : undefined;
  const layout = planLayout({
    columns: size.columns,
    rows: size.rows,
    targets: ids.length,
    push: view.push
      ? pushLinesWanted(view.push, size.columns < SIDE_BY_SIDE_WIDTH ? size.columns : panelWidthFor(size.columns))
      : 0,
    credentials: credentials.length,
    legend: chartLegend(size.columns, compareLabel).length,
  });
  const model = useChartModel(snapshot, selectedId, ui, layout, size.columns);
  const overlay = useMemo(
    () => overlayContent(ui, view, snapshot, selectedId, size.columns, logPath),
    [ui, view, snapshot, selectedId, size.columns, logPath],
  );
  const overlayHeight = overlayLines(layout);

  const onCommand = useCallback(
    (cmd: KeyCommand) => {
      const moveBy = (delta: number): UiAction => ({
        type: 'move',
        delta,
        ids,
        current: selectedId,
        findings: view.findings.length,
        maxScroll: maxScrollOf(overlay?.lines.length ?? 0, overlayHeight),
      });
      const page = Math.max(1, overlayHeight - 2);
      switch (cmd) {
        case 'quit':
          dispatch({ type: 'message', text: 'quitting...', ok: true, at: clock() });
          props.onQuit();
          break;
        case 'interrupt':
          props.onInterrupt();
          break;
        case 'up':
        case 'down':
          dispatch(moveBy(cmd === 'up' ? -1 : 1));
          break;
        case 'page-up':
        case 'page-down':
          dispatch(moveBy(cmd === 'page-up' ? -page : page));
          break;
        case 'open':
          dispatch({ type: 'open', findings: view.findings.length });
          break;
        case 'back':
          dispatch({ type: 'back' });
          break;
        case 'findings':
          dispatch({ type: 'toggle-findings' });
          break;
        case 'help':
          dispatch({ type: 'toggle-help' });
          break;
        case 'phase':
          dispatch({ type: 'cycle-phase', phases: chartPhases(view.proxied) });
          break;
        case 'compare':
          dispatch({ type: 'cycle-compare', ids, selected: selectedId });
          break;
        case 'pause':
          dispatch({ type: 'toggle-pause', now: clock(), snapshot: frame.snapshot });
          props.onPause?.(!paused);
          break;
        case 'export':
          startExport(props.onExport, dispatch, clock, props.noticeMs ?? MESSAGE_MS);
          break;
      }
    },
    [props, ids, selectedId, clock, view, paused, overlay, overlayHeight, frame.snapshot],
  );
  useDashboardKeys(interactive, onCommand);

  if (layout.tooSmall) {
    return (
      <Text wrap="truncate-end" {...toneStyle('warn', color)}>
        {tooSmallText(size)}
      </Text>
    );
  }
  const message = notice
    ? { text: notice, ok: true }
    : ui.message && now - ui.message.at < (props.noticeMs ?? MESSAGE_MS)
      ? ui.message
      : undefined;
  return (
    <Box flexDirection="column" width={size.columns}>
      <Header info={view.header} now={now} lines={layout.header} width={size.columns} paused={paused} color={color} />
      {overlay ? (
        <Overlay
          title={overlay.title}
          lines={overlay.lines}
          height={overlayHeight}
          width={size.columns}
          scroll={'scroll' in ui.view ? ui.view.scroll : 0}
          selected={overlay.selected}
          color={color}
        />
      ) : (
        <>
          <EndpointTable
            rows={view.rows}
            selectedId={selectedId}
            width={size.columns}
            visibleRows={layout.tableRows}
            color={color}
          />
          {chartLines(layout) ? (
            <LatencyChart
              model={model}
              width={size.columns}
              labels={layout.chartLabels}
              legend={layout.chartLegend}
              color={color}
            />
          ) : null}
          <BottomArea
            view={view}
            credentials={credentials}
            now={now}
            plan={layout.bottom}
            width={size.columns}
            color={color}
          />
        </>
      )}
      {layout.keys ? (
        <KeyLine
          view={ui.view.kind}
          phase={ui.phase}
          compare={ui.compare}
          paused={paused}
          interactive={interactive}
          message={message}
          width={size.columns}
          color={color}
        />
      ) : null}
    </Box>
  );
}

/** The one line a too small terminal gets, in the most words that fit. */
export function tooSmallText({ columns, rows }: TerminalSize): string {
  const min = `${MIN_SIZE.columns}x${MIN_SIZE.rows}`;
  const texts = [
    `terminal ${columns}x${rows} is too small: gcrwatch needs ${min} at least (probing and logging go on; q quits)`,
    `${columns}x${rows} is too small: needs ${min}; probing goes on; q quits`,
    `${columns}x${rows}: too small, needs ${min}; q quits`,
    `too small, needs ${min}`,
    `need ${min}`,
  ];
  return texts.find((t) => t.length <= columns) ?? texts[texts.length - 1]!;
}

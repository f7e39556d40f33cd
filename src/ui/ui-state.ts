/**
 * The dashboard's own state (what is selected and shown, not what is measured) and the
 * keys that change it. A pure reducer, so every key's effect is tested without a terminal.
 */
import type { Key } from 'ink';
import type { StoreSnapshot } from '../core/store.js';
import { type ChartPhase } from './series.js';

/** What the second series of the chart is. */
export type Compare = { kind: 'none' } | { kind: 'median' } | { kind: 'target'; id: string };

/** What fills the screen between the header and the key line. */
export type View =
  | { kind: 'main' }
  | { kind: 'help'; scroll: number }
  | { kind: 'findings'; index: number }
  | { kind: 'finding'; index: number; scroll: number }
  | { kind: 'endpoint'; scroll: number };

/** The dashboard's state. */
export interface UiState {
  /** The selected endpoint's id; the push target (or the first) until the user moves. */
  selected?: string;
  phase: ChartPhase;
  compare: Compare;
  /** Set while the display is paused: when, and the snapshot it shows (probing goes on). */
  paused?: { at: number; snapshot: StoreSnapshot };
  view: View;
  /** A one-line message (export written, export failed) and when it was given. */
  message?: { text: string; ok: boolean; at: number };
}

/** The state a dashboard starts in. */
export const INITIAL_UI: UiState = { phase: 'total', compare: { kind: 'none' }, view: { kind: 'main' } };

/** Where a move happens: the endpoints, the findings list, or the lines of a long view. */
export interface MoveContext {
  ids: readonly string[];
  current: string | undefined;
  findings: number;
  /** The largest scroll offset of the view shown (its lines less the lines there is room for). */
  maxScroll: number;
}

/** Everything that changes the UI state. */
export type UiAction =
  | ({ type: 'move'; delta: number } & MoveContext)
  | { type: 'open'; findings: number }
  | { type: 'back' }
  | { type: 'toggle-help' }
  | { type: 'toggle-findings' }
  | { type: 'cycle-phase'; phases: readonly ChartPhase[] }
  | { type: 'cycle-compare'; ids: readonly string[]; selected: string | undefined }
  | { type: 'toggle-pause'; now: number; snapshot: StoreSnapshot }
  | { type: 'message'; text: string; ok: boolean; at: number }
  | { type: 'clear-message'; text: string };

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/** Apply `action`. */
export function uiReducer(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'move':
      return move(state, action);
    case 'open':
      if (state.view.kind === 'main') return { ...state, view: { kind: 'endpoint', scroll: 0 } };
      if (state.view.kind === 'findings' && action.findings > 0)
        return {
          ...state,
          view: { kind: 'finding', index: Math.min(state.view.index, action.findings - 1), scroll: 0 },
        };
      return state;
    case 'back':
      if (state.view.kind === 'finding') return { ...state, view: { kind: 'findings', index: state.view.index } };
      return state.view.kind === 'main' ? state : { ...state, view: { kind: 'main' } };
    case 'toggle-help':
      return { ...state, view: state.view.kind === 'help' ? { kind: 'main' } : { kind: 'help', scroll: 0 } };
    case 'toggle-findings':
      return {
        ...state,
        view:
          state.view.kind === 'findings' || state.view.kind === 'finding'
            ? { kind: 'main' }
            : { kind: 'findings', index: 0 },
      };
    case 'cycle-phase': {
      // A phase that left the list (no proxy any more) restarts the cycle at the first one.
      const at = action.phases.indexOf(state.phase);
      return { ...state, phase: action.phases[(at + 1) % action.phases.length] ?? state.phase };
    }
    case 'cycle-compare':
      return {
        ...state,
        compare: nextCompare(
          state.compare,
          action.ids.filter((id) => id !== action.selected),
        ),
      };
    case 'toggle-pause':
      return state.paused
        ? { ...state, paused: undefined }
        : { ...state, paused: { at: action.now, snapshot: action.snapshot } };
    case 'message':
      return { ...state, message: { text: action.text, ok: action.ok, at: action.at } };
    case 'clear-message':
      // Only the message it was meant for: a newer one keeps its own time on screen.
      return state.message?.text === action.text ? { ...state, message: undefined } : state;
    default:
      return state;
  }
}

/** Up/down: the endpoint on the main screen, the finding in the list, the lines of any other view. */
function move(state: UiState, a: { delta: number } & MoveContext): UiState {
  const view = state.view;
  switch (view.kind) {
    case 'main': {
      if (!a.ids.length) return state;
      const at = Math.max(0, a.current === undefined ? 0 : a.ids.indexOf(a.current));
      return { ...state, selected: a.ids[clamp(at + a.delta, 0, a.ids.length - 1)] };
    }
    case 'findings':
      return { ...state, view: { ...view, index: clamp(view.index + a.delta, 0, Math.max(0, a.findings - 1)) } };
    default:
      return { ...state, view: { ...view, scroll: clamp(view.scroll + a.delta, 0, Math.max(0, a.maxScroll)) } };
  }
}

/** none -> median of all -> each other endpoint -> none. */
export function nextCompare(current: Compare, others: readonly string[]): Compare {
  if (current.kind === 'none') return { kind: 'median' };
  const i = current.kind === 'median' ? -1 : others.indexOf(current.id);
  const next = others[i + 1];
  return next === undefined ? { kind: 'none' } : { kind: 'target', id: next };
}

/** What a key press asks for. */
export type KeyCommand =
  | 'quit'
  | 'interrupt'
  | 'up'
  | 'down'
  | 'page-up'
  | 'page-down'
  | 'open'
  | 'back'
  | 'findings'
  | 'phase'
  | 'compare'
  | 'pause'
  | 'export'
  | 'help';

/** Map a key press (as Ink's useInput reports it) to a command. */
export function commandOfKey(
  input: string,
  key: Pick<Key, 'ctrl' | 'upArrow' | 'downArrow' | 'escape' | 'return' | 'pageUp' | 'pageDown'>,
): KeyCommand | undefined {
  if (key.ctrl && input === 'c') return 'interrupt';
  if (key.upArrow || input === 'k') return 'up';
  if (key.downArrow || input === 'j') return 'down';
  if (key.pageUp) return 'page-up';
  if (key.pageDown) return 'page-down';
  if (key.return) return 'open';
  if (key.escape) return 'back';
  switch (input) {
    case 'q':
      return 'quit';
    case 'p':
      return 'phase';
    case 'c':
      return 'compare';
    case ' ':
      return 'pause';
    case 'e':
      return 'export';
    case 'f':
      return 'findings';
    case '?':
    case 'h':
      return 'help';
    default:
      return undefined;
  }
}

/** The keys, for the help overlay. */
export const KEY_HELP: ReadonlyArray<[string, string]> = [
  ['q', 'quit (Ctrl-C too); a wrapped push is stopped first, and gcrwatch ends with it'],
  ['up/down', 'select the endpoint shown in the chart (j/k too); in a list, select; in a long view, scroll'],
  ['enter', "open the selected endpoint's last round (waterfall, TLS, HTTP answer, error), or the selected finding"],
  ['f', 'the findings that hold now, best first; enter opens one: its evidence and the next step'],
  ['esc', 'back (a finding to the list, any view to the dashboard)'],
  ['p', 'cycle the chart phase: total, DNS, TCP, (PROXY,) TLS, TTFB'],
  ['c', 'compare with: median of all, each other endpoint, none'],
  ['space', 'pause the display (probing continues)'],
  ['e', 'export the session log now (path shown below)'],
  ['?', 'this help (esc or ? closes it); pgup/pgdn scroll a page'],
];

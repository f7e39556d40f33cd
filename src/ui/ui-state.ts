/**
 * The dashboard's own state (what is selected and shown, not what is measured) and the
 * keys that change it. A pure reducer, so every key's effect is tested without a terminal.
 */
import type { Key } from 'ink';
import { type ChartPhase } from './series.js';

/** What the second series of the chart is. */
export type Compare = { kind: 'none' } | { kind: 'median' } | { kind: 'target'; id: string };

/** The dashboard's state. */
export interface UiState {
  /** The selected endpoint's id; the push target (or the first) until the user moves. */
  selected?: string;
  phase: ChartPhase;
  compare: Compare;
  /** Set while the display is paused: the time it was paused at (probing goes on). */
  pausedAt?: number;
  help: boolean;
  /** A one-line message (export written, export failed). */
  message?: { text: string; ok: boolean };
}

/** The state a dashboard starts in. */
export const INITIAL_UI: UiState = { phase: 'total', compare: { kind: 'none' }, help: false };

/** Everything that changes the UI state. */
export type UiAction =
  | { type: 'move'; delta: number; ids: readonly string[]; current: string | undefined }
  | { type: 'cycle-phase'; phases: readonly ChartPhase[] }
  | { type: 'cycle-compare'; ids: readonly string[]; selected: string | undefined }
  | { type: 'toggle-pause'; now: number }
  | { type: 'toggle-help' }
  | { type: 'close-help' }
  | { type: 'message'; text: string; ok: boolean }
  | { type: 'clear-message'; text: string };

/** Apply `action`. */
export function uiReducer(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'move': {
      if (!action.ids.length) return state;
      const at = Math.max(0, action.current === undefined ? 0 : action.ids.indexOf(action.current));
      const next = Math.max(0, Math.min(action.ids.length - 1, at + action.delta));
      return { ...state, selected: action.ids[next] };
    }
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
      return state.pausedAt === undefined ? { ...state, pausedAt: action.now } : { ...state, pausedAt: undefined };
    case 'toggle-help':
      return { ...state, help: !state.help };
    case 'close-help':
      return state.help ? { ...state, help: false } : state;
    case 'message':
      return { ...state, message: { text: action.text, ok: action.ok } };
    case 'clear-message':
      // Only the message it was meant for: a newer one keeps its own time on screen.
      return state.message?.text === action.text ? { ...state, message: undefined } : state;
    default:
      return state;
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
  'quit' | 'interrupt' | 'up' | 'down' | 'phase' | 'compare' | 'pause' | 'export' | 'help' | 'close-help';

/** Map a key press (as Ink's useInput reports it) to a command. */
export function commandOfKey(
  input: string,
  key: Pick<Key, 'ctrl' | 'upArrow' | 'downArrow' | 'escape'>,
): KeyCommand | undefined {
  if (key.ctrl && input === 'c') return 'interrupt';
  if (key.upArrow || input === 'k') return 'up';
  if (key.downArrow || input === 'j') return 'down';
  if (key.escape) return 'close-help';
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
    case '?':
    case 'h':
      return 'help';
    default:
      return undefined;
  }
}

/** The keys, for the help overlay and the key line. */
export const KEY_HELP: ReadonlyArray<[string, string]> = [
  ['q', 'quit (Ctrl-C too); a wrapped push is stopped first, and gcrwatch ends with it'],
  ['up/down', 'select the endpoint shown in the chart (j/k too)'],
  ['p', 'cycle the chart phase: total, DNS, TCP, (PROXY,) TLS, TTFB'],
  ['c', 'compare with: median of all, each other endpoint, none'],
  ['space', 'pause the display (probing continues)'],
  ['e', 'export the session log now (path shown below)'],
  ['?', 'this help (Esc or ? closes it)'],
];

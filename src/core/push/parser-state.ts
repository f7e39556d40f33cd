/**
 * What every push-output parser shares: the event drafts it returns, the memory it keeps
 * between lines, and the small steps all of them take (a layer changed state, an error text
 * was seen). A parser is deterministic and does no I/O: the same lines in the same order
 * always give the same events. Its memory is this explicit `ParserState`, owned by the caller.
 */
import type { EventInput, LayerState } from '../events.js';
import { classifyPushError, unknownPushError, type PushErrorClass } from './classify-push-error.js';

/** The events a parser can derive from a line (push.start/output/end belong to the wrapper). */
export type PushEventDraft = Extract<EventInput, { type: 'push.layer' | 'push.retry' | 'push.error' | 'push.digest' }>;

/** One line of the child's output, already split and cleaned. */
export interface PushLine {
  text: string;
  stream: 'stdout' | 'stderr';
}

/** A parser: one line in, the events it implies out; `state` is its memory. */
export type PushLineParser = (line: PushLine, state: ParserState) => PushEventDraft[];

/** Most layers remembered; an image with more is unusual, and memory must stay bounded. */
const MAX_LAYERS = 1000;

/** A parser's memory between lines. */
export class ParserState {
  /** Last known state of each layer, to report changes and not every progress line. */
  readonly layers = new Map<string, LayerState>();
  /** The seconds of the last "Retrying in N" line of a layer while its countdown runs. */
  readonly countdowns = new Map<string, number>();
  /** Retries started per layer (`''` for retries a tool does not tie to a layer). */
  readonly attempts = new Map<string, number>();
  /** The last error text reported, so that a repeated line is one error. */
  lastError?: string;
}

/** `sha256:0123abcd...` or `0123abcd...` -> the 12-hex short id docker shows. */
export function shortLayerId(raw: string): string {
  const m = /^(?:sha256:)?([0-9a-f]{12,64})$/i.exec(raw.trim());
  return m ? m[1]!.slice(0, 12).toLowerCase() : raw.trim();
}

/** A `push.layer` draft when `layer` enters `next`, nothing when it is already there. */
export function layerChange(state: ParserState, layer: string, next: LayerState): PushEventDraft[] {
  if (state.layers.get(layer) === next) return [];
  if (!state.layers.has(layer) && state.layers.size >= MAX_LAYERS) return [];
  state.layers.set(layer, next);
  return [{ type: 'push.layer', layer, state: next }];
}

/** Count a new retry of `layer` (or of the whole push for `''`); returns its attempt number. */
export function nextAttempt(state: ParserState, layer: string): number {
  const attempt = (state.attempts.get(layer) ?? 0) + 1;
  if (state.attempts.has(layer) || state.attempts.size < MAX_LAYERS) state.attempts.set(layer, attempt);
  return attempt;
}

/**
 * A `push.error` draft for `text` when it is a known error text — or, with `fallback`, for
 * any text (a line a tool prints as its failure). A text equal to the last error is dropped.
 */
export function errorFrom(state: ParserState, text: string, fallback = false, layer?: string): PushEventDraft[] {
  const cls: PushErrorClass | undefined = classifyPushError(text) ?? (fallback ? unknownPushError() : undefined);
  if (!cls || state.lastError === text) return [];
  state.lastError = text;
  const draft: PushEventDraft = {
    type: 'push.error',
    text,
    code: cls.code,
    category: cls.category,
    retryable: cls.retryable,
  };
  if (layer) draft.layer = layer;
  return [draft];
}

/** A byte count as a tool printed it; undefined past 2^53 (Infinity or a rounded number in the log otherwise). */
export function byteCount(digits: string): number | undefined {
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Seconds of a Go duration as tools print it (`1s`, `1.5s`, `500ms`, `1m0s`); undefined if not one. */
export function goDurationSeconds(text: string): number | undefined {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|µs|us|ns)/gy)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== text) return undefined;
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, µs: 1e-6, ns: 1e-9 };
  return parts.reduce((sum, p) => sum + Number(p[1]) * unit[p[2]!]!, 0);
}

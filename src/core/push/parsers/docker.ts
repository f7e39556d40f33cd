/**
 * `docker push` output (the CLI's jsonmessage rendering, terminal or not):
 *
 *   The push refers to repository [gcr.io/proj/app]
 *   fe33a43fb861: Preparing | Waiting | Pushing [==>  ] 2MB/50MB | Pushed
 *   fe33a43fb861: Layer already exists | Mounted from proj/other | Skipped foreign layer
 *   fe33a43fb861: Retrying in 5 seconds ... Retrying in 1 second
 *   v1: digest: sha256:f293...e047 size: 528
 *   denied: Permission "artifactregistry.repositories.uploadArtifacts" denied ...   (stderr)
 *
 * One retry is the START of a countdown: docker waits 5 s x attempt before attempt n+1 and
 * redraws the status once a second, so `Retrying in 10 seconds` ... `Retrying in 1 second`
 * is one retry. A countdown line starts a new retry unless the layer's previous status was
 * the tick just before it (`Retrying in N+1`) or the same tick redrawn. The attempt is
 * counted per layer.
 */
import {
  byteCount,
  errorFrom,
  layerChange,
  nextAttempt,
  shortLayerId,
  type ParserState,
  type PushEventDraft,
  type PushLine,
} from '../parser-state.js';
import type { LayerState } from '../../events.js';

const STATUS = /^([0-9a-f]{12}|sha256:[0-9a-f]{64}): (.+)$/;
const DIGEST = /^(\S+): digest: (sha256:[0-9a-f]{64}) size: (\d+)$/;
const RETRY = /^Retrying in (\d+) seconds?$/;
/** Lines that are neither status nor error. */
const INFO = /^(The push refers to repository|Using default tag:|WARNING:|Login Succeeded|\w+: Pulling from)/;

const STATES: Array<[RegExp, LayerState]> = [
  [/^Preparing$/, 'preparing'],
  [/^Waiting$/, 'waiting'],
  [/^Pushing\b/, 'pushing'],
  [/^Pushed$/, 'pushed'],
  [/^Layer already exists$/, 'exists'],
  [/^Mounted from /, 'mounted'],
  [/^Skipped foreign layer$/, 'skipped'],
];

/** The layer status, retry and digest lines docker prints; undefined for any other line. */
export function parseDockerStatusLine(text: string, state: ParserState): PushEventDraft[] | undefined {
  const digest = DIGEST.exec(text);
  if (digest) {
    const draft: PushEventDraft = { type: 'push.digest', tag: digest[1]!, digest: digest[2]! };
    const size = byteCount(digest[3]!);
    if (size !== undefined) draft.size = size;
    return [draft];
  }
  const m = STATUS.exec(text);
  if (!m) return undefined;
  const layer = shortLayerId(m[1]!);
  const status = m[2]!.trim();
  const retry = RETRY.exec(status);
  if (retry) return countdownTick(state, layer, Number(retry[1]));
  state.countdowns.delete(layer);
  const found = STATES.find(([re]) => re.test(status));
  // A status docker adds later is not an error: it is just not a state we know.
  return found ? layerChange(state, layer, found[1]) : [];
}

function countdownTick(state: ParserState, layer: string, seconds: number): PushEventDraft[] {
  const previous = state.countdowns.get(layer);
  state.countdowns.set(layer, seconds);
  // The next tick, or the same tick redrawn on a terminal, continues the countdown.
  if (previous === seconds + 1 || previous === seconds) return [];
  return [{ type: 'push.retry', layer, attempt: nextAttempt(state, layer), delaySeconds: seconds }];
}

/** Parse one line of `docker push` output. */
export function parseDockerPushLine(line: PushLine, state: ParserState): PushEventDraft[] {
  const status = parseDockerStatusLine(line.text, state);
  if (status) return status;
  if (INFO.test(line.text)) return [];
  // Docker prints its final error on stderr; on a terminal stdout and stderr are one stream,
  // so a known error text counts wherever it is.
  return errorFrom(state, line.text, line.stream === 'stderr');
}

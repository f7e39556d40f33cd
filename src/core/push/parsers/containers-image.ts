/**
 * Output of the containers/image copy code that podman, skopeo and buildah share:
 *
 *   Getting image source signatures
 *   Copying blob sha256:2cfa...10da                      (not a terminal: the copy starts)
 *   Copying blob 4d228ff828c9 [=====>------] 3.3MiB / 19.1MiB      (terminal: progress)
 *   Copying blob 4d228ff828c9 done | skipped: already exists
 *   Copying config sha256:b066...75f3
 *   Writing manifest to image destination
 *   time="..." level=warning msg="Failed, retrying in 1s ... (1/3). Error: writing blob: ..."
 *   Error: writing blob: ...                            (podman's final error)
 *   time="..." level=fatal msg="trying to reuse blob ..."   (skopeo's final error)
 *
 * Not on a terminal, a blob's end is not printed at all, so reused and uploaded blobs look
 * the same: blobs still being copied when the manifest is written are counted as pushed.
 * The retry line names its own attempt and its cause, which becomes the retry's `cause`.
 */
import { classifyPushError } from '../classify-push-error.js';
import { parseLogrusLine } from '../logrus.js';
import {
  errorFrom,
  goDurationSeconds,
  layerChange,
  shortLayerId,
  type ParserState,
  type PushEventDraft,
  type PushLine,
} from '../parser-state.js';

const BLOB = /^Copying blob (\S+)(?:\s+(.*))?$/;
const RETRY = /^Failed, retrying in (\S+) \.\.\. \((\d+)\/(\d+)\)\. Error: (.*)$/;
function blobLine(state: ParserState, id: string, rest: string): PushEventDraft[] {
  const layer = shortLayerId(id);
  if (/^skipped: already exists/.test(rest)) return layerChange(state, layer, 'exists');
  if (/^done\b/.test(rest)) return layerChange(state, layer, 'pushed');
  return layerChange(state, layer, 'pushing');
}

function retryLine(state: ParserState, m: RegExpExecArray): PushEventDraft[] {
  const cause = m[4]!;
  const draft: PushEventDraft = { type: 'push.retry', attempt: Number(m[2]), cause };
  const delay = goDurationSeconds(m[1]!);
  if (delay !== undefined) draft.delaySeconds = delay;
  const cls = classifyPushError(cause);
  if (cls) draft.causeCode = cls.code;
  state.attempts.set('', Number(m[2]));
  return [draft];
}

/** Blobs still copying when the manifest is written were uploaded (see the file comment). */
function manifestWritten(state: ParserState): PushEventDraft[] {
  const out: PushEventDraft[] = [];
  for (const [layer, s] of state.layers) if (s === 'pushing') out.push(...layerChange(state, layer, 'pushed'));
  return out;
}

/** Parse one line of containers/image copy output (podman push, skopeo copy, buildah push). */
export function parseContainersImageLine(line: PushLine, state: ParserState): PushEventDraft[] {
  const text = line.text;
  const blob = BLOB.exec(text);
  if (blob) return blobLine(state, blob[1]!, blob[2] ?? '');
  if (text === 'Writing manifest to image destination') return manifestWritten(state);
  const log = parseLogrusLine(text);
  const message = log?.message ?? text;
  const retry = RETRY.exec(message);
  if (retry) return retryLine(state, retry);
  if (log) return errorFrom(state, message, log.level === 'fatal' || log.level === 'error' || log.level === 'panic');
  const podmanError = /^Error: (.*)$/.exec(text);
  if (podmanError) return errorFrom(state, podmanError[1]!, true);
  return errorFrom(state, text, false);
}

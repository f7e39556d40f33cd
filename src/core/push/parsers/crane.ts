/**
 * `crane push` / `crane copy` output (go-containerregistry's `logs.Progress` and `logs.Warn`,
 * written to stderr by Go's log package with a `2006/01/02 15:04:05 ` prefix):
 *
 *   2026/11/27 03:20:01 pushed blob: sha256:a399...9196
 *   2026/11/27 03:20:01 existing blob: sha256:...   |   mounted blob: sha256:...
 *   2026/11/27 03:20:02 retrying Patch "https://...": write tcp ...: connection reset by peer
 *   2026/11/27 03:20:03 gcr.io/proj/app:v1: digest: sha256:... size: 528
 *   gcr.io/proj/app@sha256:...                        (stdout: the pushed reference)
 *   Error: PUT https://gcr.io/v2/...: DENIED: Permission ... denied   (cobra's final error)
 *
 * crane does not say which blob a retry is for, nor how long it waits (its default backoff
 * is 1 s, 3 s, 9 s): the retry carries its cause, and the attempt is counted per push.
 */
import { classifyPushError } from '../classify-push-error.js';
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

const LOG_PREFIX = /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? /;
const BLOB = /^(pushed|existing|mounted) blob: (sha256:[0-9a-f]{64})$/;
const RETRY = /^[Rr]etrying (.*)$/;
const DIGEST = /^(\S+): digest: (sha256:[0-9a-f]{64}) size: (\d+)$/;
const REFERENCE = /^(\S+)@(sha256:[0-9a-f]{64})$/;
const STATES: Record<string, LayerState> = { pushed: 'pushed', existing: 'exists', mounted: 'mounted' };

function tagOf(ref: string): string | undefined {
  const m = /:([\w][\w.-]{0,127})$/.exec(ref);
  return m && !m[1]!.includes('/') ? m[1] : undefined;
}

function retryLine(state: ParserState, cause: string): PushEventDraft[] {
  const draft: PushEventDraft = { type: 'push.retry', attempt: nextAttempt(state, ''), cause };
  const cls = classifyPushError(cause);
  if (cls) draft.causeCode = cls.code;
  return [draft];
}

/** Parse one line of crane output. */
export function parseCranePushLine(line: PushLine, state: ParserState): PushEventDraft[] {
  const text = line.text.replace(LOG_PREFIX, '');
  const blob = BLOB.exec(text);
  if (blob) return layerChange(state, shortLayerId(blob[2]!), STATES[blob[1]!]!);
  const digest = DIGEST.exec(text);
  if (digest) {
    const draft: PushEventDraft = { type: 'push.digest', digest: digest[2]! };
    const size = byteCount(digest[3]!);
    if (size !== undefined) draft.size = size;
    const tag = tagOf(digest[1]!);
    if (tag) draft.tag = tag;
    return [draft];
  }
  // The reference on stdout repeats the digest line's digest; it is reported once, there.
  if (REFERENCE.test(text)) return [];
  const retry = RETRY.exec(text);
  if (retry) return retryLine(state, retry[1]!);
  const final = /^Error: (.*)$/.exec(text);
  if (final) return errorFrom(state, final[1]!, true);
  return errorFrom(state, text, false);
}

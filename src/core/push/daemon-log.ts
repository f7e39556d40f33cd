/**
 * Lines of the docker daemon's own log, where the real cause of each push retry is written
 * (the CLI only shows a countdown):
 *
 *   time="2026-11-27T03:09:31.609Z" level=error msg="Upload failed, retrying: write tcp ...: connection reset by peer"
 *   time="2026-11-27T03:14:29.757Z" level=error msg="Upload failed: net/http: TLS handshake timeout"
 *   {"level":"error","msg":"Upload failed, retrying: EOF","time":"..."}        (--log-format json)
 *
 * The same text arrives from a log file, from `journalctl -o cat`, or from dockerd's stderr.
 * Pure functions: no I/O.
 */
import type { ErrorCode } from '../errors.js';
import { classifyPushError } from './classify-push-error.js';
import { parseLogrusLine } from './logrus.js';

/** A daemon log line that matters to a push. */
export interface DaemonLogLine {
  level: string;
  message: string;
  /** For `Upload failed, retrying: X`: X, the cause of the retry that follows. */
  retryCause?: string;
  /** For `Upload failed: X` (and `Not continuing with push after error: X`): the final cause. */
  finalCause?: string;
  /** The push.* code of the cause, when the text is a known one. */
  code?: ErrorCode;
}

const RETRYING = /^Upload failed, retrying: (.*)$/;
const FINAL = /^(?:Upload failed|Not continuing with push after error|Push failed): (.*)$/;
const NOTABLE_LEVELS = new Set(['error', 'fatal', 'panic', 'warning', 'warn']);

function jsonLine(text: string): { level: string; message: string } | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const o = JSON.parse(text) as { level?: unknown; msg?: unknown };
    if (typeof o.msg === 'string') return { level: typeof o.level === 'string' ? o.level : 'info', message: o.msg };
  } catch {
    // Not JSON after all: the text format below may still read it.
  }
  return undefined;
}

/**
 * Read one daemon log line. Returns undefined for lines that do not matter to a push (info
 * and debug chatter), so that only errors, warnings and upload failures become events.
 */
export function parseDaemonLogLine(raw: string): DaemonLogLine | undefined {
  const text = raw.trim();
  const entry = jsonLine(text) ?? parseLogrusLine(text);
  if (!entry) return undefined;
  const retry = RETRYING.exec(entry.message);
  const final = retry ? undefined : FINAL.exec(entry.message);
  if (!retry && !final && !NOTABLE_LEVELS.has(entry.level)) return undefined;
  const out: DaemonLogLine = { level: entry.level, message: entry.message };
  if (retry) out.retryCause = retry[1]!;
  if (final) out.finalCause = final[1]!;
  const code = classifyPushError(retry?.[1] ?? final?.[1] ?? entry.message)?.code;
  if (code) out.code = code;
  return out;
}

/**
 * What a list of sessions shows of each log, read from its ends only: session.start and the
 * push's start are written first, session.end (with its verdict) and the push's end last, so
 * a day-long log costs two small reads, not a full diagnosis. A log cut off before its end
 * still tells its start and its last event's time.
 */
import { open } from 'node:fs/promises';
import type { PushEndEvent, PushStartEvent, SessionEndEvent, SessionEvent, SessionStartEvent } from '../events.js';
import { checkEvent } from './event-schema.js';
import type { SessionFile } from './session-files.js';

/** One session, as far as its log's ends tell. */
export interface SessionSummary {
  file: SessionFile;
  start?: SessionStartEvent;
  end?: SessionEndEvent;
  pushStart?: PushStartEvent;
  pushEnd?: PushEndEvent;
  /** The time (epoch ms) of the last event read: the end of a log cut off before session.end. */
  lastAt?: number;
  /** Why nothing could be read (unreadable, not a session log). */
  problem?: string;
}

/** Bytes read at each end; a wrapped push's start is searched further, up to `HEAD_MAX`. */
const WINDOW = 64 * 1024;
const HEAD_MAX = 1024 * 1024;

/** Summarize the log `file`; never throws (a problem is in `problem`). */
export async function summarizeSession(file: SessionFile): Promise<SessionSummary> {
  const summary: SessionSummary = { file };
  let handle;
  try {
    handle = await open(file.path, 'r');
  } catch (err) {
    return { ...summary, problem: `cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  try {
    const size = (await handle.stat()).size;
    for (let length = WINDOW; ; length *= 4) {
      const { events: head } = await readEvents(handle, 0, Math.min(size, length), length < size);
      summary.start ??= find(head, 'session.start');
      summary.pushStart ??= find(head, 'push.start');
      const wanting = summary.start?.mode === 'wrap' && !summary.pushStart;
      if (!wanting || length >= size || length >= HEAD_MAX) break;
    }
    const from = Math.max(0, size - WINDOW);
    const { events: tail, lastT } = await readEvents(handle, from, size - from, false, from > 0);
    summary.end = findLast(tail, 'session.end');
    summary.pushEnd = findLast(tail, 'push.end');
    const last = Date.parse(lastT ?? '');
    if (Number.isFinite(last)) summary.lastAt = last;
    if (!summary.start && !summary.end) summary.problem = 'no session.start or session.end in it';
  } catch (err) {
    summary.problem = `cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
  } finally {
    await handle.close();
  }
  return summary;
}

/**
 * The events other than probes in bytes [from, from+length) that fit the schema, and the time
 * of the last line that has one; cut lines at either end are dropped.
 */
async function readEvents(
  handle: import('node:fs/promises').FileHandle,
  from: number,
  length: number,
  cutAtEnd: boolean,
  cutAtStart = false,
): Promise<{ events: SessionEvent[]; lastT?: string }> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, from);
  const lines = buffer.subarray(0, bytesRead).toString('utf8').split('\n');
  if (cutAtStart) lines.shift();
  if (cutAtEnd) lines.pop();
  const events: SessionEvent[] = [];
  let lastT: string | undefined;
  for (const line of lines) {
    let value: { t?: unknown; type?: unknown };
    try {
      value = JSON.parse(line) as typeof value;
    } catch {
      continue; // A damaged line says nothing about the session's ends.
    }
    if (typeof value?.t === 'string') lastT = value.t;
    // Probes are not needed here (nor is a probe written as a reference readable alone).
    if (value?.type === 'probe') continue;
    const checked = checkEvent(value);
    if (checked.ok) events.push(checked.event);
  }
  return lastT === undefined ? { events } : { events, lastT };
}

function find<T extends SessionEvent['type']>(events: SessionEvent[], type: T) {
  return events.find((e): e is Extract<SessionEvent, { type: T }> => e.type === type);
}

function findLast<T extends SessionEvent['type']>(events: SessionEvent[], type: T) {
  return events.findLast((e): e is Extract<SessionEvent, { type: T }> => e.type === type);
}

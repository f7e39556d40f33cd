/**
 * Streaming reader of session logs. Memory does not grow with the log: lines are parsed
 * one at a time. Tolerant where a real log can be imperfect — a last line cut off by a
 * crash, events of an older schema, event types from a newer gcrwatch — with one warning
 * each; strict where the file is not a session log at all (empty, binary, not NDJSON, a
 * newer schema version): `LogReadError` with a one-line message naming the file.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { EVENT_TYPES, SCHEMA_VERSION, type SessionEvent } from '../events.js';

/** The log cannot be read as a session log; `message` names the file and the reason. */
export class LogReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogReadError';
  }
}

/** Reader options. `onWarning` receives each tolerated problem once. */
export interface ReadOptions {
  onWarning?: (message: string) => void;
}

const KNOWN = new Set<string>(EVENT_TYPES);

/** Iterate the events of the session log at `path`. */
export async function* readSessionLog(path: string, opts: ReadOptions = {}): AsyncGenerator<SessionEvent> {
  for await (const batch of readSessionLogBatches(path, opts)) yield* batch;
}

/**
 * The events of the session log at `path`, in the batches they were read in (one per chunk of
 * the file, ~64 KB). For a reader of a whole large log: the per-event hand-over of an async
 * generator cost about a second per million events in `report` (node --cpu-prof), as did
 * readline's line splitting; here both happen once per chunk.
 */
export async function* readSessionLogBatches(path: string, opts: ReadOptions = {}): AsyncGenerator<SessionEvent[]> {
  await checkReadable(path);
  const warn = opts.onWarning ?? (() => undefined);
  const tally = { unknown: new Map<string, number>(), bad: 0, older: false, lineNo: 0, events: 0 };
  let held: { line: string; no: number } | undefined;
  /** Take one line; the line before it is complete now (only the file's last may be cut off). */
  const take = (line: string, into: SessionEvent[]) => {
    tally.lineNo++;
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (!text.trim()) return;
    if (held) {
      const event = parseLine(path, held.line, held.no, tally);
      if (event) into.push(event);
    }
    held = { line: text, no: tally.lineNo };
  };
  let rest = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 })) {
    const lines = (rest + (chunk as string)).split('\n');
    rest = lines.pop()!;
    const batch: SessionEvent[] = [];
    for (const line of lines) take(line, batch);
    if (batch.length) yield batch;
  }
  const last: SessionEvent[] = [];
  if (rest) take(rest, last);
  if (held) {
    const event = parseLine(path, held.line, held.no, tally, true, warn);
    if (event) last.push(event);
  }
  if (last.length) yield last;
  if (!tally.events) throw new LogReadError(`${path}: no session events in it`);
  if (tally.older) warn(`${path}: written with an older event schema; read as version ${SCHEMA_VERSION}`);
  if (tally.bad) warn(`${path}: ${tally.bad} malformed line(s) skipped`);
  for (const [type, n] of tally.unknown)
    warn(`${path}: ${n} event(s) of unknown type "${type}" skipped (written by a newer gcrwatch?)`);
}

async function checkReadable(path: string): Promise<void> {
  let size: number;
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new LogReadError(`${path}: is a directory, not a session log`);
    size = s.size;
  } catch (err) {
    if (err instanceof LogReadError) throw err;
    throw new LogReadError(`${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (size === 0) throw new LogReadError(`${path}: is empty, not a session log`);
}

interface Tally {
  unknown: Map<string, number>;
  bad: number;
  older: boolean;
  events: number;
}

function parseLine(
  path: string,
  line: string,
  no: number,
  tally: Tally,
  isLast = false,
  warn?: (m: string) => void,
): SessionEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    if (tally.events === 0 && !isLast)
      throw new LogReadError(`${path}: not a gcrwatch session log (line ${no} is not JSON)`);
    if (isLast && tally.events > 0) {
      warn?.(`${path}: the last line is incomplete (the session was cut off); read up to line ${no - 1}`);
      return undefined;
    }
    if (tally.events === 0) throw new LogReadError(`${path}: not a gcrwatch session log (line ${no} is not JSON)`);
    tally.bad++;
    return undefined;
  }
  if (!isEventShape(value)) {
    if (tally.events === 0)
      throw new LogReadError(`${path}: not a gcrwatch session log (line ${no} is not a gcrwatch event)`);
    tally.bad++;
    return undefined;
  }
  if (value.v > SCHEMA_VERSION) {
    throw new LogReadError(
      `${path}: written by a newer gcrwatch (event schema ${value.v}, this version reads up to ${SCHEMA_VERSION}); upgrade gcrwatch to read it`,
    );
  }
  if (value.v < SCHEMA_VERSION) tally.older = true;
  if (!KNOWN.has(value.type)) {
    tally.unknown.set(value.type, (tally.unknown.get(value.type) ?? 0) + 1);
    return undefined;
  }
  tally.events++;
  return value as unknown as SessionEvent;
}

function isEventShape(v: unknown): v is { v: number; t: string; type: string } {
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return Number.isInteger(o.v) && (o.v as number) >= 1 && typeof o.t === 'string' && typeof o.type === 'string';
}

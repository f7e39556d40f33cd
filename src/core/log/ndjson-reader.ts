/**
 * Streaming reader of session logs. Memory does not grow with the log: lines are parsed
 * one at a time. Every event is checked against the event schema (event-schema.ts) and
 * probes written as references are expanded (probe-refs.ts), so a reader gets complete,
 * typed events. Tolerant where a real log can be imperfect — a last line cut off by a crash,
 * events of an older schema, event types from a newer gcrwatch, events that do not fit the
 * schema — skipping what it cannot use with one warning each kind, naming lines and reasons;
 * strict where the file is not a session log at all (empty, binary, not NDJSON, a newer schema
 * version, no event that fits): `LogReadError` with a one-line message naming the file.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { EVENT_TYPES, SCHEMA_VERSION, type ProbeEvent, type SessionEvent } from '../events.js';
import { checkEvent, PROBE_SCHEMA, describeIssues } from './event-schema.js';
import { isProbeRef, ProbeRefReader, type ProbeRef } from './probe-refs.js';

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
/** Skipped lines named in the warning; the rest are counted. */
const NAMED_SKIPS = 3;

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
  const parser = new LineParser(path);
  let lineNo = 0;
  let held: { line: string; no: number } | undefined;
  /** Take one line; the line before it is complete now (only the file's last may be cut off). */
  const take = (line: string, into: SessionEvent[]) => {
    lineNo++;
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (!text.trim()) return;
    if (held) parser.parse(held.line, held.no, false, into);
    held = { line: text, no: lineNo };
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
  if (held) parser.parse(held.line, held.no, true, last);
  if (last.length) yield last;
  parser.finish(opts.onWarning ?? (() => undefined));
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

/** Turns lines into checked events, and keeps count of what it skipped. */
class LineParser {
  private readonly refs = new ProbeRefReader();
  private readonly unknown = new Map<string, number>();
  private readonly skipped: string[] = [];
  private skips = 0;
  private older = false;
  private cutOff?: number;
  private events = 0;
  /** Whether a line that looks like an event was seen (the file is a session log). */
  private sawEvent = false;

  constructor(private readonly path: string) {}

  /** Parse line `no` and add its event to `into`; throws `LogReadError` when the file is not a session log. */
  parse(line: string, no: number, isLast: boolean, into: SessionEvent[]): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (!this.sawEvent) throw new LogReadError(`${this.path}: not a gcrwatch session log (line ${no} is not JSON)`);
      if (isLast) this.cutOff = no;
      else this.skip(no, 'is not JSON');
      return;
    }
    if (!isEventShape(value)) {
      if (!this.sawEvent)
        throw new LogReadError(`${this.path}: not a gcrwatch session log (line ${no} is not a gcrwatch event)`);
      this.skip(no, 'is not an event (it needs v, t and type)');
      return;
    }
    if (value.v > SCHEMA_VERSION) {
      if (!this.sawEvent)
        throw new LogReadError(
          `${this.path}: written by a newer gcrwatch (event schema ${value.v}, this version reads up to ${SCHEMA_VERSION}); upgrade gcrwatch to read it`,
        );
      // A newer gcrwatch appending to this log (--log FILE), or a damaged line: not this log's schema.
      this.skip(no, `(${value.type}) is of event schema ${value.v}, newer than this version reads`);
      return;
    }
    this.sawEvent = true;
    if (value.v < SCHEMA_VERSION) this.older = true;
    if (!KNOWN.has(value.type)) {
      this.unknown.set(value.type, (this.unknown.get(value.type) ?? 0) + 1);
      return;
    }
    const event = this.check(value);
    if (typeof event === 'string') this.skip(no, `(${value.type}) ${event}`);
    else {
      this.events++;
      into.push(event);
    }
  }

  /** The checked event, or what is wrong with it. */
  private check(value: Record<string, unknown> & { type: string }): SessionEvent | string {
    if (isProbeRef(value)) {
      const expanded = this.refs.expand(value as unknown as ProbeRef);
      return expanded.ok ? expanded.event : expanded.problem;
    }
    if (value.type === 'probe' && 'key' in value) {
      const { key, ...event } = value;
      const result = PROBE_SCHEMA.safeParse(event);
      if (!result.success) return describeIssues(result.error.issues);
      return this.refs.define(key, event as unknown as ProbeEvent) ?? (event as unknown as ProbeEvent);
    }
    const checked = checkEvent(value);
    return checked.ok ? checked.event : checked.problem;
  }

  private skip(no: number, why: string): void {
    this.skips++;
    if (this.skipped.length < NAMED_SKIPS) this.skipped.push(`line ${no} ${why}`);
  }

  /** The end of the file: warn once per kind of problem, or refuse a file with no event in it. */
  finish(warn: (message: string) => void): void {
    if (!this.events) {
      const why = this.skipped.length
        ? `no event in it fits the event schema (${this.skipped[0]})`
        : 'no session events in it';
      throw new LogReadError(`${this.path}: ${why}`);
    }
    if (this.cutOff !== undefined)
      warn(`${this.path}: the last line is incomplete (the session was cut off); read up to line ${this.cutOff - 1}`);
    if (this.older) warn(`${this.path}: written with an older event schema; read as version ${SCHEMA_VERSION}`);
    if (this.skips) {
      const more = this.skips - this.skipped.length;
      warn(
        `${this.path}: ${this.skips} line(s) skipped: ${this.skipped.join('; ')}${more ? `; and ${more} more` : ''}`,
      );
    }
    for (const [type, n] of this.unknown)
      warn(`${this.path}: ${n} event(s) of unknown type "${type}" skipped (written by a newer gcrwatch?)`);
  }
}

function isEventShape(v: unknown): v is Record<string, unknown> & { v: number; t: string; type: string } {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return Number.isInteger(o.v) && (o.v as number) >= 1 && typeof o.t === 'string' && typeof o.type === 'string';
}

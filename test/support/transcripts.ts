/**
 * Recorded push transcripts (test/fixtures/push/) fed through the real reader, with the
 * bytes cut into chunks at chosen places: whole, every N bytes, or one byte at a time.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PushOutputReader, type ReadResult } from '../../src/core/push/output-reader.js';
import { parserFor } from '../../src/core/push/parsers/index.js';
import type { PushEventDraft } from '../../src/core/push/parser-state.js';
import type { PushTool } from '../../src/core/push/push-command.js';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'push');

/** The raw bytes of a fixture file. */
export function fixture(name: string): Buffer {
  return readFileSync(path.join(FIXTURES, name));
}

/** A transcript's streams: `.stdout`/`.stderr`, or a `.tty` recording read as stdout. */
export function transcript(name: string): { stdout: Buffer; stderr: Buffer; exit: number } {
  const tty = path.join(FIXTURES, `${name}.tty`);
  const exit = Number(readFileSync(path.join(FIXTURES, `${name}.exit`), 'utf8').trim());
  if (existsSync(tty)) return { stdout: readFileSync(tty), stderr: Buffer.alloc(0), exit };
  return { stdout: fixture(`${name}.stdout`), stderr: fixture(`${name}.stderr`), exit };
}

function chunks(buf: Buffer, size: number): Buffer[] {
  if (size <= 0) return [buf];
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}

/**
 * Run a transcript through the reader of `tool`, stdout first then stderr (as in a
 * non-terminal recording the order between the two streams is not known), in chunks of
 * `chunkSize` bytes (0: whole).
 */
export function readTranscript(
  tool: PushTool,
  name: string,
  chunkSize = 0,
): { results: ReadResult[]; events: PushEventDraft[] } {
  const t = transcript(name);
  const reader = new PushOutputReader(parserFor(tool));
  const results: ReadResult[] = [];
  for (const stream of ['stdout', 'stderr'] as const) {
    for (const c of chunks(t[stream], chunkSize)) results.push(...reader.feed(stream, c));
    results.push(...reader.end(stream));
  }
  return { results, events: results.flatMap((r) => r.events) };
}

/** Only the events of one type. */
export function ofType<T extends PushEventDraft['type']>(
  events: PushEventDraft[],
  type: T,
): Array<Extract<PushEventDraft, { type: T }>> {
  return events.filter((e): e is Extract<PushEventDraft, { type: T }> => e.type === type);
}

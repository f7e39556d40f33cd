/**
 * The session log, property-based (issue 9): whatever events our writer writes (any text in
 * them: binary, lone surrogates, newlines, secrets), the reader gives back exactly what the
 * writer was handed; a log cut at any byte reads up to its last whole line and names the
 * cut; any file at all either reads or fails with a `LogReadError`, never another exception.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/core/bus.js';
import type { EventInput, SessionEvent } from '../../../src/core/events.js';
import { LogReadError, readSessionLog } from '../../../src/core/log/ndjson-reader.js';
import { NdjsonLogWriter } from '../../../src/core/log/ndjson-writer.js';
import { SessionBuilder } from '../../support/session-builder.js';

let dir: string;
let fileNo = 0;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-logprop-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const nextFile = () => path.join(dir, `s${fileNo++}.ndjson`);

const HOSTS = ['gcr.io', 'europe-west1-docker.pkg.dev'];
/** Events of every shape a live session writes, from the builder (probes, auth, push...). */
const SHAPES: SessionEvent[] = new SessionBuilder(11)
  .start(HOSTS, { push: HOSTS[1] })
  .probeRounds(HOSTS, 0, 4, 2)
  .at(5)
  .probe(HOSTS[0]!, { error: 'dns.nxdomain' })
  .probe(HOSTS[1]!, { error: 'tls.expired' })
  .at(6)
  .pushStart(`${HOSTS[1]}/p/r/a:1`)
  .layer('aaaaaaaaaaaa', 'pushing', 1e7)
  .retry('aaaaaaaaaaaa', 1, 'reset', 'push.connection_reset')
  .pushError('denied: no', 'push.denied')
  .daemon('Upload failed, retrying: EOF', 'push.eof')
  .pushEnd(1, 3000, 1)
  .auth({ view: 'docker', host: HOSTS[0]!, ok: true })
  .end(1)
  .build();

const text = fc.oneof(
  fc.string({ maxLength: 80, unit: 'binary' }),
  fc.string({ maxLength: 80, unit: 'grapheme' }),
  fc.constantFrom('a\nb', '\r\n', '\u2028', '"}\n{"v":1', '\ud800', ''),
);
/** An event input: a builder shape, or an event whose free text is arbitrary. */
const eventInput: fc.Arbitrary<EventInput> = fc.oneof(
  fc.constantFrom(...SHAPES).map(({ v: _v, t: _t, ...rest }) => rest as EventInput),
  text.map((message): EventInput => ({ type: 'warning', code: 'local.error', message })),
  fc
    .tuple(text, fc.constantFrom('stdout' as const, 'stderr' as const))
    .map(([line, stream]): EventInput => ({ type: 'push.output', stream, line })),
  text.map((message): EventInput => ({ type: 'daemon.log', level: 'error', message })),
  fc.tuple(text, fc.array(text, { maxLength: 3 })).map(([summary, evidence]): EventInput => ({
    type: 'diagnosis',
    category: 'network',
    code: 'network.endpoint_failing',
    summary,
    evidence,
    confidence: 'low',
    advice: summary,
  })),
);

/** Write `inputs` through the bus and our writer; returns the file and what the writer was handed. */
function writeLog(inputs: EventInput[]): { file: string; written: SessionEvent[] } {
  const file = nextFile();
  const bus = new EventBus(() => Date.parse('2026-11-27T08:00:00Z'));
  const writer = new NdjsonLogWriter(file, (p) => {
    throw new Error(`log problem: ${p.message}`);
  });
  expect(writer.open()).toBe(true);
  const written: SessionEvent[] = [];
  bus.subscribe({ name: 'capture', onEvent: (e) => written.push(e) });
  bus.subscribe(writer);
  for (const input of inputs) bus.emit(input);
  writer.close();
  return { file, written };
}

async function readBack(file: string): Promise<{ events: SessionEvent[]; warnings: string[] }> {
  const events: SessionEvent[] = [];
  const warnings: string[] = [];
  for await (const e of readSessionLog(file, { onWarning: (w) => warnings.push(w) })) events.push(e);
  return { events, warnings };
}

describe('session log written by our writer', () => {
  it('reads back exactly the events the writer was handed, without a warning', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(eventInput, { minLength: 1, maxLength: 40 }), async (inputs) => {
        const { file, written } = writeLog(inputs);
        const { events, warnings } = await readBack(file);
        expect(events).toEqual(written);
        expect(warnings).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('cut at any byte: reads the whole lines before the cut, names the last line read, never throws anything else', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(eventInput, { minLength: 1, maxLength: 15 }), fc.nat(), async (inputs, at) => {
        const { file, written } = writeLog(inputs);
        const bytes = readFileSync(file);
        const cutAt = at % (bytes.length + 1);
        truncateSync(file, cutAt);
        // The lines that are whole after the cut (a line cut just before its newline is whole).
        const kept = bytes.subarray(0, cutAt).toString('utf8');
        const lines = kept.split('\n');
        const tail = lines.pop()!;
        const wholeTail = tail !== '' && bytes[cutAt] === 0x0a;
        const whole = lines.length + (wholeTail ? 1 : 0);
        const partial = tail !== '' && !wholeTail;
        if (whole === 0) {
          await expect(readBack(file)).rejects.toBeInstanceOf(LogReadError);
          return;
        }
        const { events, warnings } = await readBack(file);
        expect(events).toEqual(written.slice(0, whole));
        if (partial)
          expect(warnings).toEqual([
            `${file}: the last line is incomplete (the session was cut off); read up to line ${whole}`,
          ]);
        else expect(warnings).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});

describe('any file at all', () => {
  const junkLine = fc.oneof(
    fc.string({ maxLength: 60, unit: 'binary' }),
    fc.constantFrom(
      '{}',
      '[]',
      'null',
      '{"v":1}',
      '{"v":2,"t":"x","type":"probe"}',
      '{"v":1,"t":"x","type":"from.the.future"}',
      '{"v":0.5,"t":"x","type":"warning"}',
    ),
  );
  const fileContent = fc.oneof(
    fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a)),
    fc
      .array(
        fc.oneof(
          junkLine,
          fc.constantFrom(...SHAPES).map((e) => JSON.stringify(e)),
        ),
        { maxLength: 12 },
      )
      .map((lines) => Buffer.from(lines.join('\n'))),
  );

  it('reads, or fails with a one-line LogReadError naming the file', async () => {
    await fc.assert(
      fc.asyncProperty(fileContent, async (content) => {
        const file = nextFile();
        writeFileSync(file, content);
        try {
          const { events } = await readBack(file);
          expect(events.length).toBeGreaterThan(0);
          for (const e of events)
            expect(typeof e.type === 'string' && typeof e.t === 'string' && Number.isInteger(e.v)).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(LogReadError);
          expect((err as Error).message.startsWith(`${file}: `)).toBe(true);
          expect((err as Error).message).not.toContain('\n');
        }
      }),
      { numRuns: 300 },
    );
  });
});

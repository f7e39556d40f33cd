/**
 * The push-output reader and every tool's parser, property-based (issue 9): on arbitrary
 * bytes cut at arbitrary places (binary junk, invalid UTF-8, ANSI codes, CR redraws) nothing
 * throws, lines come out clean and the same whatever the cuts, events are well-formed, and
 * status/digest lines written the way the tools write them read back as what was written.
 * A secret in the child's output, even cut across chunks or in an over-long line, never
 * reaches an event. The docker daemon log reader never throws and reads back what logrus writes.
 */
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/core/bus.js';
import { CATEGORIES, ERROR_CODES } from '../../../src/core/errors.js';
import type { LayerState, SessionEvent } from '../../../src/core/events.js';
import { clearRegisteredSecrets, registerSecret } from '../../../src/core/log/redact.js';
import { parseDaemonLogLine } from '../../../src/core/push/daemon-log.js';
import { LineSplitter, MAX_LINE_CHARS, stripAnsi } from '../../../src/core/push/line-splitter.js';
import { PushOutputReader } from '../../../src/core/push/output-reader.js';
import { ParserState, type PushEventDraft } from '../../../src/core/push/parser-state.js';
import { parserFor } from '../../../src/core/push/parsers/index.js';
import type { PushTool } from '../../../src/core/push/push-command.js';
import { FIXTURES, fixture } from '../../support/transcripts.js';

afterEach(() => clearRegisteredSecrets());

const TOOLS: PushTool[] = ['docker', 'podman', 'buildah', 'skopeo', 'crane', 'generic'];
const LAYER_STATES = new Set<LayerState>(['preparing', 'waiting', 'pushing', 'pushed', 'exists', 'mounted', 'skipped']);
const RUNS = { numRuns: 300 };

/** Every line of every recorded transcript: real tool output to mutate. */
const FIXTURE_LINES = readdirSync(FIXTURES)
  .filter((f) => /\.(stdout|stderr|tty)$/.test(f))
  .flatMap((f) =>
    fixture(f)
      .toString('utf8')
      .split(/\r?\n|\r/),
  )
  .filter((l) => l.trim());
const FIXTURE_BYTES = readdirSync(FIXTURES)
  .filter((f) => /\.(stdout|stderr|tty)$/.test(f))
  .map((f) => fixture(f));

/** A line as a parser may see it: real tool output, cut, spliced with junk, or junk alone. */
const lineText = fc.oneof(
  fc.constantFrom(...FIXTURE_LINES),
  fc
    .tuple(fc.constantFrom(...FIXTURE_LINES), fc.nat(), fc.string({ maxLength: 20, unit: 'binary' }))
    .map(([l, at, junk]) => l.slice(0, at % (l.length + 1)) + junk + l.slice(at % (l.length + 1))),
  fc.string({ maxLength: 200, unit: 'binary' }),
  fc.string({ maxLength: 200, unit: 'grapheme' }),
);

/** Bytes as a child may print them: transcripts, random bytes, or both spliced. */
const outputBytes = fc.oneof(
  fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a)),
  fc.constantFrom(...FIXTURE_BYTES),
  fc
    .tuple(fc.constantFrom(...FIXTURE_BYTES), fc.nat(), fc.uint8Array({ maxLength: 200 }))
    .map(([b, at, junk]) =>
      Buffer.concat([b.subarray(0, at % (b.length + 1)), Buffer.from(junk), b.subarray(at % (b.length + 1))]),
    ),
  fc
    .array(
      fc.constantFrom(
        '\r',
        '\n',
        '\r\n',
        '\u001b[1A',
        '\u001b[2K',
        '\u001b]0;title\u0007',
        '\u009b2K',
        'a',
        'é',
        '\u{1F600}',
        '\t',
        ' ',
        '\u0000',
        '\u00ff',
      ),
      { maxLength: 300 },
    )
    .map((parts) => Buffer.from(parts.join(''))),
);

/** `bytes` cut at the given offsets. */
function cut(bytes: Buffer, at: number[]): Buffer[] {
  const points = [...new Set(at.map((a) => a % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

function splitAll(chunks: Buffer[]): string[] {
  const s = new LineSplitter();
  return [...chunks.flatMap((c) => s.push(c)), ...s.end()];
}

/** Throws (fails the property) on a draft that is not a well-formed event. */
function expectWellFormed(d: PushEventDraft): void {
  switch (d.type) {
    case 'push.layer':
      expect(LAYER_STATES.has(d.state)).toBe(true);
      expect(d.layer.length).toBeGreaterThan(0);
      break;
    case 'push.retry':
      expect(Number.isSafeInteger(d.attempt) && d.attempt >= 1).toBe(true);
      if (d.delaySeconds !== undefined) expect(Number.isFinite(d.delaySeconds) && d.delaySeconds >= 0).toBe(true);
      if (d.causeCode !== undefined) expect(d.causeCode in ERROR_CODES).toBe(true);
      break;
    case 'push.error':
      expect(d.code in ERROR_CODES).toBe(true);
      expect(CATEGORIES).toContain(d.category);
      expect(typeof d.retryable).toBe('boolean');
      expect(d.text.length).toBeGreaterThan(0);
      break;
    case 'push.digest':
      expect(d.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      if (d.size !== undefined) expect(Number.isSafeInteger(d.size) && d.size >= 0).toBe(true);
      break;
    default:
      throw new Error(`unexpected draft type ${(d as { type: string }).type}`);
  }
}

describe('line splitter on arbitrary bytes', () => {
  it('never throws; lines are non-empty, single, free of control and escape characters, and bounded', () => {
    fc.assert(
      fc.property(outputBytes, fc.array(fc.nat(), { maxLength: 20 }), (bytes, at) => {
        for (const line of splitAll(cut(bytes, at))) {
          expect(line.length).toBeGreaterThan(0);
          expect(line.length).toBeLessThanOrEqual(MAX_LINE_CHARS);
          expect(line).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f]/);
          expect(line).toBe(line.trimEnd());
        }
      }),
      RUNS,
    );
  });

  it('gives the same lines however the bytes are cut (mid-character, mid-CRLF, mid-escape)', () => {
    fc.assert(
      fc.property(outputBytes, fc.array(fc.nat(), { maxLength: 40 }), (bytes, at) => {
        expect(splitAll(cut(bytes, at))).toEqual(splitAll([bytes]));
      }),
      RUNS,
    );
  });

  it('reads back printable lines joined by LF, CRLF or CR, one byte at a time or whole', () => {
    const printable = fc.string({ maxLength: 60 }).map((s) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ''));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(printable, fc.constantFrom('\n', '\r\n', '\r')), { maxLength: 30 }),
        fc.boolean(),
        (lines, byByte) => {
          const bytes = Buffer.from(lines.map(([l, term]) => l + term).join(''));
          const chunks = byByte ? [...bytes].map((b) => Buffer.from([b])) : [bytes];
          expect(splitAll(chunks)).toEqual(lines.map(([l]) => l.trimEnd()).filter(Boolean));
        },
      ),
      RUNS,
    );
  });

  it('cuts a run of words without a terminator at a blank, into pieces of at most MAX_LINE_CHARS, keeping every word', () => {
    const words = fc.array(fc.stringMatching(/^[A-Za-z0-9._:/-]{1,300}$/), { minLength: 1, maxLength: 400 });
    fc.assert(
      fc.property(words, fc.array(fc.nat(), { maxLength: 10 }), (ws, at) => {
        const text = ws.join(' ');
        const lines = splitAll(cut(Buffer.from(text), at));
        for (const line of lines) expect(line.length).toBeLessThanOrEqual(MAX_LINE_CHARS);
        expect(lines.join(' ').split(' ')).toEqual(ws);
      }),
      { numRuns: 50 },
    );
  });

  it('cuts a run without a terminator into pieces of MAX_LINE_CHARS, keeping every character', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 * MAX_LINE_CHARS }), fc.array(fc.nat(), { maxLength: 10 }), (n, at) => {
        const text = 'x'.repeat(n);
        const lines = splitAll(cut(Buffer.from(text), at));
        expect(lines.join('')).toBe(text);
        expect(lines.length).toBe(Math.ceil(n / MAX_LINE_CHARS));
      }),
      { numRuns: 50 },
    );
  });
});

describe('every parser on arbitrary lines', () => {
  it('never throws on any string at all (empty, binary, lone surrogates)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TOOLS),
        fc.array(fc.tuple(lineText, fc.constantFrom('stdout' as const, 'stderr' as const)), { maxLength: 60 }),
        (tool, lines) => {
          const parse = parserFor(tool);
          const state = new ParserState();
          for (const [text, stream] of lines) expect(Array.isArray(parse({ text, stream }, state))).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('returns only well-formed event drafts for lines as the splitter gives them, with its state carried over', () => {
    // The splitter's contract: non-empty, no control characters or escapes, no trailing blanks.
    const splitLine = lineText.map((l) => stripAnsi(l).trimEnd()).filter(Boolean);
    fc.assert(
      fc.property(
        fc.constantFrom(...TOOLS),
        fc.array(fc.tuple(splitLine, fc.constantFrom('stdout' as const, 'stderr' as const)), { maxLength: 60 }),
        (tool, lines) => {
          const parse = parserFor(tool);
          const state = new ParserState();
          for (const [text, stream] of lines) for (const d of parse({ text, stream }, state)) expectWellFormed(d);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('is deterministic: the same lines give the same events', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TOOLS), fc.array(lineText, { maxLength: 40 }), (tool, lines) => {
        const run = () => {
          const state = new ParserState();
          return lines.flatMap((text) => parserFor(tool)({ text, stream: 'stderr' }, state));
        };
        expect(run()).toEqual(run());
      }),
      RUNS,
    );
  });

  it('the reader gives the same events however stdout and stderr are cut', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TOOLS),
        outputBytes,
        outputBytes,
        fc.array(fc.nat(), { maxLength: 20 }),
        (tool, out, err, at) => {
          const read = (o: Buffer[], e: Buffer[]) => {
            const reader = new PushOutputReader(parserFor(tool));
            const results = [
              ...o.flatMap((c) => reader.feed('stdout', c)),
              ...reader.end('stdout'),
              ...e.flatMap((c) => reader.feed('stderr', c)),
              ...reader.end('stderr'),
            ];
            for (const r of results) r.events.forEach(expectWellFormed);
            return results;
          };
          expect(read(cut(out, at), cut(err, at))).toEqual(read([out], [err]));
        },
      ),
      RUNS,
    );
  });
});

const hex = (n: number) =>
  fc.array(fc.constantFrom(...'0123456789abcdef'), { minLength: n, maxLength: n }).map((a) => a.join(''));
const STATUS_TEXT: Record<LayerState, string[]> = {
  preparing: ['Preparing'],
  waiting: ['Waiting'],
  pushing: ['Pushing [==>      ]  1.2MB/50MB', 'Pushing  512B'],
  pushed: ['Pushed'],
  exists: ['Layer already exists'],
  mounted: ['Mounted from proj/other'],
  skipped: ['Skipped foreign layer'],
};

describe('docker lines written as docker writes them read back as written', () => {
  it('layer statuses: each change of state is one push.layer with that state', () => {
    const status = fc.tuple(fc.constantFrom(...(Object.keys(STATUS_TEXT) as LayerState[])), fc.nat());
    fc.assert(
      fc.property(
        fc.array(hex(12), { minLength: 1, maxLength: 5 }),
        fc.array(fc.tuple(fc.nat(), status), { maxLength: 40 }),
        (ids, steps) => {
          const state = new ParserState();
          const last = new Map<string, LayerState>();
          for (const [i, [layerState, variant]] of steps) {
            const id = ids[i % ids.length]!;
            const texts = STATUS_TEXT[layerState];
            const events = parserFor('docker')(
              { text: `${id}: ${texts[variant % texts.length]}`, stream: 'stdout' },
              state,
            );
            const expected = last.get(id) === layerState ? [] : [{ type: 'push.layer', layer: id, state: layerState }];
            last.set(id, layerState);
            expect(events).toEqual(expected);
          }
        },
      ),
      RUNS,
    );
  });

  it('digest lines: tag, digest and size', () => {
    const tag = fc.stringMatching(/^[\w][\w.-]{0,40}$/);
    fc.assert(
      fc.property(tag, hex(64), fc.nat({ max: 2 ** 40 }), (t, h, size) => {
        expect(
          parserFor('docker')({ text: `${t}: digest: sha256:${h} size: ${size}`, stream: 'stdout' }, new ParserState()),
        ).toEqual([{ type: 'push.digest', tag: t, digest: `sha256:${h}`, size }]);
      }),
      RUNS,
    );
  });

  it('a digest line with an absurd size still gives a well-formed digest (no Infinity in the log)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TOOLS),
        hex(64),
        fc.oneof(
          fc.nat().map(String),
          fc.array(fc.constantFrom(...'0123456789'), { minLength: 16, maxLength: 400 }).map((d) => d.join('')),
        ),
        (tool, h, size) => {
          const events = parserFor(tool)(
            { text: `v1: digest: sha256:${h} size: ${size}`, stream: 'stdout' },
            new ParserState(),
          );
          events.forEach(expectWellFormed);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('countdowns: each "Retrying in N ... 1" (ticks redrawn or not) is one retry, counted per layer', () => {
    const countdown = fc.tuple(fc.integer({ min: 1, max: 30 }), fc.array(fc.boolean(), { maxLength: 30 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), countdown), { minLength: 1, maxLength: 8 }), (runs) => {
        const state = new ParserState();
        const ids = ['aaaaaaaaaaaa', 'bbbbbbbbbbbb'];
        const retries: PushEventDraft[] = [];
        const expected: PushEventDraft[] = [];
        const attempts = [0, 0];
        for (const [second, [from, redraw]] of runs) {
          const id = ids[second ? 1 : 0]!;
          const feed = (text: string) =>
            retries.push(
              ...parserFor('docker')({ text: `${id}: ${text}`, stream: 'stdout' }, state).filter(
                (e) => e.type === 'push.retry',
              ),
            );
          feed('Pushing [=>    ] 1MB/9MB');
          for (let n = from; n >= 1; n--) {
            feed(`Retrying in ${n} second${n === 1 ? '' : 's'}`);
            if (redraw[n % Math.max(1, redraw.length)]) feed(`Retrying in ${n} second${n === 1 ? '' : 's'}`);
          }
          expected.push({ type: 'push.retry', layer: id, attempt: ++attempts[second ? 1 : 0]!, delaySeconds: from });
        }
        expect(retries).toEqual(expected);
      }),
      RUNS,
    );
  });
});

describe('the docker daemon log reader', () => {
  const level = fc.constantFrom('error', 'warning', 'fatal', 'panic', 'info', 'debug');
  it('never throws on any line', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          lineText,
          fc.string({ maxLength: 100, unit: 'binary' }).map((m) => `time="x" level=error msg="${m}"`),
          fc.string({ maxLength: 100, unit: 'binary' }).map((m) => `{"level":"error","msg":${JSON.stringify(m)}`),
        ),
        (line) => {
          const parsed = parseDaemonLogLine(line);
          if (parsed?.code !== undefined) expect(parsed.code in ERROR_CODES).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('reads back level and message of lines written as logrus writes them (text and JSON formats)', () => {
    const message = fc.string({ minLength: 1, maxLength: 80 }).filter((m) => m.trim() === m && m.length > 0);
    fc.assert(
      fc.property(level, message, fc.boolean(), (lvl, msg, json) => {
        const line = json
          ? JSON.stringify({ level: lvl, msg, time: '2026-11-27T03:09:31.609Z' })
          : `time="2026-11-27T03:09:31.609Z" level=${lvl} msg=${JSON.stringify(msg)}`;
        const parsed = parseDaemonLogLine(line);
        if (lvl === 'info' || lvl === 'debug') {
          // Chatter is dropped, unless it is an upload failure.
          if (parsed) expect(parsed.retryCause ?? parsed.finalCause).toBeDefined();
          return;
        }
        expect(parsed).toMatchObject({ level: lvl, message: msg });
      }),
      RUNS,
    );
  });

  it('an "Upload failed, retrying: X" line gives X as the cause of the next retry', () => {
    fc.assert(
      fc.property(
        level,
        fc.string({ minLength: 1, maxLength: 80 }).filter((m) => m.trim() === m),
        (lvl, cause) => {
          expect(
            parseDaemonLogLine(`time="t" level=${lvl} msg=${JSON.stringify(`Upload failed, retrying: ${cause}`)}`)
              ?.retryCause,
          ).toBe(cause);
        },
      ),
      RUNS,
    );
  });
});

/** Secrets as a child may print them: by shape, or registered (learnt from a credential). */
const secretLine = fc.oneof(
  fc
    .stringMatching(/^[A-Za-z0-9_-]{20,60}$/)
    .map((s) => ({ secret: `ya29.${s}`, register: false, line: (p: string) => `denied: token ${p} rejected` })),
  fc
    .stringMatching(/^[A-Za-z0-9_-]{20,60}$/)
    .map((s) => ({ secret: s, register: false, line: (p: string) => `Authorization: Bearer ${p}` })),
  fc.stringMatching(/^[A-Za-z0-9_-]{20,60}$/).map((s) => ({
    secret: s,
    register: false,
    line: (p: string) => `time="x" level=debug msg="{\\"password\\":\\"${p}\\"}"`,
  })),
  fc
    .stringMatching(/^[A-Za-z0-9+/]{24,60}$/)
    .map((s) => ({ secret: s, register: true, line: (p: string) => `2026/11/27 03:20:02 retrying with ${p}` })),
);

describe('a secret in the child output never reaches an event', () => {
  it('even in a line far longer than MAX_LINE_CHARS, wherever it stands', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_-]{24,200}$/),
        fc.boolean(),
        fc.integer({ min: 0, max: 3 * MAX_LINE_CHARS }),
        (token, register, offset) => {
          clearRegisteredSecrets();
          const secret = register ? `pw${token}` : `ya29.${token}`;
          if (register) registerSecret(secret);
          const filler = (n: number) => 'Pushing 12.3MB/45.6MB '.repeat(Math.ceil(n / 22)).slice(0, n);
          const line = `${filler(offset)} token ${secret} ${filler(2 * MAX_LINE_CHARS)}`;
          const bus = new EventBus();
          const seen: SessionEvent[] = [];
          bus.subscribe({ name: 'capture', onEvent: (e) => seen.push(e) });
          const splitter = new LineSplitter();
          for (const text of [...splitter.push(Buffer.from(line)), ...splitter.end()])
            bus.emit({ type: 'push.output', stream: 'stdout', line: text });
          expect(seen.length).toBeGreaterThan(2);
          expect(JSON.stringify(seen)).not.toContain(register ? secret : token);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('whatever the tool, the surrounding output and the cuts of the stream', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TOOLS),
        secretLine,
        outputBytes,
        fc.array(fc.nat(), { maxLength: 30 }),
        (tool, s, noise, at) => {
          clearRegisteredSecrets();
          if (s.register) registerSecret(s.secret);
          fc.pre(!noise.includes(s.secret));
          const bytes = Buffer.concat([noise, Buffer.from(`\n${s.line(s.secret)}\n`), noise]);
          const bus = new EventBus();
          const seen: SessionEvent[] = [];
          bus.subscribe({ name: 'capture', onEvent: (e) => seen.push(e) });
          const reader = new PushOutputReader(parserFor(tool));
          for (const chunk of cut(bytes, at)) {
            for (const r of reader.feed('stderr', chunk))
              bus.emitMany([{ type: 'push.output', stream: r.line.stream, line: r.line.text }, ...r.events]);
          }
          for (const r of reader.end('stderr'))
            bus.emitMany([{ type: 'push.output', stream: r.line.stream, line: r.line.text }, ...r.events]);
          expect(seen.some((e) => e.type === 'push.output')).toBe(true);
          expect(JSON.stringify(seen)).not.toContain(s.secret);
        },
      ),
      RUNS,
    );
  });
});

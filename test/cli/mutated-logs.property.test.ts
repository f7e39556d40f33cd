/**
 * Session logs are input from disk: real logs from the scenario corpus and the version 1
 * fixtures, mutated (keys dropped, values of another type, cut anywhere, lines duplicated and
 * reordered, huge strings injected), through every report format and replay. Whatever the
 * damage: never exit 70, never a stack trace, never a part of gcrwatch failing on an event
 * ("diagnosis failed"); the exit code is 0, or 2 with one line when nothing fits.
 * The commands run in this process through `main`, the CLI's own entry, so a run takes
 * milliseconds; a few mutated logs also go through the built binary at the end.
 */
import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runCli } from '../support/run-cli.js';

const SCENARIOS = path.resolve(import.meta.dirname, '../scenarios');
const V1 = path.resolve(import.meta.dirname, '../fixtures/logs/v1');
const SOURCES = [
  ...readdirSync(SCENARIOS)
    .filter((d) => !d.includes('.'))
    .map((d) => path.join(SCENARIOS, d, 'session.ndjson')),
  ...readdirSync(V1)
    .filter((f) => f.endsWith('.ndjson'))
    .map((f) => path.join(V1, f)),
];
const TEXTS = new Map(SOURCES.map((s) => [s, readFileSync(s, 'utf8')]));

const COMMANDS: string[][] = [
  ['report', '--format', 'md'],
  ['report', '--format', 'html'],
  ['report', '--format', 'json'],
  ['report', '--format', 'csv'],
  ['replay', '--speed', '100000', '--json'],
  ['replay', '--speed', '100000', '--plain'],
];

let dir: string;
let fileNo = 0;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-mutated-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A mutation: what it does, with the random numbers that place it. */
type Mutation =
  | { kind: 'drop-key' | 'retype' | 'huge-string'; line: number; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate' | 'move'; line: number; to: number; count: number };

const HUGE = 'A'.repeat(300_000);
/** Values of every JSON type, the odd ones included. */
const REPLACEMENTS: unknown[] = [
  null,
  0,
  -1,
  1e308,
  -1e308,
  1.5,
  '',
  'x',
  '\u0000',
  [],
  [1, 'a'],
  {},
  { a: 1 },
  true,
  false,
  HUGE,
];

/** Every path into a JSON value (objects and arrays), the value itself excluded. */
function paths(
  value: unknown,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = [...prefix, Array.isArray(value) ? Number(k) : k];
      out.push(p);
      paths(v, p, out);
    }
  }
  return out;
}

function parent(root: unknown, p: (string | number)[]): Record<string | number, unknown> {
  let node = root as Record<string | number, unknown>;
  for (const k of p.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  return node;
}

/** Apply `m` to the lines of a log. */
function mutate(lines: string[], m: Mutation): string[] {
  if (m.kind === 'truncate') {
    const text = lines.join('\n');
    return text.slice(0, m.at % (text.length + 1)).split('\n');
  }
  if (!lines.length) return lines;
  return 'to' in m ? moveLines(lines, m) : mutateValue(lines, m);
}

/** Duplicate or move `m.count` lines to another place. */
function moveLines(lines: string[], m: Extract<Mutation, { kind: 'duplicate' | 'move' }>): string[] {
  const i = m.line % lines.length;
  const out = [...lines];
  const block = m.kind === 'move' ? out.splice(i, m.count) : lines.slice(i, i + m.count);
  out.splice(m.to % (out.length + 1), 0, ...block);
  return out;
}

/** Drop, retype or blow up one value somewhere in one line. */
function mutateValue(lines: string[], m: Extract<Mutation, { kind: 'drop-key' | 'retype' | 'huge-string' }>): string[] {
  const i = m.line % lines.length;
  const out = [...lines];
  let value: unknown;
  try {
    value = JSON.parse(out[i]!);
  } catch {
    return out;
  }
  const all = paths(value);
  if (!all.length) return out;
  const p = all[m.at % all.length]!;
  const holder = parent(value, p);
  const key = p.at(-1)!;
  if (m.kind === 'drop-key') {
    if (Array.isArray(holder)) holder.splice(key as number, 1);
    else delete holder[key];
  } else if (m.kind === 'retype') holder[key] = REPLACEMENTS[m.value % REPLACEMENTS.length];
  else holder[key] = typeof holder[key] === 'string' || m.value % 2 ? HUGE : holder[key];
  out[i] = JSON.stringify(value);
  return out;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('drop-key' as const, 'retype' as const, 'huge-string' as const),
    line: fc.nat(),
    at: fc.nat(),
    value: fc.nat(),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constantFrom('duplicate' as const, 'move' as const),
    line: fc.nat(),
    to: fc.nat(),
    count: fc.integer({ min: 1, max: 20 }),
  }),
);

/** Run gcrwatch in this process; resolves with what it printed and its exit code. */
async function gcrwatch(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const code = await main(args, {
    stdout,
    stderr,
    stdin: new PassThrough(),
    stdoutIsTTY: false,
    env: { ...process.env, XDG_STATE_HOME: dir, GCRWATCH_DEBUG: process.env.REPRO ?? '' },
  });
  return { code, out, err };
}

function expectNoCrash(r: { code: number; out: string; err: string }, what: string): void {
  expect(r.code, `${what}: ${r.err}`).not.toBe(70);
  expect(r.err, what).not.toMatch(/internal error|^\s+at \S/m);
  expect(r.out + r.err, what).not.toMatch(/(diagnosis|store|output) failed: /);
  expect([0, 2], `${what}: ${r.err}`).toContain(r.code);
  // Refused: one error line and the hint, after whatever a replay printed before it met the damage.
  if (r.code === 2)
    expect(
      r.err.split('\n').filter((l) => l.startsWith('gcrwatch: ') && !l.startsWith('gcrwatch: warning: ')),
      what,
    ).toHaveLength(1);
}

describe('mutated session logs', () => {
  it('never end in exit 70 or a stack trace, in any report format or replay', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SOURCES),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        async (source, mutations) => {
          const lines = mutations.reduce(mutate, TEXTS.get(source)!.split('\n'));
          const file = path.join(dir, `m${fileNo++}.ndjson`);
          writeFileSync(file, lines.join('\n'));
          for (const args of COMMANDS) {
            const what = `${args.join(' ')} of ${path.basename(path.dirname(source))}/${path.basename(source)} after ${JSON.stringify(mutations)}`;
            expectNoCrash(await gcrwatch([...args.slice(0, 1), file, ...args.slice(1)]), what);
          }
          rmSync(file);
        },
      ),
      { numRuns: Number(process.env.GCRWATCH_MUTATION_RUNS ?? 60) },
    );
  }, 600_000);

  it('never end in exit 70 through the built binary either', async () => {
    const samples = fc.sample(
      fc.tuple(fc.constantFrom(...SOURCES), fc.array(mutation, { minLength: 2, maxLength: 4 })),
      {
        numRuns: 4,
        seed: 1613,
      },
    );
    for (const [source, mutations] of samples) {
      const file = path.join(dir, `bin${fileNo++}.ndjson`);
      writeFileSync(file, mutations.reduce(mutate, TEXTS.get(source)!.split('\n')).join('\n'));
      for (const args of [COMMANDS[1]!, COMMANDS[4]!]) {
        const r = await runCli([args[0]!, file, ...args.slice(1)]);
        expectNoCrash(
          { code: r.code ?? -1, out: r.stdout, err: r.stderr },
          `${args.join(' ')} ${JSON.stringify(mutations)}`,
        );
      }
    }
  }, 120_000);
});

#!/usr/bin/env node
/**
 * `npm run bench`: builds, runs every benchmark one after the other (each prints its figures,
 * its targets and PASS/FAIL, and exits non-zero on a miss), then writes docs/benchmarks.md
 * from their results: the machine, the date, the commands, the figures, and for every missed
 * target the benchmark's own explanation with its measurement. Exits 1 when a target was
 * missed, 2 when a benchmark could not run.
 *
 *   npm run bench [-- --only timing-accuracy,startup] [--skip wrap-overhead] [--no-doc] [--note TEXT ...]
 *
 * `--note` (repeatable) adds a line about this run's conditions to the Machine section of the
 * document (for example what else was running on the machine).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flag, machine, ROOT } from './support/kit.mjs';
import { renderDocument } from './support/document.mjs';

/** The benchmarks of issue 8, in order, then the measurements other parts keep in bench/. */
export const BENCHMARKS = [
  { name: 'timing-accuracy', script: 'timing-accuracy.mjs' },
  { name: 'watch-cost', script: 'watch-cost.mjs' },
  { name: 'long-session-memory', script: 'long-session-memory.mjs' },
  { name: 'scale', script: 'scale.mjs' },
  { name: 'startup', script: 'startup.mjs' },
  { name: 'wrap-overhead', script: 'wrap-overhead.mjs' },
  { name: 'report-memory', script: 'report-memory.mjs' },
  { name: 'diagnose-throughput', script: 'diagnose-throughput.mjs', plain: true },
  { name: 'tui-render', script: 'tui-render.mjs', plain: true },
  { name: 'redact-adversarial', script: 'redact-adversarial.mjs', plain: true },
  { name: 'install-size', script: 'install-size.mjs' },
];

/** Every benchmark's last result, by name: what docs/benchmarks.md is made from. */
const KEPT = join(ROOT, 'docs', 'benchmarks.json');

function readKept() {
  try {
    return JSON.parse(readFileSync(KEPT, 'utf8'));
  } catch {
    return {};
  }
}

function option(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1].split(',') : undefined;
}

/** Run one benchmark, its output passed through; resolves with its result. */
function runOne(bench, dir) {
  const resultFile = join(dir, `${bench.name}.json`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bench', bench.script)], {
      cwd: ROOT,
      env: { ...process.env, GCRWATCH_BENCH_RESULT: resultFile },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    child.once('close', (code) => {
      let result;
      try {
        result = JSON.parse(readFileSync(resultFile, 'utf8'));
      } catch {
        result = {
          name: bench.name,
          figures: [],
          ...(bench.plain ? { output: out.trim() } : { skipped: `exited ${code} without a result` }),
        };
      }
      resolve({
        ...result,
        name: bench.name,
        command: result.command ?? `node bench/${bench.script}`,
        exitCode: code,
        seconds: (Date.now() - started) / 1000,
      });
    });
  });
}

/** Every value given to a repeatable `--name VALUE` option. */
function repeated(name) {
  return process.argv.flatMap((arg, i) =>
    arg === `--${name}` && process.argv[i + 1] !== undefined ? [process.argv[i + 1]] : [],
  );
}

async function main() {
  const only = option('only');
  const skip = option('skip') ?? [];
  const chosen = BENCHMARKS.filter((b) => (!only || only.includes(b.name)) && !skip.includes(b.name));
  console.log('building (npm run build) ...');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'gcrwatch-bench-results-'));
  const before = machine();
  const startedAt = new Date();
  const results = [];
  try {
    for (const bench of chosen) {
      console.log(`\n######## ${bench.name} (bench/${bench.script})`);
      results.push(await runOne(bench, dir));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const after = machine();
  const commit = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    } catch {
      return '?';
    }
  })();
  for (const r of results) r.commit = commit;
  if (!flag('no-doc')) {
    // Results of benchmarks not run this time are kept from the last run that had them.
    const all = { ...readKept(), ...Object.fromEntries(results.map((r) => [r.name, r])) };
    const ordered = BENCHMARKS.map((b) => all[b.name]).filter(Boolean);
    mkdirSync(join(ROOT, 'docs'), { recursive: true });
    writeFileSync(KEPT, `${JSON.stringify(all, null, 2)}\n`);
    writeFileSync(
      join(ROOT, 'docs', 'benchmarks.md'),
      renderDocument({
        results: ordered,
        before,
        after,
        startedAt,
        finishedAt: new Date(),
        commit,
        notes: repeated('note'),
      }),
    );
    console.log('\nwrote docs/benchmarks.md (and docs/benchmarks.json)');
  }
  console.log('\n######## summary');
  for (const r of results) {
    const missed = r.figures.filter((f) => f.pass === false).length;
    const state = r.skipped
      ? `could not run: ${r.skipped}`
      : missed
        ? `${missed} target(s) missed`
        : r.exitCode === 0
          ? 'every target met'
          : `exit ${r.exitCode}`;
    console.log(`${r.name.padEnd(22)} ${state}  (${r.seconds.toFixed(0)} s)`);
  }
  const missed = results.some((r) => r.figures.some((f) => f.pass === false) || (!r.skipped && r.exitCode !== 0));
  process.exitCode = results.some((r) => r.skipped) ? 2 : missed ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(`bench: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  });
}

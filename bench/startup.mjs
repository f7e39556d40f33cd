#!/usr/bin/env node
/**
 * Benchmark 5, start-up. Spawned again and again, alternating: `node -e 0` (the floor any
 * Node program pays), `gcrwatch --version`, and `gcrwatch --plain` against a registry front
 * on loopback (pinned with --resolve, trusted through NODE_EXTRA_CA_CERTS), timed from the
 * spawn to its first result line. Medians of each; targets: first result ≤ 400 ms. Then, once
 * each, the modules `--version`, `--help` and that first round load (distinct module URLs, node:
 * built-ins included, recorded by test/support/record-modules.mjs), zod's among them.
 *
 *   npm run build && node bench/startup.mjs [--runs 15]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, finish, median, numberOption, ROOT } from './support/kit.mjs';
import { startFronts } from './support/fronts.mjs';

const RUNS = numberOption('runs', 15);
const RECORDER = join(ROOT, 'test', 'support', 'record-modules.mjs');

/**
 * Spawn `args` and resolve with ms from the spawn to the first stdout line matching `wanted`
 * (or to the exit, without `wanted`), and the exit code.
 */
function timeTo(args, env, wanted) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let seenAt;
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      if (seenAt === undefined && wanted && out.split('\n').some((l) => wanted.test(l)))
        seenAt = process.hrtime.bigint();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      err += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const end = process.hrtime.bigint();
      if (wanted && seenAt === undefined)
        reject(new Error(`no line matching ${wanted} from gcrwatch ${args.join(' ')} (exit ${code}): ${out}${err}`));
      else resolve({ ms: Number((seenAt ?? end) - started) / 1e6, code });
    });
  });
}

/** The distinct modules a run of gcrwatch `args` loads (BIN first in `args`). */
async function modulesLoaded(args, env, dir, name) {
  const file = join(dir, `${name}.txt`);
  const { code } = await timeTo(['--import', RECORDER, ...args], { ...env, GCRWATCH_TEST_MODULES: file });
  if (code !== 0) throw new Error(`gcrwatch ${args.slice(1).join(' ')} exited ${code} while its modules were recorded`);
  return [...new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean))];
}

/** Module counts of --version, --help and the first round, and zod's share of them. */
async function moduleFigures(env, watch) {
  const dir = mkdtempSync(join(tmpdir(), 'gcrwatch-startup-modules-'));
  try {
    const runs = [
      ['gcrwatch --version', [BIN, '--version']],
      ['gcrwatch --help', [BIN, '--help']],
      ['gcrwatch --plain --rounds 1', watch],
    ];
    const figures = [];
    for (const [i, [name, args]] of runs.entries()) {
      const modules = await modulesLoaded(args, env, dir, `run-${i}`);
      const zod = modules.filter((m) => m.includes('/node_modules/zod/')).length;
      figures.push({ name: `modules loaded, ${name}`, value: modules.length, unit: '', digits: 0 });
      figures.push({ name: `zod modules among them, ${name}`, value: zod, unit: '', digits: 0 });
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const fronts = await startFronts(1);
  const port = fronts.ports[0];
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: fronts.caFile };
  delete env.NODE_OPTIONS;
  const target = `gcr.io:${port}`;
  const watch = [
    BIN,
    '--plain',
    '--only',
    '--target',
    target,
    '--resolve',
    `${target}:127.0.0.1`,
    '--rounds',
    '1',
    '--no-log',
  ];
  const samples = { floor: [], version: [], first: [] };
  let modules;
  try {
    // One of each first, not counted: the page cache and the fronts' process warm up.
    await timeTo(['-e', '0'], env);
    await timeTo([BIN, '--version'], env);
    await timeTo(watch, env, /401 {2}ok$/);
    for (let i = 0; i < RUNS; i++) {
      samples.floor.push((await timeTo(['-e', '0'], env)).ms);
      samples.version.push((await timeTo([BIN, '--version'], env)).ms);
      samples.first.push((await timeTo(watch, env, new RegExp(`${target.replace('.', '\\.')} .*401  ok$`))).ms);
    }
    modules = await moduleFigures(env, watch);
  } finally {
    await fronts.close();
  }
  const floor = median(samples.floor);
  const first = median(samples.first);
  finish({
    name: 'startup',
    title: 'Start-up',
    command: 'node bench/startup.mjs',
    figures: [
      { name: 'node -e 0 (floor)', value: floor, unit: 'ms', digits: 0 },
      { name: 'gcrwatch --version', value: median(samples.version), unit: 'ms', digits: 0 },
      { name: 'gcrwatch --version above the floor', value: median(samples.version) - floor, unit: 'ms', digits: 0 },
      {
        name: 'gcrwatch --plain: first result line',
        value: first,
        unit: 'ms',
        digits: 0,
        target: { op: '<=', value: 400 },
      },
      { name: 'first result above the floor', value: first - floor, unit: 'ms', digits: 0 },
      ...modules,
    ],
    notes: [
      `medians of ${RUNS} runs of each, alternating; the first result is one TLS round to a registry front on loopback, timed from the spawn to the line on stdout`,
      'modules loaded: distinct module URLs a run resolves or requires (node: built-ins included), recorded once per run with node --import test/support/record-modules.mjs, outside the timed runs; the commands load their runner on use and the configuration schema (zod) only when a file is found',
    ],
    explanations: first > 400 ? [explain({ floor, first, version: median(samples.version) })] : [],
  });
}

/** Why the first result missed 400 ms, from this run's own figures. */
function explain({ floor, first, version }) {
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `The first result came ${(first - floor).toFixed(0)} ms after node -e 0's ${floor.toFixed(0)} ms (--version ${(version - floor).toFixed(0)} ms after it), on ${cpus().length} cores with a load average of ${load} at the end. Every figure here grows with the load, the floor included: the parts above the floor and the module counts are what compares between runs.`;
}

main().catch((error) => {
  console.error(`startup: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});

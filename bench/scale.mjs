#!/usr/bin/env node
/**
 * Benchmark 4, scale. gcrwatch probes N loopback targets at 1 s (`hN.gcr.io:PORT`, pinned with
 * --resolve to registry fronts served by two processes of their own, a fresh TLS handshake
 * every round) for a window after a warm-up, writing its session log; from the log: did every
 * round finish within its interval (`ms`), was a tick skipped (a gap in a target's round
 * numbers), did a round fail, and the start jitter (`lagMs`, which holds the scheduler's own
 * random jitter of up to 2 % of the interval). CPU of gcrwatch and of the fronts from /proc.
 * First N = 200 (targets: every round within its interval, p99 start jitter ≤ 50 ms), then
 * larger counts until cadence breaks: the largest count that keeps it is reported.
 *
 *   npm run build && node bench/scale.mjs [--targets 200] [--seconds 20] [--search 250,300,400,500]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, finish, numberOption, ProcessMeter, quantile, ROOT, sleep } from './support/kit.mjs';
import { startFronts } from './support/fronts.mjs';

const TARGETS = numberOption('targets', 200);
const SECONDS = numberOption('seconds', 20);
const WARMUP = 5;
const i = process.argv.indexOf('--search');
const SEARCH = (i > 0 ? process.argv[i + 1] : '250,300,400,500,600,800')
  .split(',')
  .map(Number)
  .filter((n) => n > TARGETS);

/** Run gcrwatch on `count` targets spread over `fronts`; returns what its log and /proc say. */
async function runAt(count, fronts, dir) {
  const args = [
    '--plain',
    '--only',
    '--interval',
    '1s',
    '--duration',
    `${WARMUP + SECONDS + 1}s`,
    '--log',
    join(dir, `scale-${count}.ndjson`),
  ];
  for (const f of fronts) args.push('--ca-file', f.caFile);
  for (let n = 0; n < count; n++) {
    const port = fronts[n % fronts.length].ports[0];
    args.push('--target', `h${n}.gcr.io:${port}`, '--resolve', `h${n}.gcr.io:${port}:127.0.0.1`);
  }
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c) => {
    stderr += c;
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await sleep(WARMUP * 1000);
  const meters = [new ProcessMeter(child.pid).begin(), ...fronts.map((f) => new ProcessMeter(f.pid).begin())];
  const windowStart = Date.now();
  await sleep(SECONDS * 1000);
  const [own, ...peers] = meters.map((m) => m.end());
  const code = await exited;
  if (code !== 0 && code !== 1) throw new Error(`gcrwatch exited ${code} at ${count} targets: ${stderr}`);
  return { count, own, peers, ...(await readLog(join(dir, `scale-${count}.ndjson`), windowStart)) };
}

/** Cadence figures of the rounds that started inside the window. */
async function readLog(file, windowStart) {
  // Through gcrwatch's own reader: a probe that repeats its details is written as a reference.
  const { readSessionLog } = await import(join(ROOT, 'dist/core/log/ndjson-reader.js'));
  const probes = [];
  for await (const e of readSessionLog(file)) if (e.type === 'probe') probes.push(e);
  const inWindow = probes.filter((p) => Date.parse(p.t) - p.ms >= windowStart);
  const skipped = countSkipped(probes);
  return {
    rounds: inWindow.length,
    failed: inWindow.filter((p) => !p.ok).length,
    failures: [...new Set(inWindow.filter((p) => !p.ok).map((p) => p.error?.code))],
    late: inWindow.filter((p) => p.ms > 1000).length,
    longestMs: Math.max(...inWindow.map((p) => p.ms)),
    p99LagMs: quantile(
      inWindow.map((p) => p.lagMs ?? 0),
      0.99,
    ),
    maxLagMs: Math.max(...inWindow.map((p) => p.lagMs ?? 0)),
    skipped,
  };
}

/** Ticks a target skipped: gaps in its round numbers (a skipped tick uses up its number). */
function countSkipped(probes) {
  const byTarget = new Map();
  for (const p of probes) byTarget.set(p.target, [...(byTarget.get(p.target) ?? []), p.round]);
  let gaps = 0;
  for (const rounds of byTarget.values()) {
    rounds.sort((a, b) => a - b);
    for (let k = 1; k < rounds.length; k++) gaps += rounds[k] - rounds[k - 1] - 1;
  }
  return gaps;
}

const keepsCadence = (r) => r.late === 0 && r.skipped === 0 && r.failed === 0 && r.p99LagMs <= 50;

function describe(r) {
  return (
    `${r.count} targets: ${r.rounds} rounds, p99 start jitter ${r.p99LagMs.toFixed(0)} ms (max ${r.maxLagMs}), longest round ${r.longestMs.toFixed(0)} ms, ` +
    `${r.late} over 1 s, ${r.skipped} ticks skipped, ${r.failed} failed${r.failures.length ? ` (${r.failures.join(', ')})` : ''}; ` +
    `gcrwatch CPU ${(100 * r.own.share).toFixed(0)} % of a core, RSS ${r.own.maxRssMb.toFixed(0)} MB; fronts ${r.peers.map((p) => `${(100 * p.share).toFixed(0)} %`).join(' + ')}`
  );
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'gcrwatch-bench-scale-'));
  const fronts = await Promise.all([startFronts(1), startFronts(1)]);
  const results = [];
  try {
    const first = await runAt(TARGETS, fronts, dir);
    results.push(first);
    console.log(describe(first));
    if (keepsCadence(first)) {
      for (const count of SEARCH) {
        const r = await runAt(count, fronts, dir);
        results.push(r);
        console.log(describe(r));
        if (!keepsCadence(r)) break;
      }
    }
  } finally {
    await Promise.all(fronts.map((f) => f.close()));
    rmSync(dir, { recursive: true, force: true });
  }
  const [at] = results;
  const kept = results.filter(keepsCadence).map((r) => r.count);
  const largest = kept.length ? Math.max(...kept) : 0;
  const beyond = results.find((r) => r.count > largest);
  finish({
    name: 'scale',
    title: `Scale: ${TARGETS} loopback targets at 1 s`,
    command: 'node bench/scale.mjs',
    figures: [
      {
        name: `rounds over their 1 s interval (${TARGETS} targets)`,
        value: at.late,
        unit: '',
        digits: 0,
        target: { op: '<=', value: 0 },
      },
      {
        name: `ticks skipped (${TARGETS} targets)`,
        value: at.skipped,
        unit: '',
        digits: 0,
        target: { op: '<=', value: 0 },
      },
      {
        name: `failed rounds (${TARGETS} targets)`,
        value: at.failed,
        unit: '',
        digits: 0,
        target: { op: '<=', value: 0 },
      },
      {
        name: `p99 start jitter (${TARGETS} targets)`,
        value: at.p99LagMs,
        unit: 'ms',
        digits: 0,
        target: { op: '<=', value: 50 },
      },
      { name: `gcrwatch CPU (${TARGETS} targets)`, value: 100 * at.own.share, unit: '% of one core', digits: 0 },
      { name: 'largest target count that kept cadence (of those tried)', value: largest, unit: 'targets', digits: 0 },
    ],
    details: results.map((r) => `- ${describe(r)}`).join('\n'),
    notes: [
      `each count: a ${WARMUP} s warm-up, then a ${SECONDS} s window; counts tried: ${results.map((r) => r.count).join(', ')}`,
      'cadence kept = no round over its interval, no skipped tick, no failed round, p99 start jitter ≤ 50 ms',
      beyond ? `at ${beyond.count} targets: ${describe(beyond)}` : `every count tried kept cadence`,
      "the fronts (two Node processes serving TLS) share the machine's two cores with gcrwatch",
    ],
  });
}

main().catch((error) => {
  console.error(`scale: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});

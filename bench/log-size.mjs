#!/usr/bin/env node
/**
 * Session log size. In the simulated world (network namespace, its resolver, the test CA, a
 * fault proxy passing traffic untouched in front of each host, a registry front behind them),
 * `gcrwatch --plain` watches the 7 default targets at the default interval, with the
 * credential checks, as `gcrwatch` with no option does; the log's growth after a warm-up,
 * per hour, is the figure. Beside it: the same events as a version 1 log writes them (every
 * probe in full: what this version's log replaced), and the demo's 5 targets at 1 s (no
 * namespace needed), the case the issue measured at ~19 MB an hour.
 * Target: at most 2 MB an hour for the default targets.
 *
 *   npm run build && node bench/log-size.mjs [--seconds 300] [--warmup 30] [--demo-seconds 120]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, finish, numberOption, requirePrereqs, sleep } from './support/kit.mjs';
import { openWorld, registryNames } from './support/world.mjs';

const SECONDS = numberOption('seconds', 300);
const WARMUP = numberOption('warmup', 30);
const DEMO_SECONDS = numberOption('demo-seconds', 120);
const MB = 1e6;

requirePrereqs('log-size', { root: true, commands: ['ip'] });

const { readSessionLog } = await import(join(ROOT, 'dist/core/log/ndjson-reader.js'));

/**
 * The log's bytes between `from` and `to` (epoch ms) as written, and as version 1 wrote the
 * same events (one complete JSON line each), with the number of probes among them.
 */
async function window(file, from, to) {
  let v1 = 0;
  let probes = 0;
  let events = 0;
  for await (const e of readSessionLog(file)) {
    const t = Date.parse(e.t);
    if (t < from || t >= to) continue;
    events++;
    if (e.type === 'probe') probes++;
    v1 += Buffer.byteLength(JSON.stringify({ ...e, v: 1 })) + 1;
  }
  return { v1, probes, events };
}

/** Start `argv` (gcrwatch) through `start`, measure its log's growth between warmup and the end. */
async function measureRun(start, logFile, warmup, seconds) {
  const child = start();
  child.stdout.resume();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await sleep(warmup * 1000);
  const sizeAt = () => statSync(logFile()).size;
  const from = { t: Date.now(), size: sizeAt() };
  await sleep(seconds * 1000);
  const to = { t: Date.now(), size: sizeAt() };
  child.kill('SIGINT');
  const code = await exited;
  if (![0, 1, 130].includes(code)) throw new Error(`gcrwatch exited ${code}: ${stderr}`);
  const written = to.size - from.size;
  const same = await window(logFile(), from.t, to.t);
  const perHour = (bytes) => (bytes * 3_600_000) / (to.t - from.t) / MB;
  return { mbPerHour: perHour(written), v1MbPerHour: perHour(same.v1), ...same, bytes: written, whole: to.size };
}

async function main() {
  const names = registryNames(7);
  const dir = mkdtempSync(join(tmpdir(), 'gcrwatch-bench-logsize-'));
  const { world, close } = await openWorld(names);
  let defaults;
  let demo;
  try {
    // No option: the default targets and interval, and the credential checks of a machine with no docker login.
    const log = join(world.dir, 'default.ndjson');
    defaults = await measureRun(
      () =>
        world.spawn(process.execPath, [BIN, '--plain', '--no-config', '--log', log], {
          cwd: ROOT,
          env: { HOME: dir, DOCKER_CONFIG: join(dir, '.docker'), XDG_CONFIG_HOME: dir },
        }),
      () => log,
      WARMUP,
      SECONDS,
    );
  } finally {
    await close();
  }
  try {
    const state = join(dir, 'state');
    const sessions = join(state, 'gcrwatch', 'sessions');
    demo = await measureRun(
      () =>
        spawn(process.execPath, [BIN, '--demo', '--plain', '--no-config'], {
          cwd: ROOT,
          env: { ...process.env, XDG_STATE_HOME: state },
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
      () => join(sessions, readdirSync(sessions)[0]),
      Math.min(WARMUP, 15),
      DEMO_SECONDS,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  finish({
    name: 'log-size',
    title: 'Session log size',
    command: 'node bench/log-size.mjs',
    figures: [
      {
        name: '7 default targets at the default 2 s interval: log growth',
        value: defaults.mbPerHour,
        unit: 'MB/h',
        digits: 2,
        target: { op: '<=', value: 2 },
      },
      {
        name: 'the same events written as version 1 did (every probe in full)',
        value: defaults.v1MbPerHour,
        unit: 'MB/h',
        digits: 2,
      },
      {
        name: 'the demo (5 targets at 1 s, a wrapped push): log growth',
        value: demo.mbPerHour,
        unit: 'MB/h',
        digits: 2,
      },
      { name: 'the demo written as version 1 did', value: demo.v1MbPerHour, unit: 'MB/h', digits: 2 },
    ],
    notes: [
      `default targets: ${defaults.events} events (${defaults.probes} probes) in ${SECONDS} s after a ${WARMUP} s warm-up, ${(defaults.bytes / Math.max(1, defaults.events)).toFixed(0)} bytes per event on average; version 1 figures are the same events re-serialized one complete line each`,
      `demo: ${demo.events} events (${demo.probes} probes) in ${DEMO_SECONDS} s; its certificates carry the full chain and names, as a real registry's do`,
      'the credential checks ran as on a machine with no docker login (HOME and DOCKER_CONFIG empty)',
    ],
  });
}

main().catch((error) => {
  console.error(`log-size: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});

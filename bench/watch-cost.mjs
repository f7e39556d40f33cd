#!/usr/bin/env node
/**
 * Benchmark 2, the cost of watching. In the simulated world (network namespace, its resolver,
 * the test CA with ECDSA P-256 certificates as Google's, a fault proxy passing traffic
 * untouched in front of each host, a registry front behind them), 10 registry hosts are
 * probed once a second each, side by side in one window:
 *   (a) `gcrwatch --plain` headless (with its session log), output drained by this script;
 *   (b) the same at an earlier commit (`--baseline`, default the one before issue 15), so a
 *       change is measured against what it changed, in the same window;
 *   (c) gcrwatch's TUI in a tmux window of 120×40 (when the TUI exists in this build); it writes
 *       how many frames it drew (GCRWATCH_FRAME_STATS), so drawing's CPU per frame is known;
 *   (d) prometheus-blackbox-exporter with an http module (GET /v2/, fresh TLS each probe),
 *       asked by a small driver for each of the same /v2/ URLs once a second, as Prometheus would;
 *   (e) the floor for any Node.js prober: a bare script doing only what a probe must
 *       (getaddrinfo, TCP connect, a fresh verified TLS handshake with a shared SecureContext,
 *       GET /v2/ written by hand, the answer read to its end), nothing recorded.
 * Each process's CPU (user + system, all threads, from /proc/PID/stat; not wall time) is read
 * at the edges of `--windows` equal windows after a warm-up: the ratios are taken per window
 * (the processes shared every moment of it) and their median reported, so a burst of load
 * from elsewhere on the machine moves one window, not the result. RSS is sampled.
 * Then each gcrwatch build runs (side by side) for `--profile-seconds` with `node --cpu-prof`,
 * and the top items of both profiles go into the document, with what each part of a round
 * costs measured alone (support/cost-parts.mjs).
 * Targets: gcrwatch ÷ floor ≤ 1.10 (issue 15); headless ≤ 1 % of one core, headless RSS ≤ 100 MB;
 * the TUI's drawing ≤ 1.5 % of a core above headless and its RSS ≤ 130 MB (issue 14).
 *
 *   npm run build && node bench/watch-cost.mjs [--seconds 60] [--warmup 10] [--windows 6] [--targets 10]
 *     [--baseline COMMIT | --no-baseline] [--profile-seconds 60] [--pairs 500 | --no-parts] [--no-tui]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BIN,
  ROOT,
  finish,
  flag,
  median,
  numberOption,
  ProcessMeter,
  requirePrereqs,
  sleep,
  cpuSecondsOf,
} from './support/kit.mjs';
import { openWorld, registryNames } from './support/world.mjs';
import { startTuiInTmux, tuiAvailable } from './support/tmux.mjs';
import { baselineBuild } from './support/baseline-build.mjs';
import { blackboxConfig, DRIVER, NODE_FLOOR } from './support/watch-peers.mjs';
import { profileSessions, profileTable } from './support/watch-profile.mjs';
import { explain } from './support/watch-explain.mjs';
import { measureParts, partsTable } from './support/cost-parts.mjs';

const SECONDS = numberOption('seconds', 60);
const WARMUP = numberOption('warmup', 10);
const TARGETS = numberOption('targets', 10);
const WINDOWS = numberOption('windows', 6);
const PROFILE_SECONDS = numberOption('profile-seconds', 60);
const BLACKBOX_PORT = 9115;
/** The commit before issue 15's lean probe path: what "before" means by default. */
const BASELINE_COMMIT = 'a112275';

requirePrereqs('watch-cost', {
  root: true,
  commands: ['ip', 'prometheus-blackbox-exporter', ...(flag('no-tui') ? [] : ['tmux'])],
});

/**
 * RSS of a Node.js process that has only imported the TUI's libraries (ink, react, and ink's
 * yoga-layout with its WebAssembly memory), after a full GC, beside an empty process: what
 * drawing with Ink costs in memory before gcrwatch draws anything.
 */
function inkImportFloor() {
  const script =
    "const m = () => process.memoryUsage().rss / 1e6; global.gc(); const empty = m(); await import('ink'); await import('react'); global.gc(); console.log(JSON.stringify({ empty, ink: m() }));";
  try {
    return JSON.parse(
      execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
        cwd: ROOT,
        encoding: 'utf8',
      }),
    );
  } catch {
    return undefined;
  }
}

async function waitFor(check, what, timeoutMs = 15_000) {
  const start = Date.now();
  for (;;) {
    if (await check()) return;
    if (Date.now() - start > timeoutMs) throw new Error(`${what} not ready after ${timeoutMs} ms`);
    await sleep(100);
  }
}

function lines(stream, onLine) {
  let rest = '';
  stream.setEncoding('utf8').on('data', (chunk) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop();
    for (const l of parts) onLine(l);
  });
}

/** The value of `--name VALUE`, or undefined. */
function textOption(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/** The earlier build to compare with, or undefined (`--no-baseline`, or it cannot be built here). */
function baseline(notes) {
  if (flag('no-baseline')) return undefined;
  const commit = textOption('baseline') ?? BASELINE_COMMIT;
  try {
    return { commit, bin: join(baselineBuild(commit), 'bin', 'gcrwatch') };
  } catch (error) {
    notes.push(`no comparison with ${commit}: ${error instanceof Error ? error.message : error}`);
    return undefined;
  }
}

/** `gcrwatch --plain` of `bin` in the world, its lines counted. */
function startPlain(world, bin, args) {
  const child = world.spawn(process.execPath, [bin, '--plain', ...args], { cwd: ROOT });
  const counted = { child, lines: 0 };
  lines(child.stdout, () => counted.lines++);
  child.stderr.resume();
  return counted;
}

/**
 * Read every process's CPU at the edges of `count` windows of `seconds` in all: per window,
 * each one's CPU seconds and the window's wall seconds.
 */
async function measureWindows(pids, seconds, count) {
  const read = () => ({
    at: process.hrtime.bigint(),
    cpu: Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSecondsOf(pid)])),
  });
  const windows = [];
  let last = read();
  for (let i = 0; i < count; i++) {
    await sleep((seconds * 1000) / count);
    const now = read();
    const wall = Number(now.at - last.at) / 1e9;
    windows.push({ wall, cpu: Object.fromEntries(Object.keys(pids).map((k) => [k, now.cpu[k] - last.cpu[k]])) });
    last = now;
  }
  return windows;
}

async function main() {
  const notes = [];
  const before = baseline(notes);
  const names = registryNames(TARGETS);
  const { world, close } = await openWorld(names);
  const runSeconds = WARMUP + SECONDS + 3;
  const withTui = !flag('no-tui') && tuiAvailable();
  let measured;
  try {
    const targetArgs = names.flatMap((n) => ['--target', n]);
    const probing = ['--only', ...targetArgs, '--interval', '1s'];
    const common = [...probing, '--duration', `${runSeconds}s`];

    // (d) blackbox_exporter and its driver.
    const bbConfig = join(world.dir, 'blackbox.yml');
    writeFileSync(bbConfig, blackboxConfig(world.caFile));
    const blackbox = world.spawn('prometheus-blackbox-exporter', [
      `--config.file=${bbConfig}`,
      `--web.listen-address=127.0.0.1:${BLACKBOX_PORT}`,
    ]);
    blackbox.stdout.resume();
    blackbox.stderr.resume();
    const driverFile = join(world.dir, 'blackbox-driver.mjs');
    writeFileSync(driverFile, DRIVER);
    await waitFor(
      async () => (await world.run('bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${BLACKBOX_PORT}`])).code === 0,
      'blackbox_exporter',
    );

    // (a) and (b): gcrwatch --plain, this build and the earlier one.
    const plain = startPlain(world, BIN, [...common, '--log', join(world.dir, 'plain.ndjson')]);
    const old = before
      ? startPlain(world, before.bin, [...common, '--log', join(world.dir, 'before.ndjson')])
      : undefined;

    // (c) the TUI in tmux.
    const frameFile = join(world.dir, 'tui-frames.json');
    const tui = withTui
      ? await startTuiInTmux(world, [...common, '--log', join(world.dir, 'tui.ndjson')], {
          env: { GCRWATCH_FRAME_STATS: frameFile },
        })
      : undefined;

    const driver = world.spawn(process.execPath, [
      driverFile,
      String(BLACKBOX_PORT),
      String(WARMUP + SECONDS),
      ...names.map((n) => `https://${n}/v2/`),
    ]);
    let driverResult = '';
    driver.stdout.setEncoding('utf8').on('data', (c) => (driverResult += c));

    // (e) the bare Node prober.
    const floorFile = join(world.dir, 'node-floor.mjs');
    writeFileSync(floorFile, NODE_FLOOR);
    const floor = world.spawn(process.execPath, [floorFile, String(WARMUP + SECONDS), world.caFile, ...names]);
    let floorResult = '';
    floor.stdout.setEncoding('utf8').on('data', (c) => (floorResult += c));
    floor.stderr.resume();

    await sleep(WARMUP * 1000);
    const pids = { plain: plain.child.pid, blackbox: blackbox.pid, floor: floor.pid };
    if (old) pids.before = old.child.pid;
    if (tui) pids.tui = tui.pid;
    const meters = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, new ProcessMeter(pid).begin()]));
    const windows = await measureWindows(pids, SECONDS, WINDOWS);
    const results = Object.fromEntries(Object.entries(meters).map(([k, m]) => [k, m.end()]));
    const wholePlainCpu = cpuSecondsOf(plain.child.pid);
    await new Promise((resolve) => plain.child.once('exit', resolve));
    if (old)
      await new Promise((resolve) => (old.child.exitCode !== null ? resolve() : old.child.once('exit', resolve)));
    await new Promise((resolve) => driver.once('exit', resolve));
    await new Promise((resolve) => (floor.exitCode !== null ? resolve() : floor.once('exit', resolve)));
    if (tui) await tui.stop();
    blackbox.kill();
    const builds = [
      { name: 'this build', bin: BIN },
      ...(before ? [{ name: `before (${before.commit})`, bin: before.bin }] : []),
    ];
    const profiles = PROFILE_SECONDS > 0 ? await profileSessions(world, builds, probing, PROFILE_SECONDS) : [];
    const parts = flag('no-parts') ? undefined : await measureParts(numberOption('pairs', 500));
    measured = {
      parts,
      results,
      windows,
      profiles,
      before,
      bb: JSON.parse(driverResult.trim() || '{"ok":0,"failed":0}'),
      bare: JSON.parse(floorResult.trim() || '{"ok":0,"failed":0}'),
      plainLines: plain.lines,
      wholePlainCpu,
      inkFloor: withTui ? inkImportFloor() : undefined,
      frames: tui ? readFrames(frameFile) : undefined,
    };
  } finally {
    await close();
  }
  report(measured, withTui, notes);
}

/** The TUI's own count of the frames it drew (see src/ui/frame-stats.ts), or undefined. */
function readFrames(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Frames drawn in the measured window, from the session's frame rate. */
function framesInWindow(frames, wallSeconds) {
  return frames && frames.seconds > 0 ? (frames.frames / frames.seconds) * wallSeconds : undefined;
}

/** The median over the windows of `a`'s CPU divided by `b`'s. */
function windowRatio(windows, a, b) {
  return median(windows.filter((w) => w.cpu[b] > 0).map((w) => w.cpu[a] / w.cpu[b]));
}

function report(m, withTui, extraNotes) {
  const { results, windows, bb, bare, plainLines, wholePlainCpu, inkFloor, before, frames } = m;
  const probesPerSecond = TARGETS;
  const perProbeMs = (r) => (1000 * r.cpuSeconds) / (r.wallSeconds * probesPerSecond);
  const ratios = windows.map((w) => (w.cpu.plain / w.cpu.floor).toFixed(2)).join(', ');
  const figures = [
    {
      name: `gcrwatch --plain ÷ bare Node.js floor (CPU, median of ${windows.length} windows)`,
      value: windowRatio(windows, 'plain', 'floor'),
      unit: '',
      target: { op: '<=', value: 1.1 },
    },
    {
      name: `gcrwatch --plain ÷ blackbox_exporter (CPU, median of ${windows.length} windows)`,
      value: windowRatio(windows, 'plain', 'blackbox'),
      unit: '',
      headline: true,
    },
  ];
  if (before) {
    figures.push(
      {
        name: `gcrwatch --plain at ${before.commit} ÷ bare Node.js floor (before)`,
        value: windowRatio(windows, 'before', 'floor'),
        unit: '',
        headline: true,
      },
      {
        name: `this build ÷ ${before.commit} (CPU)`,
        value: windowRatio(windows, 'plain', 'before'),
        unit: '',
        headline: true,
      },
    );
  }
  figures.push(
    {
      name: 'gcrwatch --plain CPU',
      value: 100 * results.plain.share,
      unit: '% of one core',
      target: { op: '<=', value: 1 },
    },
    {
      name: 'gcrwatch --plain RSS (max sampled)',
      value: results.plain.maxRssMb,
      unit: 'MB',
      digits: 1,
      target: { op: '<=', value: 100 },
    },
    { name: 'blackbox_exporter CPU', value: 100 * results.blackbox.share, unit: '% of one core' },
    { name: 'blackbox_exporter RSS (max sampled)', value: results.blackbox.maxRssMb, unit: 'MB', digits: 1 },
    { name: 'CPU per probe, gcrwatch --plain', value: perProbeMs(results.plain), unit: 'ms' },
    ...(before
      ? [{ name: `CPU per probe, gcrwatch --plain at ${before.commit}`, value: perProbeMs(results.before), unit: 'ms' }]
      : []),
    { name: 'CPU per probe, blackbox_exporter', value: perProbeMs(results.blackbox), unit: 'ms' },
    { name: 'CPU per probe, bare Node.js prober (floor)', value: perProbeMs(results.floor), unit: 'ms' },
    { name: 'bare Node.js prober CPU', value: 100 * results.floor.share, unit: '% of one core' },
  );
  if (withTui && results.tui) {
    const drawn = framesInWindow(frames, results.tui.wallSeconds);
    const drawingCpu = results.tui.cpuSeconds - results.plain.share * results.tui.wallSeconds;
    figures.push(
      { name: 'gcrwatch TUI (tmux 120×40) CPU', value: 100 * results.tui.share, unit: '% of one core' },
      {
        name: 'gcrwatch TUI − gcrwatch --plain (CPU of drawing)',
        value: 100 * (results.tui.share - results.plain.share),
        unit: '% of one core',
        target: { op: '<=', value: 1.5 },
      },
      {
        name: 'gcrwatch TUI RSS (max sampled)',
        value: results.tui.maxRssMb,
        unit: 'MB',
        digits: 1,
        target: { op: '<=', value: 130 },
      },
      { name: 'gcrwatch TUI ÷ blackbox_exporter (CPU)', value: results.tui.share / results.blackbox.share, unit: '' },
    );
    if (drawn) {
      figures.push(
        { name: 'dashboard frames drawn a second', value: drawn / results.tui.wallSeconds, unit: '' },
        { name: 'CPU per frame (drawing CPU ÷ frames)', value: (1000 * drawingCpu) / drawn, unit: 'ms' },
        { name: "Ink's layout and output per frame, median (wall)", value: frames.inkMs.p50, unit: 'ms' },
      );
    }
    if (inkFloor) {
      figures.push(
        { name: 'RSS of an empty Node.js process (after GC)', value: inkFloor.empty, unit: 'MB', digits: 1 },
        {
          name: 'RSS of a Node.js process that only imported ink and react (after GC)',
          value: inkFloor.ink,
          unit: 'MB',
          digits: 1,
        },
      );
    }
  }
  const notes = [
    ...extraNotes,
    `${TARGETS} targets at 1 s; ${SECONDS} s after a ${WARMUP} s warm-up, in ${windows.length} windows; gcrwatch${before ? ` (this build and ${before.commit})` : ''}, blackbox_exporter and the floor ran side by side in every window`,
    `gcrwatch --plain ÷ floor per window: ${ratios}`,
    `blackbox_exporter probes answered: ${bb.ok} healthy, ${bb.failed} failed; gcrwatch --plain printed ${plainLines} lines`,
    `gcrwatch --plain whole-process CPU including start-up: ${wholePlainCpu.toFixed(2)} s`,
    `bare Node.js prober: ${bare.ok} answers read, ${bare.failed} failed; its RSS ${results.floor.maxRssMb.toFixed(1)} MB`,
  ];
  if (!withTui) notes.push('TUI not measured: this build has no TUI (or --no-tui was given)');
  finish({
    name: 'watch-cost',
    title: 'Cost of watching (10 targets, 1 s)',
    command: 'node bench/watch-cost.mjs',
    figures,
    notes,
    details: [profileTable(m.profiles, PROFILE_SECONDS), partsTable(m.parts)].filter(Boolean).join('\n\n'),
    explanations: explain({
      results,
      perProbeMs,
      inkFloor,
      frames,
      framesInWindow,
      floorRatio: figures[0],
      profiles: m.profiles,
      parts: m.parts?.parts,
      allocated: m.parts?.allocated,
    }),
  });
}

main().catch((error) => {
  console.error(`watch-cost: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});

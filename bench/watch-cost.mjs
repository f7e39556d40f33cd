#!/usr/bin/env node
/**
 * Benchmark 2, the cost of watching. In the simulated world (network namespace, its resolver,
 * the test CA, a fault proxy passing traffic untouched in front of each host, a registry front
 * behind them), 10 registry hosts are probed once a second each, side by side in one window:
 *   (a) `gcrwatch --plain` headless, output drained by this script;
 *   (b) gcrwatch's TUI in a tmux window of 120×40 (when the TUI exists in this build);
 *   (c) prometheus-blackbox-exporter with an http module (GET /v2/, fresh TLS each probe: it
 *       makes a new client with keep-alives off for every probe), asked by a small driver in
 *       the namespace for each of the same /v2/ URLs once a second, as Prometheus would.
 * Each process's CPU (user + system, all threads, from /proc/PID/stat) over a window that
 * starts after a warm-up, divided by the window's wall time, and its RSS (sampled, and VmHWM).
 * With `--profile DIR`, the headless gcrwatch writes a V8 CPU profile there (bench/support/profile-summary.mjs reads it).
 * Targets: headless ≤ 1 % of one core, TUI ≤ 2 %, RSS ≤ 100 MB, gcrwatch ÷ blackbox ≤ 1.0.
 *
 *   npm run build && node bench/watch-cost.mjs [--seconds 60] [--warmup 10] [--targets 10] [--no-tui] [--profile DIR]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, finish, flag, numberOption, ProcessMeter, requirePrereqs, sleep, cpuSecondsOf } from './support/kit.mjs';
import { openWorld, registryNames } from './support/world.mjs';
import { startTuiInTmux, tuiAvailable } from './support/tmux.mjs';

const SECONDS = numberOption('seconds', 60);
const WARMUP = numberOption('warmup', 10);
const TARGETS = numberOption('targets', 10);
const BLACKBOX_PORT = 9115;

requirePrereqs('watch-cost', { root: true, commands: ['ip', 'prometheus-blackbox-exporter', ...(flag('no-tui') ? [] : ['tmux'])] });

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
    const blackbox = world.spawn('prometheus-blackbox-exporter', [`--config.file=${bbConfig}`, `--web.listen-address=127.0.0.1:${BLACKBOX_PORT}`]);
    blackbox.stdout.resume();
    blackbox.stderr.resume();
    const driverFile = join(world.dir, 'blackbox-driver.mjs');
    writeFileSync(driverFile, DRIVER);
    await waitFor(async () => (await world.run('bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${BLACKBOX_PORT}`])).code === 0, 'blackbox_exporter');

    // (a) gcrwatch --plain.
    const plainLog = join(world.dir, 'plain.ndjson');
    const profile = process.argv.includes('--profile') ? ['--cpu-prof', `--cpu-prof-dir=${process.argv[process.argv.indexOf('--profile') + 1]}`] : [];
    const plain = world.spawn(process.execPath, [...profile, BIN, '--plain', ...common, '--log', plainLog], { cwd: ROOT });
    let plainLines = 0;
    lines(plain.stdout, () => plainLines++);
    plain.stderr.resume();

    // (b) the TUI in tmux.
    const tui = withTui ? await startTuiInTmux(world, [...common, '--log', join(world.dir, 'tui.ndjson')]) : undefined;

    const driver = world.spawn(process.execPath, [driverFile, String(BLACKBOX_PORT), String(WARMUP + SECONDS), ...names.map((n) => `https://${n}/v2/`)]);
    let driverResult = '';
    driver.stdout.setEncoding('utf8').on('data', (c) => (driverResult += c));

    await sleep(WARMUP * 1000);
    const meters = { plain: new ProcessMeter(plain.pid).begin(), blackbox: new ProcessMeter(blackbox.pid).begin() };
    if (tui) meters.tui = new ProcessMeter(tui.pid).begin();
    await sleep(SECONDS * 1000);
    const results = Object.fromEntries(Object.entries(meters).map(([k, m]) => [k, m.end()]));
    const wholePlainCpu = cpuSecondsOf(plain.pid);
    await new Promise((resolve) => plain.once('exit', resolve));
    await new Promise((resolve) => driver.once('exit', resolve));
    if (tui) await tui.stop();
    const bb = JSON.parse(driverResult.trim() || '{"ok":0,"failed":0}');
    measured.push({ results, bb, plainLines, wholePlainCpu });
  } finally {
    await close();
  }
  report(measured[0], withTui);
}

function report({ results, bb, plainLines, wholePlainCpu }, withTui) {
  const probesPerSecond = TARGETS;
  const perProbeMs = (r) => (1000 * r.cpuSeconds) / (r.wallSeconds * probesPerSecond);
  const figures = [
    { name: 'gcrwatch --plain CPU', value: 100 * results.plain.share, unit: '% of one core', target: { op: '<=', value: 1 } },
    { name: 'gcrwatch --plain RSS (max sampled)', value: results.plain.maxRssMb, unit: 'MB', digits: 1, target: { op: '<=', value: 100 } },
    { name: 'blackbox_exporter CPU', value: 100 * results.blackbox.share, unit: '% of one core' },
    { name: 'blackbox_exporter RSS (max sampled)', value: results.blackbox.maxRssMb, unit: 'MB', digits: 1 },
    { name: 'gcrwatch --plain ÷ blackbox_exporter (CPU)', value: results.plain.share / results.blackbox.share, unit: '', target: { op: '<=', value: 1.0 } },
    { name: 'CPU per probe, gcrwatch --plain', value: perProbeMs(results.plain), unit: 'ms' },
    { name: 'CPU per probe, blackbox_exporter', value: perProbeMs(results.blackbox), unit: 'ms' },
  ];
  if (withTui && results.tui) {
    figures.push(
      { name: 'gcrwatch TUI (tmux 120×40) CPU', value: 100 * results.tui.share, unit: '% of one core', target: { op: '<=', value: 2 } },
      { name: 'gcrwatch TUI RSS (max sampled)', value: results.tui.maxRssMb, unit: 'MB', digits: 1, target: { op: '<=', value: 100 } },
      { name: 'gcrwatch TUI ÷ blackbox_exporter (CPU)', value: results.tui.share / results.blackbox.share, unit: '' },
    );
  }
  const notes = [
    `${TARGETS} targets at 1 s; window ${SECONDS} s after a ${WARMUP} s warm-up; the three ran side by side in one window`,
    `blackbox_exporter probes answered: ${bb.ok} healthy, ${bb.failed} failed; gcrwatch --plain printed ${plainLines} lines`,
    `gcrwatch --plain whole-process CPU including start-up: ${wholePlainCpu.toFixed(2)} s`,
  ];
  if (!withTui) notes.push('TUI not measured: this build has no TUI (or --no-tui was given)');
  finish({ name: 'watch-cost', title: 'Cost of watching (10 targets, 1 s)', command: 'node bench/watch-cost.mjs', figures, notes });
}

main().catch((error) => {
  console.error(`watch-cost: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});

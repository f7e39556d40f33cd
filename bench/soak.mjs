#!/usr/bin/env node
/**
 * Soak: gcrwatch (default targets, credential checks, metrics, a session log) runs for a long
 * time in the simulated world (test/peers/world.ts) while the faults of the matrix
 * (test/peers/world-faults.ts) are switched on and off: every minute after a first quiet one,
 * the next fault is on for WINDOW seconds, then off for the rest of the minute. The faults
 * come one layer after another, so that 30 minutes meet DNS, TCP, TLS, HTTP and credentials.
 *
 * Checked at the end (the script exits 1 when any fails):
 *   - gcrwatch never exited on its own, and ends cleanly on SIGTERM (exit 0, session.end);
 *   - every fault window is in the log: the fault's code on the witness (probe rounds of its
 *     target, or its credential checks) during the window, and a success after it;
 *   - every fault window is in the report (`gcrwatch report`, when this build has it): its code
 *     and target appear in the Markdown and the JSON report;
 *   - RSS and open file descriptors of gcrwatch, sampled every 10 s: growth from the end of the
 *     quiet minute to the end stays within RSS_GROWTH_MB and FD_GROWTH, and RSS within RSS_PEAK_MB;
 *   - no canary secret in the log, stdout, stderr, the metrics or the reports.
 * The figures go to stdout and into docs/reliability.md (between the soak markers).
 * Needs root, iproute2, util-linux, docker-registry and iptables (.ci/run installs them).
 *
 *   npm run soak                       # 30 minutes
 *   node bench/soak.mjs --minutes 5 --window 20
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, transpileProject } from './support/import-ts.mjs';

/** Every event of a session log, as gcrwatch reads it (references expanded). */
async function readEvents(file) {
  const { readSessionLog } = await import(join(ROOT, 'dist/core/log/ndjson-reader.js'));
  const events = [];
  for await (const e of readSessionLog(file)) events.push(e);
  return events;
}

const option = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const MINUTES = option('minutes', 30);
const WINDOW_S = option('window', 30);
const MINUTE_MS = option('minute-seconds', 60) * 1000;
const SAMPLE_MS = 10_000;
/** The bounds the soak holds gcrwatch to. */
const RSS_GROWTH_MB = 30;
const RSS_PEAK_MB = 200;
const FD_GROWTH = 10;
const METRICS = '127.0.0.1:9464';
/** gcrwatch as built when the soak started (a copy: a rebuild meanwhile must not change it). */
let BIN = join(ROOT, 'bin', 'gcrwatch');

function snapshotBuild() {
  const dir = mkdtempSync(join(tmpdir(), 'gcrwatch-soak-build-'));
  cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  BIN = join(dir, 'bin', 'gcrwatch');
  return dir;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error(new Date().toISOString().slice(11, 19), ...a);

function missingPrereqs() {
  const missing = process.getuid?.() === 0 ? [] : ['root'];
  for (const cmd of ['ip', 'nsenter', 'unshare', 'docker-registry', 'iptables']) {
    const found =
      spawnSync('sh', ['-c', `command -v ${cmd}`], {
        env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` },
      }).status === 0;
    if (!found) missing.push(cmd);
  }
  return missing;
}

/** RSS (MB), open fds and threads of a process, from /proc. */
function sample(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return {
    at: Date.now(),
    rssMb: field('VmRSS') / 1024,
    fds: readdirSync(`/proc/${pid}/fd`).length,
    threads: field('Threads'),
  };
}

/** The witness events of a fault in [from, to) (ms): its target's rounds or its credential checks. */
function witnessed(events, fault, from, to) {
  const w = fault.witness;
  return events.filter((e) => {
    const t = Date.parse(e.t);
    if (t < from || t >= to) return false;
    if (e.type === 'probe') return w.kind === 'probe' && e.target === w.target;
    if (e.type === 'auth') return w.kind === 'auth' && e.view === w.view && e.host === w.host;
    return false;
  });
}

function seenInWindow(events, window) {
  const { fault } = window;
  const inside = witnessed(events, fault, window.on, window.off + 1000);
  const hits = inside.filter((e) =>
    fault.codes.length === 0 ? e.ok && e.details?.tls?.interception : !e.ok && fault.codes.includes(e.error?.code),
  );
  const after = witnessed(events, fault, window.off + 500, window.off + 45_000);
  const recovered = after.find((e) => e.ok && !e.details?.tls?.interception);
  return {
    name: fault.name,
    codes: fault.codes,
    rounds: inside.length,
    hits: hits.length,
    recoveredAfterMs: recovered ? Date.parse(recovered.t) - window.off : undefined,
    ok: hits.length > 0 && recovered !== undefined,
  };
}

/** Run `gcrwatch report` in the formats given; undefined when this build has no report command. */
function reports(logFile) {
  const help = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
  if (!/^\s+report\b/m.test(help.stdout)) return undefined;
  const out = {};
  for (const format of ['md', 'json']) {
    const r = spawnSync(process.execPath, [BIN, 'report', logFile, '--format', format], {
      encoding: 'utf8',
      maxBuffer: 256 << 20,
    });
    out[format] = { status: r.status, text: r.stdout, stderr: r.stderr };
  }
  return out;
}

/**
 * The finding episodes of the JSON report that overlap a fault window (from its start to 20 s
 * after its end) and name the fault's target, or carry the fault's own code (a token endpoint
 * fault is told by the endpoint's name, auth.gcr.io, not the witness's): how the report shows
 * that window.
 */
function reportEpisodes(json, window) {
  const { fault } = window;
  const target = fault.witness.kind === 'probe' ? fault.witness.target : fault.witness.host;
  const names = new RegExp(`(?<![\\w.-])${target.replace(/\./g, '\\.')}(?![\\w-])`);
  const out = [];
  for (const f of json.findings) {
    for (const e of f.episodes ?? []) {
      const from = Date.parse(e.from);
      const to = e.to ? Date.parse(e.to) : Infinity;
      const text = e.summaries.join(' ');
      if (from <= window.off + 20_000 && to >= window.on && (names.test(text) || fault.codes.includes(f.code)))
        out.push({ code: f.code, summaries: e.summaries });
    }
  }
  return out;
}

/**
 * The faults in turn one layer after another (dns, tcp, tls, http, credentials, dns, ...):
 * 30 one-minute windows cannot hold all of them, and every layer must be met.
 */
function interleaveByLayer(faults) {
  const byLayer = new Map();
  for (const f of faults) byLayer.set(f.layer, [...(byLayer.get(f.layer) ?? []), f]);
  const out = [];
  for (let i = 0; out.length < faults.length; i++) for (const list of byLayer.values()) if (list[i]) out.push(list[i]);
  return out;
}

function writeDoc(markdown) {
  const file = join(ROOT, 'docs', 'reliability.md');
  const text = readFileSync(file, 'utf8');
  const begin = '<!-- soak:begin -->';
  const end = '<!-- soak:end -->';
  const i = text.indexOf(begin);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`${file} has no ${begin} ... ${end} section`);
  writeFileSync(file, `${text.slice(0, i + begin.length)}\n${markdown}\n${text.slice(j)}`);
}

async function main() {
  const missing = missingPrereqs();
  if (missing.length) {
    console.error(`soak: cannot run, missing: ${missing.join(', ')} (run as root after .ci/run's apt-get installs)`);
    process.exit(2);
  }
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')],
    { stdio: 'inherit' },
  );
  const build = snapshotBuild();
  const harness = await transpileProject(['src', 'test/peers', 'test/support']);
  const { createWorld } = await harness.load('test/peers/world.ts');
  const { FAULT_WORLD_HOSTS, installFaultHelper, prepareFaultPki, worldFaults } =
    await harness.load('test/peers/world-faults.ts');
  const { HelperBin } = await harness.load('test/support/credential-helpers.ts');
  const dir = mkdtempSync(join(tmpdir(), 'gcrwatch-soak-'));
  const world = await createWorld({ hosts: FAULT_WORLD_HOSTS });
  const bin = new HelperBin();
  let failed = [];
  try {
    const pki = await prepareFaultPki(world, dir);
    const helper = await installFaultHelper(world, bin);
    const faults = interleaveByLayer(worldFaults(world, pki, helper));
    const logFile = join(dir, 'soak.ndjson');
    const args = [
      '--plain',
      '--log',
      logFile,
      '--ca-file',
      pki.interceptCaFile,
      '--repo',
      'gcr.io/proj/app',
      '--auth-interval',
      '10s',
      '--metrics',
      METRICS,
    ];
    const child = world.spawn(process.execPath, [BIN, ...args], { env: bin.env() });
    let stdoutLines = 0;
    let stdoutText = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c) => {
      stdoutLines += c.split('\n').length - 1;
      stdoutText = (stdoutText + c).slice(-1 << 20);
      if (/CANARY/.test(c)) failed.push('a canary on stdout');
    });
    child.stderr.setEncoding('utf8').on('data', (c) => {
      stderr += c;
    });
    let exitedEarly;
    child.once('exit', (code, signal) => {
      exitedEarly ??= { code, signal };
    });
    await sleep(1500);
    const pid = child.pid;
    if (!readlinkSync(`/proc/${pid}/exe`).includes('node')) throw new Error(`pid ${pid} is not gcrwatch's node`);
    const samples = [sample(pid)];
    const sampler = setInterval(() => {
      if (!exitedEarly) samples.push(sample(pid));
    }, SAMPLE_MS);
    const start = Date.now();
    const windows = [];
    let metricsScrapes = 0;
    let metricsText = '';
    log(
      `soak: ${MINUTES} min, gcrwatch pid ${pid}, ${faults.length} faults in turn, ${WINDOW_S} s on per minute; log ${logFile}`,
    );
    for (let minute = 1; minute < MINUTES && !exitedEarly; minute++) {
      await sleep(Math.max(0, start + minute * MINUTE_MS - Date.now()));
      if (minute === 1) samples.push({ ...sample(pid), baseline: true });
      const fault = faults[(minute - 1) % faults.length];
      const on = Date.now();
      await fault.on();
      log(`minute ${minute}: ${fault.name} on`);
      await sleep(WINDOW_S * 1000);
      const off = Date.now();
      await fault.off();
      windows.push({ fault, on, off });
      const scrape = await world.run('curl', ['-sS', '--max-time', '5', `http://${METRICS}/metrics`]);
      if (scrape.code === 0) {
        metricsScrapes++;
        metricsText = scrape.stdout;
      }
      if (/CANARY/.test(scrape.stdout)) failed.push('a canary in the metrics');
    }
    await sleep(Math.max(0, start + MINUTES * MINUTE_MS - Date.now()));
    clearInterval(sampler);
    samples.push(sample(pid));
    if (exitedEarly) failed.push(`gcrwatch exited on its own: ${JSON.stringify(exitedEarly)}`);
    child.kill('SIGTERM');
    const exit = await new Promise((r) =>
      child.exitCode !== null || child.signalCode !== null
        ? r({ code: child.exitCode, signal: child.signalCode })
        : child.once('exit', (code, signal) => r({ code, signal })),
    );
    const wallS = (Date.now() - start) / 1000;

    const text = readFileSync(logFile, 'utf8');
    // Through gcrwatch's own reader: a probe that repeats its details is written as a reference.
    const events = await readEvents(logFile);
    const byType = {};
    for (const e of events) byType[e.type] = (byType[e.type] ?? 0) + 1;
    const end = events.at(-1);
    if (events[0].type !== 'session.start') failed.push('the log does not start with session.start');
    if (end.type !== 'session.end' || end.reason !== 'signal')
      failed.push(`the log does not end with session.end (signal): ${JSON.stringify(end).slice(0, 200)}`);
    if (exit.code !== 0) failed.push(`gcrwatch exited with ${JSON.stringify(exit)} on SIGTERM`);
    if (/CANARY/.test(text) || /CANARY/.test(stderr)) failed.push('a canary in the log or on stderr');
    const strayStderr = stderr.split('\n').filter((l) => l && !l.startsWith('gcrwatch: metrics at '));
    if (strayStderr.length) failed.push(`stderr: ${strayStderr.slice(0, 5).join(' | ')}`);

    const seen = windows.map((w) => seenInWindow(events, w));
    for (const s of seen) if (!s.ok) failed.push(`fault window not visible in the log: ${JSON.stringify(s)}`);
    const report = reports(logFile);
    let reportLine = 'the report command is not in this build';
    if (report) {
      if (report.md.status !== 0 || report.json.status !== 0)
        failed.push(`report failed: ${report.md.stderr}${report.json.stderr}`);
      if (/CANARY/.test(report.md.text + report.json.text)) failed.push('a canary in a report');
      const json = JSON.parse(report.json.text);
      for (const [i, w] of windows.entries()) {
        seen[i].report = reportEpisodes(json, w);
        // What the JSON report says, the Markdown says too: every summary of those episodes.
        if (!seen[i].report.every((ep) => ep.summaries.every((s) => report.md.text.includes(s))))
          failed.push(`the Markdown report lacks what the JSON says of ${w.fault.name}`);
      }
      const missed = windows.filter((_w, i) => !seen[i].report.length).map((w) => w.fault.name);
      if (missed.length) failed.push(`fault windows the report does not show: ${missed.join(', ')}`);
      reportLine = `Markdown ${report.md.text.length} bytes, JSON ${report.json.text.length} bytes, ${json.findings.length} finding codes; ${windows.length - missed.length}/${windows.length} fault windows shown as a finding naming the target`;
    }

    const baseline = samples.find((s) => s.baseline) ?? samples[0];
    const last = samples.at(-1);
    const peakRss = Math.max(...samples.map((s) => s.rssMb));
    const rssGrowth = last.rssMb - baseline.rssMb;
    const fdGrowth = last.fds - baseline.fds;
    if (rssGrowth > RSS_GROWTH_MB) failed.push(`RSS grew ${rssGrowth.toFixed(1)} MB (bound ${RSS_GROWTH_MB})`);
    if (peakRss > RSS_PEAK_MB) failed.push(`RSS peaked at ${peakRss.toFixed(1)} MB (bound ${RSS_PEAK_MB})`);
    if (fdGrowth > FD_GROWTH) failed.push(`open fds grew by ${fdGrowth} (bound ${FD_GROWTH})`);

    const fmt = (s) => `${s.rssMb.toFixed(1)} MB RSS, ${s.fds} fds, ${s.threads} threads`;
    const md = [
      `Run of ${new Date(start).toISOString().slice(0, 16).replace('T', ' ')} UTC: \`node bench/soak.mjs --minutes ${MINUTES} --window ${WINDOW_S}\` on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}; ${(wallS / 60).toFixed(1)} minutes; result: **${failed.length ? 'FAILED' : 'passed'}**.`,
      '',
      '| | figure |',
      '| --- | --- |',
      `| faults injected | ${windows.length} windows of ${WINDOW_S} s (${new Set(windows.map((w) => w.fault.name)).size} different faults), ${seen.filter((s) => s.ok).length} seen in the log with the expected code and recovered after |`,
      `| events logged | ${events.length}: ${Object.entries(byType)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ')} |`,
      `| plain lines printed | ${stdoutLines} |`,
      `| metrics scrapes | ${metricsScrapes} (${metricsText.split('\n').filter((l) => l && !l.startsWith('#')).length} samples in the last) |`,
      `| report | ${reportLine} |`,
      `| gcrwatch at start (1.5 s) | ${fmt(samples[0])} |`,
      `| after the quiet first minute | ${fmt(baseline)} |`,
      `| at the end | ${fmt(last)} |`,
      `| peak RSS / growth after minute 1 | ${peakRss.toFixed(1)} MB (bound ${RSS_PEAK_MB}) / ${rssGrowth >= 0 ? '+' : ''}${rssGrowth.toFixed(1)} MB (bound ${RSS_GROWTH_MB}) |`,
      `| fd growth after minute 1 | ${fdGrowth >= 0 ? '+' : ''}${fdGrowth} (bound ${FD_GROWTH}) |`,
      `| exit on SIGTERM | ${exit.code ?? exit.signal}, session.end reason ${end.reason} |`,
      '',
      '| minute | fault | codes expected | rounds/checks in window | with the code | recovered after | in the report as |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...seen.map(
        (s, i) =>
          `| ${i + 1} | ${s.name} | ${s.codes.join(', ') || 'ok + interception flag'} | ${s.rounds} | ${s.hits} | ${s.recoveredAfterMs === undefined ? 'NOT' : `${(s.recoveredAfterMs / 1000).toFixed(1)} s`} | ${s.report ? (s.report.length ? [...new Set(s.report.map((ep) => ep.code))].join(', ') : 'NOT') : '-'} |`,
      ),
      ...(failed.length ? ['', 'Failures:', ...failed.map((f) => `- ${f}`)] : []),
    ].join('\n');
    console.log(md);
    if (!process.argv.includes('--no-doc')) writeDoc(md);
    writeFileSync(join(tmpdir(), 'gcrwatch-soak-samples.json'), JSON.stringify({ samples, seen }, null, 1));
  } finally {
    await world.close();
    bin.cleanup();
    await harness.dispose();
    rmSync(build, { recursive: true, force: true });
    if (!failed.length) rmSync(dir, { recursive: true, force: true });
    else console.error(`soak: kept ${dir} for a look`);
  }
  process.exit(failed.length ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

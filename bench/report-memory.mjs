#!/usr/bin/env node
/**
 * Benchmark: `gcrwatch report` memory does not grow with the log. Generates session logs of
 * 100,000 and 1,000,000 events (7 targets at a 2 s interval, a push with retries every few
 * hours, occasional failures and findings' raw material), then runs the built CLI on each
 * for every format and reports peak RSS (from /proc's VmHWM via process.resourceUsage of the
 * child: maxRSS) and wall time. Not a test: figures are printed, and the ratio of peak RSS
 * between the two sizes is the check (target: the 1M-event log within +30 MB of the 100k one),
 * and the 1M-event report must complete with the V8 heap capped at 64 MB.
 *
 *   npm run build && node bench/report-memory.mjs [--keep]
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BIN = path.resolve(import.meta.dirname, '../bin/gcrwatch');
const HOSTS = ['gcr.io', 'us.gcr.io', 'eu.gcr.io', 'asia.gcr.io', 'us-docker.pkg.dev', 'europe-docker.pkg.dev', 'asia-docker.pkg.dev'];
const START = Date.parse('2026-03-02T00:00:00Z');

/** Write a log of `count` events to `file`. */
async function generate(file, count) {
  const out = createWriteStream(file);
  const write = (obj) => (out.write(JSON.stringify(obj) + '\n') ? undefined : new Promise((r) => out.once('drain', r)));
  let t = START;
  const stamp = () => new Date(t).toISOString();
  await write({ v: 1, t: stamp(), type: 'session.start', version: 'bench', node: process.version, platform: 'linux-x64', mode: 'wrap', options: { intervalMs: 2000 }, targets: HOSTS.map((h, i) => ({ id: h, host: h, port: 443, source: 'default', ...(i === 1 ? { pushTarget: true } : {}) })) });
  let n = 1;
  let round = 0;
  while (n < count - 1) {
    for (const h of HOSTS) {
      const fail = (round + h.length) % 97 === 0;
      const tls = 25 + ((round * 7 + h.length) % 11);
      const p = { v: 1, t: stamp(), type: 'probe', target: h, round, kind: 'round', ok: !fail, ms: fail ? 5016 : 80, phases: fail ? { dns: 1.9, connect: 14.2, tls: 5000, total: 5016 } : { dns: 1.9, connect: 14.2, tls, ttfb: 36.1, transfer: 0.3, total: 52.5 + tls },
        details: { address: '192.0.2.10', family: 4, dns: [{ resolver: 'system', ok: true, ms: 1.9, v4: ['192.0.2.10'], v6: [] }], tcp: [{ family: 4, address: '192.0.2.10', ok: true, ms: 14.2 }], ...(fail ? { tls: { verified: false } } : { tls: { protocol: 'TLSv1.3', verified: true, daysLeft: 60 }, http: { status: 401 } }) },
        ...(fail ? { error: { code: 'tls.timeout', category: 'network', phase: 'tls', message: 'TLS handshake did not complete in 5000 ms' } } : {}), lagMs: 0 };
      await write(p);
      n++;
    }
    if (round % 3600 === 100) {
      await write({ v: 1, t: stamp(), type: 'push.start', argv: ['docker', 'push', 'us.gcr.io/p/app:1'], tool: 'docker', registry: 'us.gcr.io', repository: 'p/app', tag: '1' });
      n++;
    }
    if (round % 3600 === 130) {
      await write({ v: 1, t: stamp(), type: 'push.retry', layer: 'cbb277760eee', attempt: 1, delaySeconds: 5, cause: 'connection reset by peer', causeCode: 'push.connection_reset' });
      n++;
    }
    if (round % 3600 === 200) {
      await write({ v: 1, t: stamp(), type: 'push.end', exitCode: 0, durationMs: 200_000, layersPushed: 3, layersExisting: 0, retries: 1 });
      n++;
    }
    round++;
    t += 2000;
  }
  await write({ v: 1, t: stamp(), type: 'session.end', reason: 'duration', exitCode: 0, summary: [] });
  await new Promise((r) => out.end(r));
  return n + 1;
}

/** Run the CLI and return its peak RSS (MB) and wall time (s). */
function measure(args, nodeArgs = []) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    // spawn does not expose a child's resource usage and /usr/bin/time is not always installed: read /proc while it runs.
    let peakKb = 0;
    const poll = setInterval(() => {
      try {
        const status = peakRssKb(child.pid);
        if (status > peakKb) peakKb = status;
      } catch { /* the child has gone */ }
    }, 20);
    child.on('close', (code) => {
      clearInterval(poll);
      if (code !== 0) reject(new Error(`gcrwatch ${args.join(' ')} exited ${code}: ${stderr}`));
      else resolve({ rssMb: peakKb / 1024, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    });
  });
}

/** VmHWM (peak resident set) of a process, in kB. */
function peakRssKb(pid) {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-bench-report-'));
try {
  const rows = [];
  for (const count of [100_000, 1_000_000]) {
    const file = path.join(dir, `session-${count}.ndjson`);
    const written = await generate(file, count);
    const mb = statSync(file).size / 1e6;
    for (const format of ['md', 'html', 'json', 'csv']) {
      const r = await measure(['report', file, '--format', format, '-o', path.join(dir, `out-${count}.${format}`)]);
      rows.push({ events: written, logMb: mb.toFixed(0), format, peakRssMb: r.rssMb.toFixed(1), seconds: r.seconds.toFixed(1) });
      console.log(JSON.stringify(rows[rows.length - 1]));
    }
  }
  // The strongest check: the 1M-event report still completes with the V8 heap capped at 64 MB.
  const capped = await measure(['report', path.join(dir, 'session-1000000.ndjson'), '--format', 'html', '-o', path.join(dir, 'capped.html')], ['--max-old-space-size=64']);
  console.log(`html report of 1,000,000 events with --max-old-space-size=64: completed, peak RSS ${capped.rssMb.toFixed(1)} MB, ${capped.seconds.toFixed(1)} s`);
  for (const format of ['md', 'html', 'json', 'csv']) {
    const [a, b] = rows.filter((r) => r.format === format);
    console.log(`${format}: peak RSS ${a.peakRssMb} MB at ${a.events} events, ${b.peakRssMb} MB at ${b.events} events (growth ${(b.peakRssMb - a.peakRssMb).toFixed(1)} MB)`);
  }
} finally {
  if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
}

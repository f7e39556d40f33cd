#!/usr/bin/env node
/**
 * Benchmark: cost of the diagnosis engine per event. Feeds 200,000 probe rounds of 10 targets
 * (both address families, a Date header, a failure now and then) straight into the engine and
 * prints microseconds per event. Measured this way the rules were profiled (node --cpu-prof)
 * and the two hot ones (endpoint-failing, address-family) made per-target incremental.
 *
 *   npm run build && node bench/diagnose-throughput.mjs
 */
import { DiagnosisEngine } from '../dist/core/diagnose/engine.js';
const hosts = Array.from({ length: 10 }, (_, i) => `h${i}.gcr.io`);
const t0 = Date.parse('2026-03-02T00:00:00Z');
const engine = new DiagnosisEngine();
engine.onEvent({
  v: 1,
  t: new Date(t0).toISOString(),
  type: 'session.start',
  version: 'x',
  node: 'x',
  platform: 'x',
  mode: 'x',
  options: { intervalMs: 1000 },
  targets: hosts.map((h) => ({ id: h, host: h, port: 443, source: 'default' })),
});
const N = 200_000;
const start = process.hrtime.bigint();
for (let i = 0; i < N; i++) {
  const h = hosts[i % 10];
  const fail = i % 53 === 0;
  engine.onEvent({
    v: 1,
    t: new Date(t0 + i * 100).toISOString(),
    type: 'probe',
    target: h,
    round: i,
    kind: 'round',
    ok: !fail,
    ms: 80,
    phases: { dns: 2, connect: 14, tls: 28, ttfb: 35, total: 80 },
    details: {
      address: '192.0.2.1',
      family: 4,
      dns: [{ resolver: 'system', ok: true, ms: 2, v4: ['192.0.2.1'], v6: ['2001:db8::1'] }],
      tcp: [
        { family: 4, address: '192.0.2.1', ok: true, ms: 14 },
        { family: 6, address: '2001:db8::1', ok: true, ms: 14 },
      ],
      tls: { verified: true, daysLeft: 60 },
      http: { status: 401, date: new Date(t0 + i * 100).toUTCString() },
    },
    ...(fail ? { error: { code: 'tcp.timeout', category: 'network', phase: 'connect', message: 'x' } } : {}),
  });
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
console.log(
  `${N} probe events in ${ms.toFixed(0)} ms: ${((ms * 1000) / N).toFixed(1)} µs/event; findings: ${engine.history().length}`,
);

/**
 * Child process of bench/long-session-memory.mjs (run with --expose-gc): a real Session
 * (bus with redaction, store with its statistics, the NDJSON log writer, and whatever else a
 * session wires, such as the diagnosis) whose scheduler never fires, fed with probe events of
 * `targets` targets at 1 s as fast as it can, their times those of a session `hours` long.
 * After every hour of session time it collects garbage and prints one JSON line:
 * `{ hour, events, rssMb, heapMb, heapTotalMb, externalMb, ms }`; at the end `{ done, peakMb, logMb }`.
 *
 *   node --expose-gc bench/support/feed-session.mjs LOGFILE [hours] [targets]
 */
import { readFileSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ROOT } from './kit.mjs';

const [logPath, hours = '24', count = '10'] = process.argv.slice(2);
const { Session } = await import(`${ROOT}dist/core/session.js`);

const HOSTS = Array.from({ length: Number(count) }, (_, i) => (i === 0 ? 'gcr.io' : `r${i}-docker.pkg.dev`));
const targets = HOSTS.map((host) => ({ id: host, host, port: 443, source: 'default' }));
/** A clock whose timers never fire: the scheduler is wired but never probes. */
const stillClock = { now: () => performance.now(), setTimeout: () => 0, clearTimeout: () => undefined };
const session = new Session({
  version: 'bench',
  mode: 'plain',
  targets,
  intervalMs: 1000,
  logPath,
  recordedOptions: { intervalMs: 1000 },
  clock: stillClock,
  sources: [],
  probe: { timeoutMs: 5000, pins: new Map(), dnsServers: [], userAgent: 'gcrwatch-bench' },
});
const T0 = Date.parse('2026-03-02T00:00:00Z');

/** A probe event as a round makes it: fresh objects, phases that vary, a failure now and then. */
function probe(host, index, round) {
  const at = T0 + round * 1000 + index * 20;
  const fail = (round * 7 + index) % 997 === 0;
  const jitter = ((round * 31 + index * 17) % 100) / 50;
  const address = `127.0.1.${index + 1}`;
  const phases = fail
    ? { dns: 1.1, connect: 0.3, tls: 5000, total: 5001.4 }
    : {
        dns: 1 + jitter,
        connect: 0.2 + jitter / 10,
        tls: 3 + jitter,
        ttfb: 1.5 + jitter,
        transfer: 0.1,
        total: 5.8 + 3 * jitter,
      };
  const details = {
    dns: [{ resolver: 'system', ok: true, ms: phases.dns, v4: [address], v6: [] }],
    address,
    family: 4,
    tcp: [{ family: 4, address, ok: true, ms: phases.connect }],
    tls: fail
      ? { verified: false }
      : {
          verified: true,
          protocol: 'TLSv1.3',
          alpn: 'http/1.1',
          cipher: 'TLS_AES_256_GCM_SHA384',
          subject: 'CN=gcr.io, O=Google LLC',
          issuer: 'CN=WR2, O=Google Trust Services LLC',
          issuerOrg: 'Google Trust Services LLC',
          sans: ['gcr.io', '*.gcr.io', '*.pkg.dev'],
          chain: ['gcr.io', 'WR2'],
          validFrom: '2026-02-01T00:00:00.000Z',
          validTo: '2026-05-01T00:00:00.000Z',
          daysLeft: 59,
        },
    ...(fail
      ? {}
      : {
          http: {
            status: 401,
            challenge: { scheme: 'Bearer', realm: `https://${host}/v2/token`, service: host },
            registryHeader: 'registry/2.0',
            date: new Date(at).toUTCString(),
          },
        }),
  };
  return {
    type: 'probe',
    t: new Date(at).toISOString(),
    target: host,
    round,
    kind: 'round',
    ok: !fail,
    ms: phases.total + 1,
    phases,
    details,
    ...(fail
      ? {
          error: {
            code: 'tls.timeout',
            category: 'network',
            phase: 'tls',
            message: 'TLS handshake did not complete before the deadline',
          },
        }
      : {}),
    lagMs: round % 5,
  };
}

function peakMb() {
  return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) / 1024;
}

session.start();
const started = performance.now();
let events = 0;
for (let hour = 1; hour <= Number(hours); hour++) {
  for (let round = (hour - 1) * 3600; round < hour * 3600; round++) {
    for (let i = 0; i < HOSTS.length; i++) session.bus.emit(probe(HOSTS[i], i, round));
    events += HOSTS.length;
    // A live session's task ends between rounds: the log writes its lines then (a microtask).
    await new Promise((resolve) => setImmediate(resolve));
  }
  globalThis.gc();
  const m = process.memoryUsage();
  console.log(
    JSON.stringify({
      hour,
      events,
      rssMb: m.rss / 2 ** 20,
      heapMb: m.heapUsed / 2 ** 20,
      heapTotalMb: m.heapTotal / 2 ** 20,
      externalMb: m.external / 2 ** 20,
      ms: performance.now() - started,
    }),
  );
}
await session.stop('duration');
console.log(
  JSON.stringify({
    done: true,
    peakMb: peakMb(),
    logMb: statSync(logPath).size / 1e6,
    diagnosis: 'diagnosis' in session,
  }),
);
process.exit(0);

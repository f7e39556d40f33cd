// Runs inside a network namespace (test/core/probes/phase-cancel.test.ts): starts each phase of a
// round against a peer that stalls it, aborts it mid-way (the deadline, then a stop), and prints
// what each ended with, how long the abort took, and which handles or timers it left behind.
// Uses the built phases (dist/): `npm run build` first. argv: the project root. The peers run in
// a process of their own (argv[3] = 'peers'), so that what is counted is the prober's alone.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';

const root = process.argv[2];
const load = (file) => import(`${root}/dist/${file}`);
const { probeSystemDns, probeDnsServer } = await load('core/probes/dns.js');
const { probeTcp } = await load('core/probes/tcp.js');
const { openTunnel } = await load('core/probes/proxy-connect.js');
const { probeTls } = await load('core/probes/tls.js');
const { probeHttp } = await load('core/probes/http.js');
const { systemClock } = await load('core/clock.js');
const { startDnsServer, createCa, issueLeaf, GOOGLE_TRUST_SERVICES } = await load('sim/index.js');

if (process.argv[3] === 'peers') await servePeers();

const MID_WAY_MS = 150;
const target = { id: 'quiet.gcr.io', host: 'quiet.gcr.io', port: 443, source: 'flag' };

/**
 * Peers: a DNS server that never answers (the namespace's resolver), a TCP server that accepts
 * and never speaks, a TLS server that completes handshakes and never answers a request. Prints
 * `{mute, deaf, caPem}` and serves until stdin closes.
 */
async function servePeers() {
  await startDnsServer({ host: '127.0.0.53', port: 53, fallback: { kind: 'silence' } });
  const ca = await createCa({ organization: GOOGLE_TRUST_SERVICES, commonName: 'GTS test root' });
  const leaf = await issueLeaf(ca);
  const quiet = (s) => s.on('error', () => undefined);
  const mute = net.createServer(quiet);
  const deaf = tls.createServer({ cert: leaf.chainPem, key: leaf.keyPem }, quiet);
  for (const server of [mute, deaf]) await new Promise((r) => server.listen(0, '127.0.0.1', r));
  process.stdout.write(
    `${JSON.stringify({ mute: mute.address().port, deaf: deaf.address().port, caPem: ca.certPem })}\n`,
  );
  process.stdin.resume().once('end', () => process.exit(0));
  await new Promise(() => undefined);
}

const peers = spawn(process.execPath, [process.argv[1], root, 'peers'], { stdio: ['pipe', 'pipe', 'inherit'] });
const [line] = await once(peers.stdout.setEncoding('utf8'), 'data');
const ports = JSON.parse(line);
// Nothing more is read from the peers: their pipe must not come and go among the handles counted.
peers.stdout.destroy();
const trust = tls.createSecureContext({ ca: [...tls.rootCertificates, ports.caPem] });
const portOf = (name) => ports[name];

const connect = (port) =>
  new Promise((resolve, reject) =>
    net
      .connect(port, '127.0.0.1')
      .once('connect', function () {
        resolve(this);
      })
      .once('error', reject),
  );
const verified = (port) =>
  new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, servername: 'gcr.io', secureContext: trust });
    s.once('secureConnect', () => resolve(s)).once('error', reject);
  });

const PHASES = {
  'dns (system)': (ctx) =>
    probeSystemDns(ctx, { host: 'quiet.gcr.io', family: 0, hedge: { afterMs: 50, budgetMs: 2000 } }),
  'dns (--dns-server)': (ctx) => probeDnsServer(ctx, { host: 'quiet.gcr.io', server: '127.0.0.53' }),
  connect: (ctx) => probeTcp(ctx, { address: '127.0.0.2', port: 443 }),
  proxy: async (ctx) =>
    openTunnel(ctx, { socket: await connect(portOf('mute')), host: 'gcr.io', port: 443, userAgent: 'test' }),
  tls: async (ctx) => probeTls(ctx, { socket: await connect(portOf('mute')), host: 'gcr.io', secureContext: trust }),
  http: async (ctx) =>
    probeHttp(ctx, { socket: await verified(portOf('deaf')), host: 'gcr.io', port: 443, userAgent: 'test' }),
};

/** Handles and timers now, as counts by kind; getaddrinfo cannot be cancelled and is left out. */
function resources() {
  const counts = {};
  for (const kind of process.getActiveResourcesInfo())
    if (kind !== 'GetAddrInfoReqWrap') counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

function leftOver(before, after) {
  return Object.entries(after)
    .filter(([kind, n]) => n > (before[kind] ?? 0))
    .map(([kind, n]) => `${kind} +${n - (before[kind] ?? 0)}`);
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 30));
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

const results = [];
for (const [phase, run] of Object.entries(PHASES)) {
  for (const kind of ['deadline', 'stop']) {
    await settle();
    const before = resources();
    const controller = new AbortController();
    const ctx = { target, deadline: systemClock.now() + 10_000, signal: controller.signal, clock: systemClock };
    let settledEarly = false;
    const pending = run(ctx).then((r) => ((settledEarly = !aborted), r));
    let aborted = false;
    await new Promise((r) => setTimeout(r, MID_WAY_MS));
    const reason =
      kind === 'deadline'
        ? Object.assign(new Error('round deadline passed'), { name: 'TimeoutError' })
        : new Error('stopped');
    const abortedAt = performance.now();
    aborted = true;
    controller.abort(reason);
    const result = await pending;
    const abortMs = performance.now() - abortedAt;
    await settle();
    results.push({
      phase,
      kind,
      settledEarly,
      ok: result.ok,
      code: result.error?.code,
      errorPhase: result.error?.phase,
      ms: result.ms,
      abortMs,
      leftOver: leftOver(before, resources()),
    });
  }
}
process.stdout.write(`${JSON.stringify(results)}\n`);
peers.stdin.end();
process.exit(0);

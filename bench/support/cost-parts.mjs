/**
 * What each part of a gcrwatch round costs above the bare exchange, measured in a process of
 * its own against a registry front on loopback: pairs of variants that differ by one part are
 * run alternately, one probe each, hundreds of times, each probe's CPU read with
 * process.cpuUsage(); the median of the paired differences is that part's cost, robust to the
 * load of a shared machine. Run by watch-cost (`measureParts`), or alone:
 *
 *   npm run build && node bench/support/cost-parts.mjs [PAIRS]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { median, ROOT } from './kit.mjs';

const HOST = 'gcr.io';
const REQUEST = `GET /v2/ HTTP/1.1\r\nhost: ${HOST}\r\nuser-agent: bench\r\naccept: */*\r\nconnection: close\r\n\r\n`;

/** The parts, each as [what it is, the variant without it, the variant with it]. */
const PARTS = [
  ['GET /v2/ through node:https instead of written by hand', 'handRaw', 'handHttps'],
  ["reading the leaf on 'secure' (getPeerCertificate(false), protocol, cipher)", 'handRaw', 'handLeaf'],
  ['the phase bookkeeping of TCP and TLS (probeTcp, probeTls) beside the same work by hand', 'handLeaf', 'phases'],
  [
    "Node's own conversion of the chain for its name check (getPeerCertificate(true); the floor pays it too), done once more",
    'handRaw',
    'handChainAgain',
  ],
  ['a whole round (runRound) against the floor (one tls.connect, GET by hand)', 'floor', 'round'],
  ['the session after a round: the event through redaction, store, diagnosis, log, plain line', 'round', 'session'],
];

async function variants(port, context) {
  const dist = (file) => import(`${ROOT}dist/${file}`);
  const { runRound } = await dist('core/probes/round.js');
  const { probeTcp } = await dist('core/probes/tcp.js');
  const { probeTls } = await dist('core/probes/tls.js');
  const { readHandshake } = await dist('core/probes/peer-certificate.js');
  const { systemClock } = await dist('core/clock.js');
  const session = await sessionWith(dist, port, context, runRound);
  const target = { id: HOST, host: HOST, port, source: 'flag' };
  const options = {
    timeoutMs: 5000,
    pins: new Map([[`${HOST}:${port}`, '127.0.0.1']]),
    dnsServers: [],
    secureContext: context,
    userAgent: 'bench',
    family: 4,
  };
  const read = (s) =>
    new Promise((resolve, reject) => {
      let got = '';
      s.setEncoding('latin1').on('data', (c) => (got += c));
      s.once(
        'end',
        () => (s.destroy(), /^HTTP\/1\.1 401 /.test(got) ? resolve() : reject(new Error(got.slice(0, 40)))),
      );
      s.once('error', reject);
    });
  const byHand = (s) => (s.write(REQUEST), read(s));
  const viaHttps = (s) =>
    new Promise((resolve, reject) => {
      const req = https.request(
        {
          host: HOST,
          port,
          path: '/v2/',
          headers: { 'user-agent': 'bench', accept: '*/*', connection: 'close' },
          createConnection: () => s,
        },
        (res) => {
          res
            .on('data', () => undefined)
            .once(
              'end',
              () => (s.destroy(), res.statusCode === 401 ? resolve() : reject(new Error(`${res.statusCode}`))),
            );
        },
      );
      req.once('error', reject).end();
    });
  const tcp = () =>
    new Promise((resolve, reject) =>
      net
        .connect({ host: '127.0.0.1', port, noDelay: true })
        .once('connect', function () {
          resolve(this);
        })
        .once('error', reject),
    );
  const secure = (socket, onSecure) =>
    new Promise((resolve, reject) => {
      const s = tls.connect({
        socket,
        servername: HOST,
        host: HOST,
        rejectUnauthorized: true,
        secureContext: context,
        ALPNProtocols: ['http/1.1'],
      });
      if (onSecure) s.prependOnceListener('secure', () => onSecure(s));
      s.once('secureConnect', () => resolve(s)).once('error', reject);
    });
  const ctx = () => ({
    target,
    deadline: systemClock.now() + 5000,
    signal: new AbortController().signal,
    clock: systemClock,
  });
  const round = async () => {
    const r = await runRound({ target, options, signal: new AbortController().signal });
    if (!r.ok) throw new Error(r.error.message);
    return r;
  };
  return {
    floor: () =>
      new Promise((resolve, reject) => {
        const s = tls.connect({ host: '127.0.0.1', port, servername: HOST, secureContext: context }, () =>
          s.write(REQUEST),
        );
        read(s).then(resolve, reject);
      }),
    handRaw: async () => byHand(await secure(await tcp())),
    handHttps: async () => viaHttps(await secure(await tcp())),
    handLeaf: async () => byHand(await secure(await tcp(), readHandshake)),
    handChainAgain: async () => byHand(await secure(await tcp(), (s) => s.getPeerCertificate(true))),
    phases: async () => {
      const c = ctx();
      const t = await probeTcp(c, { address: '127.0.0.1', port });
      const s = await probeTls(c, { socket: t.value, host: HOST, secureContext: context });
      return byHand(s.value.socket);
    },
    round,
    session: async () => session(await round()),
  };
}

/** A session's pipeline (bus, store, diagnosis, log in a temporary folder, plain lines on stdout). */
async function sessionWith(dist, port, context) {
  const { Session } = await dist('core/session.js');
  const { PlainOutput } = await dist('cli/outputs/plain.js');
  const { StreamLineWriter } = await dist('cli/outputs/line-writer.js');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const target = { id: HOST, host: HOST, port, source: 'flag' };
  const probe = { timeoutMs: 5000, pins: new Map(), dnsServers: [], secureContext: context, userAgent: 'bench' };
  const s = new Session({
    version: '0',
    mode: 'plain',
    targets: [target],
    intervalMs: 1000,
    probe,
    logPath: join(mkdtempSync(join(tmpdir(), 'gcrwatch-bench-parts-')), 'log.ndjson'),
    recordedOptions: {},
    sources: [],
  });
  s.attach(new PlainOutput(new StreamLineWriter(process.stdout)));
  s.log.open();
  s.bus.subscribe(s.log);
  s.bus.emit({
    type: 'session.start',
    version: '0',
    node: process.version,
    platform: 'bench',
    mode: 'plain',
    targets: [target],
    options: { intervalMs: 1000 },
  });
  let n = 0;
  return (result) => s.bus.emit({ type: 'probe', target: HOST, round: n++, kind: 'round', ...result, lagMs: 0 });
}

/** Median CPU µs of `b` minus `a`, from `pairs` probes of each taken alternately. */
async function paired(run, a, b, pairs) {
  const cpu = () => {
    const u = process.cpuUsage();
    return u.user + u.system;
  };
  for (let i = 0; i < 50; i++) await (run[a](), run[b]());
  const diffs = [];
  const base = [];
  for (let i = 0; i < pairs; i++) {
    const took = {};
    for (const v of i % 2 ? [a, b] : [b, a]) {
      const c0 = cpu();
      await run[v]();
      took[v] = cpu() - c0;
    }
    diffs.push(took[b] - took[a]);
    base.push(took[a]);
  }
  return { us: median(diffs), baseUs: median(base) };
}

/**
 * Bytes of JavaScript heap allocated per probe by `probe` (collected or not): V8's sampling
 * heap profiler, keeping the samples of objects already collected, over `count` probes.
 */
async function allocatedPerProbe(probe, count) {
  const { Session } = await import('node:inspector/promises');
  const inspector = new Session();
  inspector.connect();
  try {
    await inspector.post('HeapProfiler.startSampling', {
      samplingInterval: 1024,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    for (let i = 0; i < count; i++) await probe();
    const { profile } = await inspector.post('HeapProfiler.stopSampling');
    let bytes = 0;
    const walk = (node) => {
      bytes += node.selfSize;
      for (const child of node.children) walk(child);
    };
    walk(profile.head);
    return bytes / count;
  } finally {
    inspector.disconnect();
  }
}

/** In the child: measure every part and the allocation per probe, write `{ parts, allocated }` as JSON on fd 3. */
async function child(pairs) {
  const { startFronts } = await import('./fronts.mjs');
  const fronts = await startFronts(1);
  try {
    const context = tls.createSecureContext({ ca: [...tls.rootCertificates, readFileSync(fronts.caFile, 'utf8')] });
    const run = await variants(fronts.ports[0], context);
    const out = [];
    for (const [part, a, b] of PARTS) out.push({ part, ...(await paired(run, a, b, pairs)) });
    const allocated = {};
    for (const v of ['floor', 'round', 'session']) allocated[v] = await allocatedPerProbe(run[v], pairs);
    writeSync(3, `${JSON.stringify({ parts: out, allocated })}\n`);
  } finally {
    await fronts.close();
  }
}

/**
 * Measure the parts in a child process; resolves with `{ parts: [{ part, us, baseUs }],
 * allocated: { floor, round, session } }` (bytes of heap allocated per probe).
 */
export async function measureParts(pairs = 500) {
  const proc = spawn(process.execPath, [new URL(import.meta.url).pathname, 'child', String(pairs)], {
    stdio: ['ignore', 'pipe', 'inherit', 'pipe'],
  });
  proc.stdout.resume();
  let text = '';
  proc.stdio[3].setEncoding('utf8').on('data', (c) => (text += c));
  const [code] = await once(proc, 'exit');
  if (code !== 0 || !text.trim()) throw new Error(`the parts' measurement exited ${code}`);
  return JSON.parse(text);
}

/** The parts (and the heap allocated per probe) as Markdown. */
export function partsTable(measured) {
  const parts = measured?.parts;
  if (!parts?.length) return '';
  const kib = (v) => `${(measured.allocated[v] / 1024).toFixed(1)} KiB`;
  return [
    'What each part of a round costs, measured alone (bench/support/cost-parts.mjs: a front on loopback, the two variants alternated probe by probe, median of the paired CPU differences):',
    '',
    '| part | CPU per probe | of the variant without it |',
    '| --- | --- | --- |',
    ...parts.map((p) => `| ${p.part} | ${(p.us / 1000).toFixed(3)} ms | ${(p.baseUs / 1000).toFixed(2)} ms |`),
    '',
    `JavaScript heap allocated per probe (V8's sampling heap profiler, collected objects included): the floor ${kib('floor')}, a round ${kib('round')}, a round and its session ${kib('session')}; what is allocated is what the garbage collector later pays for.`,
  ].join('\n');
}

if (process.argv[2] === 'child') await child(Number(process.argv[3]) || 500);
else if (import.meta.url === `file://${process.argv[1]}`)
  console.log(partsTable(await measureParts(Number(process.argv[2]) || 500)));

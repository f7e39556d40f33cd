#!/usr/bin/env node
/**
 * Cost of one dashboard frame: renders the dashboard (production React, Ink writing to an
 * in-memory 120x40 terminal) once per store change while a store is fed probe rounds of
 * 7 targets, and reports the CPU time per frame, and what that means for a session
 * redrawn at every change versus at the dashboard's refresh limit (DEFAULT_REFRESH_MS).
 * This measurement is why the limit exists: Ink's frame cost is ~O(screen characters).
 *
 *   npm run build && node bench/tui-render.mjs [rounds=300]
 */
process.env.NODE_ENV = 'production';
const { EventEmitter } = await import('node:events');
const { render } = await import('ink');
const React = await import('react');
const { Dashboard, DEFAULT_REFRESH_MS } = await import('../dist/ui/Dashboard.js');
const { SessionStore } = await import('../dist/core/store.js');

class Terminal extends EventEmitter {
  isTTY = true;
  columns = 120;
  rows = 40;
  bytes = 0;
  write(s) {
    this.bytes += s.length;
    return true;
  }
}
const stdin = Object.assign(new EventEmitter(), {
  isTTY: false,
  setRawMode() {},
  resume() {},
  pause() {},
  ref() {},
  unref() {},
  read: () => null,
});
const rounds = Number(process.argv[2] ?? 300);
const targets = [
  'gcr.io',
  'us.gcr.io',
  'eu.gcr.io',
  'asia.gcr.io',
  'us-docker.pkg.dev',
  'europe-docker.pkg.dev',
  'asia-docker.pkg.dev',
];
const store = new SessionStore();
const t0 = Date.now();
const iso = (ms) => new Date(t0 + ms).toISOString();
store.onEvent({
  v: 1,
  t: iso(0),
  type: 'session.start',
  version: 'bench',
  node: process.version,
  platform: 'x',
  mode: 'tui',
  options: { intervalMs: 1000 },
  targets: targets.map((id) => ({ id, host: id, port: 443, source: 'default' })),
});
store.flush();
const out = new Terminal();
const clock = { now: t0 };
const app = render(
  React.createElement(Dashboard, {
    store,
    version: 'bench',
    logPath: '/tmp/x.ndjson',
    color: process.env.BENCH_COLOR !== '0',
    interactive: false,
    now: () => clock.now,
    refreshMs: 1,
    onQuit() {},
    onInterrupt() {},
  }),
  {
    stdout: out,
    stdin,
    stderr: new Terminal(),
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: 1000,
    incrementalRendering: process.env.BENCH_INCREMENTAL === '1',
  },
);
const tick = () => new Promise((r) => setImmediate(r));
await tick();
const cpu0 = process.cpuUsage();
let changes = 0;
for (let r = 1; r <= rounds; r++) {
  for (const [i, id] of targets.entries()) {
    clock.now = t0 + r * 1000 + i * 10;
    const total = 20 + 10 * Math.sin(r / 5 + i) + (r % 17 === 0 ? 200 : 0);
    const ok = r % 23 !== i;
    store.onEvent({
      v: 1,
      t: iso(r * 1000 + i * 10),
      type: 'probe',
      target: id,
      round: r,
      kind: 'round',
      ok,
      ms: total,
      phases: ok
        ? { dns: 1, connect: 2, tls: total / 2, ttfb: total / 2 - 3, total }
        : { dns: 1, connect: 2, tls: 2000 },
      details: {
        address: '142.250.1.82',
        dns: [{ resolver: 'system', ok: true, ms: 1, v4: ['142.250.1.82'], v6: [] }],
        tls: { verified: true, protocol: 'TLSv1.3', daysLeft: 60 },
        http: ok ? { status: 401 } : undefined,
      },
      ...(ok ? {} : { error: { code: 'tls.timeout', category: 'network', phase: 'tls', message: 'timeout' } }),
    });
    store.flush();
    changes++;
    await tick();
  }
}
const cpu = process.cpuUsage(cpu0);
const ms = (cpu.user + cpu.system) / 1000;
app.unmount();
const perFrame = ms / changes;
const framesPerSecond = 1000 / DEFAULT_REFRESH_MS;
console.log(
  `${changes} frames: ${perFrame.toFixed(2)} ms CPU each (120x40, colour ${process.env.BENCH_COLOR === '0' ? 'off' : 'on'}).`,
);
console.log(`Redrawn at every change of a 7-target 1 s session: ${((perFrame * 7) / 10).toFixed(1)}% of a core;`);
console.log(
  `at the dashboard's limit (${framesPerSecond} data frames a second): at most ${((perFrame * framesPerSecond) / 10).toFixed(1)}% of a core.`,
);

#!/usr/bin/env node
/**
 * Cost of one dashboard frame: the dashboard (production React, Ink writing to an in-memory
 * 120x40 terminal) fed a 7-target session at 1 s, one second of rounds at a time, each second
 * drawn as the live dashboard draws it (one frame). Reports the CPU time per frame (React and
 * Ink together: process CPU over the frames drawn), Ink's own time per frame (its onRender
 * metric, wall time), and what one frame a second costs of a core. A frame redraws the whole screen,
 * so its cost is ~O(screen characters); this is why the dashboard draws one a second.
 *
 *   npm run build && node bench/tui-render.mjs [seconds=300]
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
const seconds = Number(process.argv[2] ?? 300);
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
let frames = 0;
let inkMs = 0;
let frameDrawn = () => undefined;
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
    onRender: ({ renderTime }) => {
      frames++;
      inkMs += renderTime;
      frameDrawn();
    },
  },
);
/** Resolves at the next frame Ink draws. */
const nextFrame = () => new Promise((resolve) => (frameDrawn = resolve));
await new Promise((r) => setTimeout(r, 50));

function probe(r, i, id) {
  const total = 20 + 10 * Math.sin(r / 5 + i) + (r % 17 === 0 ? 200 : 0);
  const ok = r % 23 !== i;
  return {
    v: 1,
    t: iso(r * 1000 + i * 10),
    type: 'probe',
    target: id,
    round: r,
    kind: 'round',
    ok,
    ms: total,
    phases: ok ? { dns: 1, connect: 2, tls: total / 2, ttfb: total / 2 - 3, total } : { dns: 1, connect: 2, tls: 2000 },
    details: {
      address: '142.250.1.82',
      dns: [{ resolver: 'system', ok: true, ms: 1, v4: ['142.250.1.82'], v6: [] }],
      tls: { verified: true, protocol: 'TLSv1.3', daysLeft: 60 },
      http: ok ? { status: 401 } : undefined,
    },
    ...(ok ? {} : { error: { code: 'tls.timeout', category: 'network', phase: 'tls', message: 'timeout' } }),
  };
}

const framesBefore = frames;
const inkBefore = inkMs;
const cpu0 = process.cpuUsage();
for (let r = 1; r <= seconds; r++) {
  // A second of the session: every target's round, then the one frame the dashboard draws for it.
  for (const [i, id] of targets.entries()) {
    clock.now = t0 + r * 1000 + i * 10;
    store.onEvent(probe(r, i, id));
    store.flush();
  }
  await nextFrame();
}
const cpu = process.cpuUsage(cpu0);
app.unmount();
const drawn = frames - framesBefore;
const perFrame = (cpu.user + cpu.system) / 1000 / drawn;
const inkPerFrame = (inkMs - inkBefore) / drawn;
const framesPerSecond = 1000 / DEFAULT_REFRESH_MS;
console.log(
  `${drawn} frames: ${perFrame.toFixed(2)} ms CPU each (120x40, 7 targets, colour ${process.env.BENCH_COLOR === '0' ? 'off' : 'on'}); Ink's layout and output took ${inkPerFrame.toFixed(2)} ms of wall time a frame.`,
);
console.log(
  `At the dashboard's pace (${framesPerSecond} frame a second): ${((perFrame * framesPerSecond) / 10).toFixed(2)} % of a core for drawing.`,
);

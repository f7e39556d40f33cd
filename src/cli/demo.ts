/**
 * `gcrwatch --demo`: the normal monitor (TUI, or plain/JSON lines with --plain/--json)
 * against a simulated world started inside the process (`src/demo/`): registries on
 * 127.0.0.1 with scripted trouble, probed for real, and a demo push that retries through
 * it. Works offline; the screen and the session log are labelled DEMO.
 */
import type { EventInput } from '../core/events.js';
import type { SessionSource } from '../core/session.js';
import { runMonitor } from './monitor.js';
import type { MonitorFlags } from './program.js';
import { UsageError } from './usage-error.js';

/** Interval and timeout of the demo when not given: brisk, so the graphs move at once. */
const DEMO_INTERVAL = '1s';
const DEMO_TIMEOUT = '3s';

/** The options the demo replaces with its own world; given on the command line, they are an error. */
const OWN_WORLD: ReadonlyArray<[keyof MonitorFlags, string]> = [
  ['target', '--target'],
  ['resolve', '--resolve'],
  ['dnsServer', '--dns-server'],
  ['caFile', '--ca-file'],
  ['repo', '--repo'],
  ['only', '--only'],
];

/**
 * Run the demo. `sourceOf(option)` is where an option's value came from (commander's
 * `cli`, `env`, `config`, `default`): values from the command line win, those of a
 * configuration file that describe the real world (targets, pins, proxies) do not apply.
 */
export async function runDemo(
  flags: MonitorFlags,
  io: Parameters<typeof runMonitor>[1],
  sourceOf: (option: string) => string | undefined,
): Promise<number> {
  const typed = (option: string) => sourceOf(option) === 'cli' || sourceOf(option) === 'env';
  const clash = OWN_WORLD.filter(([option]) => typed(option)).map(([, flag]) => flag);
  if (clash.length) throw new UsageError(`--demo brings its own registries: drop ${clash.join(', ')}`);
  const demoFlags: MonitorFlags = {
    ...flags,
    only: true,
    target: [],
    resolve: [],
    dnsServer: [],
    caFile: [],
    repo: undefined,
    // The demo's names are real registry names on loopback ports: a proxy must never see them.
    proxy: false,
    compareDirect: false,
    proxyBypass: undefined,
    interval: typed('interval') ? flags.interval : DEMO_INTERVAL,
    timeout: typed('timeout') ? flags.timeout : DEMO_TIMEOUT,
  };
  // Loaded here only: the simulated peers (and their X.509 library) are for the demo alone.
  const [{ startDemoWorld }, { startScenario }, { startPusher }] = await Promise.all([
    import('../demo/world.js'),
    import('../demo/scenario.js'),
    import('../demo/pusher.js'),
  ]);
  const world = await startDemoWorld();
  try {
    return await runMonitor(demoFlags, io, world.targets, {
      demo: true,
      configure: (config) => {
        config.probe.resolver = world.dns.server;
        config.probe.secureContext = world.secureContext;
        config.recorded.demo = true;
      },
      sources: [
        asSource('demo script', (out) => startScenario(world, out)),
        asSource('demo push', (out) => startPusher(world, out)),
      ],
    });
  } finally {
    await world.close();
  }
}

/** A demo part as a session source: started after session.start, stopped before session.end. */
function asSource(
  name: string,
  start: (out: { emit(input: EventInput): unknown }) => { stop(): Promise<void> },
): SessionSource {
  let running: { stop(): Promise<void> } | undefined;
  return {
    name,
    start: (ctx) => {
      running = start(ctx);
    },
    stop: async () => {
      await running?.stop();
    },
  };
}

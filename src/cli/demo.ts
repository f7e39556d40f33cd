/**
 * `gcrwatch --demo`: the normal monitor (TUI, or plain/JSON lines with --plain/--json)
 * against a simulated world started inside the process (`src/demo/`): registries on
 * 127.0.0.1 with scripted trouble, probed for real, and a demo push that retries through
 * it. Works offline; the screen and the session log are labelled DEMO.
 */
import { runMonitor } from './monitor.js';
import type { MonitorFlags } from './program.js';
import { UsageError } from './usage-error.js';

/** Interval and timeout of the demo when not given: brisk, so the graphs move at once. */
const DEMO_INTERVAL = '1s';
const DEMO_TIMEOUT = '3s';

/** Run the demo; `given(name)` tells whether the user set an option (rather than its default). */
export async function runDemo(flags: MonitorFlags, io: Parameters<typeof runMonitor>[1], given: (option: string) => boolean): Promise<number> {
  const clash = ([['--target', flags.target.length], ['--resolve', flags.resolve.length], ['--dns-server', flags.dnsServer.length], ['--ca-file', flags.caFile.length], ['--repo', flags.repo ? 1 : 0], ['--only', flags.only ? 1 : 0]] as const)
    .filter(([, n]) => n).map(([name]) => name);
  if (clash.length) throw new UsageError(`--demo brings its own registries: drop ${clash.join(', ')}`);
  const demoFlags: MonitorFlags = {
    ...flags, only: true,
    interval: given('interval') ? flags.interval : DEMO_INTERVAL,
    timeout: given('timeout') ? flags.timeout : DEMO_TIMEOUT,
  };
  // Loaded here only: the simulated peers (and their X.509 library) are for the demo alone.
  const [{ startDemoWorld }, { startScenario }, { startPusher }] = await Promise.all([
    import('../demo/world.js'), import('../demo/scenario.js'), import('../demo/pusher.js'),
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
      started: (session) => {
        const scenario = startScenario(world, session.bus);
        const pusher = startPusher(world, session.bus);
        return async () => {
          await pusher.stop();
          await scenario.stop();
        };
      },
    });
  } finally {
    await world.close();
  }
}

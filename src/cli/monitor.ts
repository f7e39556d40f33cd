/**
 * The monitor command: probe the targets until a duration, a round count or a signal ends
 * the session, with plain, NDJSON or TUI output.
 */
import { AuthMonitor } from '../core/auth/auth-monitor.js';
import { Session, type SessionSource } from '../core/session.js';
import type { Target } from '../core/targets.js';
import { listenForStop } from './lifecycle.js';
import { attachMetrics } from './metrics-option.js';
import { buildMonitorConfig, type MonitorConfig } from './monitor-config.js';
import { attachOutput, type CliIO } from './outputs/attach.js';
import type { MonitorFlags } from './program.js';
import { gcrwatchVersion } from './version.js';

/** Build the session of a monitor configuration; `extra.sources` replaces the periodic credential checks. */
export function createSession(
  config: MonitorConfig,
  mode: string,
  extra: { demo?: boolean; sources?: SessionSource[] } = {},
): Session {
  return new Session({
    version: gcrwatchVersion(),
    mode,
    targets: config.targets,
    intervalMs: config.intervalMs,
    probe: config.probe,
    logPath: config.logPath,
    ...(config.retention ? { retention: config.retention } : {}),
    maxRounds: config.maxRounds,
    recordedOptions: config.recorded,
    demo: extra.demo,
    // The demo brings sources of its own: the real credential checks would read this machine's
    // docker config and ask Google, and the demo stays on loopback. Doctor runs them once instead.
    sources: extra.sources ?? [authMonitor(config)],
  });
}

/** The credential checks of a monitor configuration. */
export function authMonitor(config: MonitorConfig): AuthMonitor {
  return new AuthMonitor({
    intervalMs: config.auth.intervalMs,
    pushCheck: config.auth.pushCheck,
    ...(config.auth.repo ? { repo: config.auth.repo } : {}),
    env: config.auth.env,
    requestTimeoutMs: Math.max(config.probe.timeoutMs, 10_000),
    userAgent: config.probe.userAgent,
    ...(config.probe.secureContext ? { secureContext: config.probe.secureContext } : {}),
    ...(config.auth.proxy ? { proxy: config.auth.proxy } : {}),
    ...(config.auth.extraCaPems?.length ? { extraCaPems: config.auth.extraCaPems } : {}),
  });
}

/** After this long stopping, the output says what the session waits for. */
const STOP_NOTICE_MS = 250;

/** Ways for a caller (the demo) to adapt a monitor run. */
export interface MonitorHooks {
  demo?: boolean;
  /** Adjust the validated configuration before the session is made. */
  configure?(config: MonitorConfig): void;
  /** Event sources in place of the credential checks (started after session.start, stopped before session.end). */
  sources?: SessionSource[];
}

/** Run the monitor; resolves with the exit code. */
export async function runMonitor(
  flags: MonitorFlags,
  io: CliIO,
  extraTargets: Target[] = [],
  hooks: MonitorHooks = {},
): Promise<number> {
  const config = buildMonitorConfig(flags, { isTTY: io.stdoutIsTTY }, extraTargets, io.env);
  hooks.configure?.(config);
  const session = createSession(config, config.output, { demo: hooks.demo, sources: hooks.sources });
  const metrics = config.metrics ? await attachMetrics(session, config.metrics) : undefined;
  if (metrics && config.output !== 'tui') io.stderr.write(`gcrwatch: metrics at ${metrics.url}\n`);
  const output = await attachOutput(session, config, io);
  const stop = listenForStop();
  session.start();
  const timers: NodeJS.Timeout[] = [];
  const ended = await new Promise<{ reason: 'duration' | 'rounds' | 'signal' | 'quit'; signal?: string }>((resolve) => {
    if (config.durationMs !== undefined)
      timers.push(setTimeout(() => resolve({ reason: 'duration' }), config.durationMs));
    if (config.maxRounds !== undefined) void session.scheduler.done.then(() => resolve({ reason: 'rounds' }));
    void stop.stopped.then((r) => resolve({ reason: 'signal', signal: r.signal }));
    void output.quit.then(() => resolve({ reason: 'quit' }));
  });
  for (const t of timers) clearTimeout(t);
  const stopping = session.stop(ended.reason, undefined, ended.signal);
  // Quitting should feel instant; when it cannot be, the screen says what it waits for.
  const slow = setTimeout(() => output.stopping?.(session.waitingFor()), STOP_NOTICE_MS);
  const end = await stopping;
  clearTimeout(slow);
  await output.close();
  await metrics?.close();
  stop.dispose();
  return end.exitCode;
}

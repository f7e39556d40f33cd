/**
 * `gcrwatch [options] -- CMD ARGS...` (and `gcrwatch push IMAGE`): run the push command
 * under watch. The session probes the registry endpoints as the monitor does, plus the host
 * the image goes to (marked as the push target); the child's output becomes events; the
 * docker engine is asked about itself; the daemon's log (found by itself, or `--daemon-log`) is
 * followed for the causes of retries. Signals are passed to the child, and gcrwatch ends when
 * it ends, with its exit status (127 when it could not be started). On a terminal the dashboard
 * closes then (or, with `--stay`, when the user leaves it) and the normal screen gets the
 * story: the command's last lines, the push summary, the verdict with its next step.
 */
import { imagePushTarget } from '../core/image-ref.js';
import { redactText } from '../core/log/redact.js';
import { parseDaemonLogLine } from '../core/push/daemon-log.js';
import { discoverDaemonLog } from '../core/push/daemon-log-discovery.js';
import { DaemonLogError, followFile, followJournal, type LogFollower } from '../core/push/daemon-log-follower.js';
import type { DaemonLogSource } from '../core/push/daemon-log-source.js';
import { fetchEngineInfo } from '../core/push/engine-info.js';
import { describePushCommand, type PushCommand } from '../core/push/push-command.js';
import { PushRunner } from '../core/push/push-runner.js';
import type { Session } from '../core/session.js';
import type { Target } from '../core/targets.js';
import { listenForStop } from './lifecycle.js';
import { attachMetrics } from './metrics-option.js';
import { buildMonitorConfig, pushTarget, type MonitorConfig } from './monitor-config.js';
import { createSession } from './monitor.js';
import { JsonOutput } from './outputs/json.js';
import { attachOutput, tuiUsable, type AttachedOutput, type CliIO } from './outputs/attach.js';
import { StreamLineWriter } from './outputs/line-writer.js';
import { WrapPlainOutput } from './outputs/wrap-plain.js';
import { awaitFirstResults, firstResultsIn } from './wrap-settle.js';
import { WrapStory } from './wrap-story.js';
import type { MonitorFlags } from './program.js';
import { UsageError } from './usage-error.js';

/** How long after the child's end the daemon's log is still read. */
const DAEMON_LOG_SETTLE_MS = 200;

/** The longest the wrapper waits, after the command, for the first probe rounds and credential check. */
const FIRST_RESULTS_WAIT_MS = 8000;

/** lifecycle.ts exits at once on a SIGINT that is the third stop signal or later. */
const FORCE_AFTER_SIGNALS = 3;

/** The monitor's flags plus the wrapper's own. */
export interface WrapFlags extends MonitorFlags {
  /** `--daemon-log FILE|journal|none`; unset: found by itself. */
  daemonLog?: string;
  /** `--stay`: the dashboard stays open after the command ends, until `q`. */
  stay?: boolean;
}

/** The push target of a command: the host its image goes to. */
export function pushTargetOf(command: PushCommand): Target[] {
  if (!command.image) return [];
  const { host, port } = imagePushTarget(command.image);
  return [pushTarget(host, port)];
}

/**
 * The dashboard on a terminal (its push panel shows the command's output; closing it leaves
 * the story of `story` on the normal screen), else plain wrap lines or NDJSON. Returns the
 * dashboard, to close once the session has ended.
 */
async function attachWrapOutput(
  session: Session,
  config: MonitorConfig,
  io: CliIO,
  story: WrapStory,
): Promise<AttachedOutput | undefined> {
  const logPath = session.log?.path ?? null;
  if (config.output === 'tui' && tuiUsable(io)) {
    session.attach(story);
    return attachOutput(session, config, io, () =>
      story.lines(session.diagnosis.history(), session.summaries(), logPath),
    );
  }
  const out = new StreamLineWriter(io.stdout as unknown as import('node:stream').Writable);
  const err = new StreamLineWriter(io.stderr as unknown as import('node:stream').Writable);
  session.attach(
    config.output === 'json'
      ? new JsonOutput(out)
      : new WrapPlainOutput(out, err, config.logPath, () => session.diagnosis.history()),
  );
  return undefined;
}

/**
 * Wait (bounded) for the first probe rounds and credential check, saying so in plain output.
 * `q` on the dashboard or a stop signal ends the wait.
 */
async function settle(session: Session, config: MonitorConfig, io: CliIO, dashboard?: AttachedOutput): Promise<void> {
  if (firstResultsIn(session.store.state)) return;
  const wait = Math.max(FIRST_RESULTS_WAIT_MS, config.probe.timeoutMs);
  if (!dashboard && config.output !== 'json')
    io.stderr.write(
      `gcrwatch: the command ended; waiting up to ${wait / 1000}s for the first probe rounds and credential check\n`,
    );
  const stop = listenForStop();
  await Promise.race([awaitFirstResults(session, wait), stop.stopped, ...(dashboard ? [dashboard.quit] : [])]);
  stop.dispose();
}

/** With `--stay`: the dashboard stays until the user leaves it (`q`, Ctrl-C, or a stop signal). */
async function stayOpen(dashboard: AttachedOutput): Promise<void> {
  const stop = listenForStop();
  await Promise.race([dashboard.quit, stop.stopped]);
  stop.dispose();
}

/** Start following the daemon's log; the source is checked before anything runs. */
function followDaemonLog(source: DaemonLogSource, runner: PushRunner, session: Session): LogFollower | undefined {
  const onLine = (text: string) => {
    const line = parseDaemonLogLine(text);
    if (line) runner.onDaemonLog(line);
  };
  if (source.kind === 'none') return undefined;
  if (source.kind === 'journal') {
    const warn = (message: string) => session.bus.emit({ type: 'warning', code: 'local.error', message });
    return followJournal(onLine, warn, source.unit, source.user);
  }
  try {
    return followFile(source.path, onLine);
  } catch (err) {
    if (err instanceof DaemonLogError) throw new UsageError(err.message);
    throw err;
  }
}

/** Pass every stop signal on to the command; `first` is the first one received. */
function forwardSignals(runner: PushRunner): { readonly first: NodeJS.Signals | undefined; dispose(): void } {
  let first: NodeJS.Signals | undefined;
  let count = 0;
  const listener = listenForStop((signal) => {
    first ??= signal;
    // The third Ctrl-C makes gcrwatch exit at once (lifecycle.ts): the command, in a process
    // group of its own, must not be left running behind it.
    if (++count >= FORCE_AFTER_SIGNALS && signal === 'SIGINT') runner.signal('SIGKILL');
    else runner.signal(signal);
  });
  return {
    get first() {
      return first;
    },
    dispose: listener.dispose,
  };
}

/** Run `argv` under watch; resolves with the exit status gcrwatch should end with. */
export async function runWrap(argv: string[], flags: WrapFlags, io: CliIO): Promise<number> {
  const command = describePushCommand(argv);
  const config = buildMonitorConfig(flags, { isTTY: io.stdoutIsTTY }, pushTargetOf(command), io.env);
  const daemonLog = await discoverDaemonLog({ tool: command.tool, env: io.env, flag: flags.daemonLog });
  config.recorded = {
    ...config.recorded,
    command: argv,
    ...(flags.daemonLog !== undefined ? { daemonLog: flags.daemonLog } : {}),
    daemonLogSource: daemonLog,
  };
  const session = createSession(config, 'wrap');
  let follower: LogFollower | undefined;
  let engineInfo: Promise<void> | undefined;
  const runner = new PushRunner({
    command,
    env: io.env,
    cwd: process.cwd(),
    inheritStdin: !io.stdin.isTTY,
    emit: (e) => session.bus.emit(e),
    awaitDaemonCauses: daemonLog.kind !== 'none',
    beforeEnd: async () => {
      await engineInfo;
      if (!follower) return;
      // dockerd writes its last "Upload failed" line as the CLI exits: give it a moment.
      await new Promise((r) => setTimeout(r, DAEMON_LOG_SETTLE_MS));
      follower.stop();
    },
  });
  follower = followDaemonLog(daemonLog, runner, session);
  const metrics = config.metrics
    ? await attachMetrics(session, config.metrics).catch((err: unknown) => {
        // A bad --metrics address ends the run before it starts: nothing may be left polling.
        follower?.stop();
        throw err;
      })
    : undefined;
  if (metrics && config.output !== 'json') io.stderr.write(`gcrwatch: metrics at ${metrics.url}\n`);
  const dashboard = await attachWrapOutput(session, config, io, new WrapStory());
  let childEnded = false;
  // `q` while the command runs asks it to stop, as Ctrl-C does: gcrwatch ends when it does.
  void dashboard?.quit.then(() => {
    if (!childEnded) process.kill(process.pid, 'SIGINT');
  });
  const signals = forwardSignals(runner);
  session.start();
  // The command is spawned first (run() does it before its first await): asking the engine
  // loads undici (~100 ms), which the push must not wait for.
  const running = runner.run();
  if (command.tool === 'docker' || command.tool === 'generic') {
    engineInfo = fetchEngineInfo(io.env).then((info) => {
      session.bus.emit(info);
    });
  }
  const outcome = await running;
  childEnded = true;
  // Over the dashboard a message would be lost: it is written once the terminal is back.
  if (outcome.startError && !dashboard) io.stderr.write(`gcrwatch: ${redactText(outcome.startError.message)}\n`);
  // A user who stopped the command wants out now; otherwise the verdict deserves the first results.
  if (!signals.first && !outcome.startError) await settle(session, config, io, dashboard);
  await session.stop(signals.first ? 'signal' : 'child-exit', outcome.code, signals.first);
  if (dashboard) {
    // Stopped by the user (q, Ctrl-C): they asked to leave, --stay or not.
    if (flags.stay && !signals.first && !outcome.startError) await stayOpen(dashboard);
    await dashboard.close();
    if (outcome.startError) io.stderr.write(`gcrwatch: ${redactText(outcome.startError.message)}\n`);
  }
  await metrics?.close();
  signals.dispose();
  return outcome.code;
}

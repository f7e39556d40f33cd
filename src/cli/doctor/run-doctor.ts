/**
 * `gcrwatch doctor`: a few probe rounds on every target and the registered checks (see
 * `checks.ts`), through an ordinary session (so the diagnosis engine sees what it sees
 * live), then the findings that hold. Exit 0 when none is a problem (notes do not count),
 * 1 when one is, 2 when doctor could not run (bad flags, interrupted, no round completed).
 */
import type { Command } from 'commander';
import { isProblem } from '../../core/diagnose/rank.js';
import { redactText } from '../../core/log/redact.js';
import { listenForStop } from '../lifecycle.js';
import { buildMonitorConfig } from '../monitor-config.js';
import { createSession } from '../monitor.js';
import type { CliIO } from '../outputs/attach.js';
import type { MonitorFlags } from '../program.js';
import { DOCTOR_CHECKS, type DoctorCheck, type DoctorCheckContext } from './checks.js';
import { formatDoctorJson, formatDoctorText, type DoctorResult } from './format-doctor.js';

/** Doctor's flags: the probe options plus --json. */
export interface DoctorFlags extends MonitorFlags {
  json?: boolean;
}

/** Defaults that suit a one-shot check, where the user did not choose. */
function withDoctorDefaults(flags: DoctorFlags, cmd: Command): DoctorFlags {
  // The options are the program's (doctor shares them, as push does): ask where each value came from there.
  const chosen = (name: string) => {
    const source = cmd.getOptionValueSourceWithGlobals(name);
    return source !== 'default' && source !== undefined;
  };
  return {
    ...flags,
    rounds: flags.rounds ?? '3',
    interval: chosen('interval') ? flags.interval : '1s',
    // A check for scripts leaves no session log behind unless asked to.
    log: chosen('log') ? flags.log : false,
    plain: true,
  };
}

/** Run doctor; resolves with its exit code after printing the result. */
export async function runDoctor(
  rawFlags: DoctorFlags,
  cmd: Command,
  io: CliIO,
  checks: DoctorCheck[] = DOCTOR_CHECKS,
): Promise<number> {
  const flags = withDoctorDefaults(rawFlags, cmd);
  const config = buildMonitorConfig(flags, { isTTY: false }, [], io.env);
  // The credential checks run once, as a doctor check, not on the monitor's schedule.
  const session = createSession(config, 'doctor', { sources: [] });
  // gcrwatch's own trouble (a check that failed, a log that cannot be written) goes to stderr.
  session.attach({
    name: 'doctor warnings',
    onEvent: (e) => {
      if (e.type === 'warning') io.stderr.write(`gcrwatch: warning: ${e.message}\n`);
    },
  });
  const stop = listenForStop();
  const abort = new AbortController();
  session.start();
  const ctx: DoctorCheckContext = {
    bus: session.bus,
    state: () => session.store.state,
    config,
    targets: config.targets,
    pushTargets: config.targets.filter((t) => t.pushTarget),
    ...(flags.repo ? { repo: flags.repo } : {}),
    timeoutMs: config.probe.timeoutMs,
    signal: abort.signal,
    env: io.env,
  };
  const work = Promise.all([session.scheduler.done, ...checks.map((c) => runCheck(c, ctx))]).then(
    () => 'done' as const,
  );
  const outcome = await Promise.race([work, stop.stopped.then(() => 'interrupted' as const)]);
  abort.abort();
  await session.stop(outcome === 'done' ? 'rounds' : 'signal');
  stop.dispose();
  const result = resultOf(session, config.maxRounds ?? 3, outcome);
  io.stdout.write(redactText(flags.json ? formatDoctorJson(result) : formatDoctorText(result).join('\n')) + '\n');
  return result.exitCode;
}

/** Run one check; a check that throws becomes a warning, and the others go on. */
async function runCheck(check: DoctorCheck, ctx: DoctorCheckContext): Promise<void> {
  try {
    await check.run(ctx);
  } catch (err) {
    ctx.bus.emit({
      type: 'warning',
      code: 'local.error',
      message: `doctor check ${check.name} failed: ${err instanceof Error ? err.message : String(err)}`,
    });
  }
}

function resultOf(
  session: ReturnType<typeof createSession>,
  rounds: number,
  outcome: 'done' | 'interrupted',
): DoctorResult {
  const targets = session.summaries();
  const findings = session.diagnosis.current();
  const probed = targets.some((t) => t.rounds > 0);
  if (outcome === 'interrupted') return { exitCode: 2, targets, findings, rounds, problem: 'interrupted' };
  if (!probed) return { exitCode: 2, targets, findings, rounds, problem: 'no probe round completed' };
  return { exitCode: findings.some(isProblem) ? 1 : 0, targets, findings, rounds };
}

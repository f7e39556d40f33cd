/**
 * Extra event sources of `gcrwatch doctor`, beside the probe rounds. Each runs once against
 * the doctor's session and emits its events on the bus, where the diagnosis engine reads
 * them like the probes'. The credential checks (docker's, Google's and the registry's view,
 * the clock) are the first; another source is one more entry in `DOCTOR_CHECKS`.
 */
import type { EventBus } from '../../core/bus.js';
import type { SessionState } from '../../core/store.js';
import type { Target } from '../../core/targets.js';
import { authMonitor } from '../monitor.js';
import type { MonitorConfig } from '../monitor-config.js';

/** What a check gets. */
export interface DoctorCheckContext {
  bus: EventBus;
  /** The session's state as the store has it (targets, the push, ...); read only. */
  state(): SessionState;
  config: MonitorConfig;
  targets: Target[];
  /** The targets the push goes to (from --repo). */
  pushTargets: Target[];
  /** The image given with --repo, if any. */
  repo?: string;
  timeoutMs: number;
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
}

/** One source of events for doctor. `run` must not throw: failures are events too. */
export interface DoctorCheck {
  name: string;
  run(ctx: DoctorCheckContext): Promise<void>;
}

/** The credential checks, once: the same checks a monitor runs every `--auth-interval`. */
export const credentialChecks: DoctorCheck = {
  name: 'credential checks',
  run: (ctx) => authMonitor(ctx.config).runOnceIn({ emit: (e) => ctx.bus.emit(e), state: ctx.state }, ctx.signal),
};

/** The checks doctor runs besides the probes. */
export const DOCTOR_CHECKS: DoctorCheck[] = [credentialChecks];

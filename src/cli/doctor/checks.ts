/**
 * Extra event sources of `gcrwatch doctor`, beside the probe rounds. Each runs once against
 * the doctor's session and emits its events on the bus, where the diagnosis engine reads
 * them like the probes'. The credential checks (docker's, Google's and the registry's view)
 * plug in here: one entry in `DOCTOR_CHECKS`.
 */
import type { EventBus } from '../../core/bus.js';
import type { Target } from '../../core/targets.js';

/** What a check gets. */
export interface DoctorCheckContext {
  bus: EventBus;
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

/** The checks doctor runs besides the probes. */
export const DOCTOR_CHECKS: DoctorCheck[] = [];

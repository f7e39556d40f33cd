/**
 * When the credential checks run (`check-run.ts` runs them): at start, every `--auth-interval`,
 * and also when a token enters its last ten minutes or expires, so that warning and that expiry
 * are reported when they happen, not up to an interval later.
 */
import type { SecureContext } from 'node:tls';
import { systemClock, type Clock, type TimerHandle } from '../clock.js';
import type { SessionEvent } from '../events.js';
import { imagePushTarget, type PushTarget } from '../image-ref.js';
import { PeriodicTask } from '../periodic.js';
import type { ProxySettings } from '../proxy/proxy-settings.js';
import type { SessionSource, SourceContext } from '../session.js';
import type { SessionState } from '../store.js';
import type { HelperLimits } from './credential-helper.js';
import { SHORT_LIVED_MS } from './expiry.js';
import { PushProgress } from './push-progress.js';
import type { AuthInput } from './types.js';
import { credentialVerdict } from './verdict.js';

/** Settings of the credential checks. */
export interface AuthMonitorOptions {
  intervalMs: number;
  /** Open and cancel an upload to prove push permission (`--no-push-check` turns it off). */
  pushCheck: boolean;
  /** From `--repo`; otherwise the wrapped push's image, once it has started. */
  repo?: PushTarget;
  /** Environment: DOCKER_CONFIG, HOME, PATH (helpers), GOOGLE_APPLICATION_CREDENTIALS, ... */
  env: NodeJS.ProcessEnv;
  /** Deadline of each HTTP request of the checks. */
  requestTimeoutMs: number;
  userAgent: string;
  secureContext?: SecureContext;
  helperLimits?: Omit<HelperLimits, 'env'>;
  /** A helper slower than this is a finding (default 3 s). */
  slowHelperMs?: number;
  /** tokeninfo endpoint (default Google's). */
  tokenInfoUrl?: string;
  /** Proxies of the session (HTTPS_PROXY, --proxy, NO_PROXY) for the registry's view. */
  proxy?: ProxySettings;
  /** Extra CA certificates (PEM) to trust through a proxy tunnel (--ca-file). */
  extraCaPems?: string[];
  clock?: Clock;
  /** Wall clock, epoch ms. */
  now?: () => number;
}

/** The longest the first run waits for the targets' first rounds. */
const FIRST_RUN_WAIT_MS = 2000;

/** The credential checks. */
export class AuthMonitor implements SessionSource {
  readonly name = 'credential checks';
  private ctx?: SourceContext;
  private task?: PeriodicTask;
  /** Targets whose first round has not reported yet; the first run waits for them. */
  private awaitingFirstRounds?: Set<string>;
  private firstRunTimer?: TimerHandle;
  private readonly progress = new PushProgress();
  private readonly now: () => number;

  constructor(private readonly opts: AuthMonitorOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Reads push progress from the stream (for the "expires before the push ends" warning). */
  onEvent(e: SessionEvent): void {
    this.progress.onEvent(e);
    if (e.type === 'probe' && this.awaitingFirstRounds?.delete(e.target) && !this.awaitingFirstRounds.size)
      this.beginRuns();
  }

  /**
   * The first run waits for every target's first round (FIRST_RUN_WAIT_MS at most): its loading
   * and helpers share the probes' event loop and slowed the first round (bench/startup.mjs).
   */
  start(ctx: SourceContext): void {
    this.ctx = ctx;
    this.task = new PeriodicTask({
      intervalMs: this.opts.intervalMs,
      run: (signal) => this.guardedRun(signal),
      clock: this.opts.clock,
    });
    const targets = [...ctx.state().targets.keys()];
    if (!targets.length) return this.task.start();
    this.awaitingFirstRounds = new Set(targets);
    this.firstRunTimer = this.clock.setTimeout(() => this.beginRuns(), FIRST_RUN_WAIT_MS);
  }

  async stop(): Promise<void> {
    if (this.firstRunTimer !== undefined) this.clock.clearTimeout(this.firstRunTimer);
    this.firstRunTimer = undefined;
    this.awaitingFirstRounds = undefined;
    await this.task?.stop();
  }

  private get clock(): Clock {
    return this.opts.clock ?? systemClock;
  }

  /** Start the periodic runs (once), on a timer of its own: not inside the delivery of a probe event. */
  private beginRuns(): void {
    if (!this.awaitingFirstRounds) return;
    this.awaitingFirstRounds = undefined;
    if (this.firstRunTimer !== undefined) this.clock.clearTimeout(this.firstRunTimer);
    this.firstRunTimer = this.clock.setTimeout(() => {
      this.firstRunTimer = undefined;
      this.task?.start();
    }, 0);
  }

  endSummary() {
    if (!this.ctx) return {};
    const state = this.ctx.state();
    return { credentials: credentialVerdict(state.auth.values(), this.pushTarget(state)?.host) };
  }

  /** A run that fails in an unforeseen way says so once per run, and the next run still comes. */
  private async guardedRun(signal: AbortSignal): Promise<void> {
    try {
      await this.runOnce(signal);
    } catch (err) {
      if (!signal.aborted)
        this.ctx?.emit({
          type: 'warning',
          code: 'local.error',
          message: `credential checks failed: ${err instanceof Error ? err.message : String(err)}`,
        });
    }
  }

  /** One round of every check outside any schedule (`doctor`), emitting through `ctx`. */
  async runOnceIn(ctx: SourceContext, signal: AbortSignal): Promise<void> {
    this.ctx = ctx;
    await this.runOnce(signal);
  }

  /** One round of every check. Exposed for tests; the session calls it on schedule. */
  async runOnce(signal: AbortSignal): Promise<void> {
    const ctx = this.ctx!;
    const emitted: AuthInput[] = [];
    const state = ctx.state();
    const remaining = this.progress.remainingMs(this.now());
    // Loaded on the first run, after the first rounds: the checks' ~40 modules (docker config,
    // helpers, Google, the registry) are not needed before the first result line.
    const { runCredentialChecks } = await import('./check-run.js');
    await runCredentialChecks({
      opts: this.opts,
      state,
      push: this.pushTarget(state),
      ...(remaining === undefined ? {} : { pushRemainingMs: remaining }),
      now: this.now,
      signal,
      emit: (e) => {
        if (signal.aborted) return;
        emitted.push(e);
        ctx.emit(e);
      },
    });
    if (!signal.aborted) this.planEarlyRun(emitted);
  }

  /** The push target: --repo, else the wrapped push's image once push.start named it. */
  pushTarget(state: SessionState): PushTarget | undefined {
    if (this.opts.repo) return this.opts.repo;
    const start = state.push?.start;
    if (!start?.registry || !start.repository) return undefined;
    return imagePushTarget({ endpoint: start.registry, repository: start.repository });
  }

  /** Bring the next run forward to the next expiry boundary (10 minutes before, and at expiry). */
  private planEarlyRun(events: AuthInput[]): void {
    const now = this.now();
    let next = Infinity;
    for (const e of events) {
      if (e.view !== 'docker' || !e.expiresAt) continue;
      const at = Date.parse(e.expiresAt);
      for (const boundary of [at - SHORT_LIVED_MS, at]) if (boundary > now && boundary < next) next = boundary;
    }
    if (next !== Infinity) this.task?.runIn(next - now + 250);
  }
}

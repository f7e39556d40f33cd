/**
 * What every rule may read about the session, folded once per event by the engine before
 * the rules see that event: the time of the event ("now"), the probe interval, which
 * targets the push goes to, the push in progress, a short probe history per target, the
 * docker engine's settings, and the causes the daemon's log gave. Everything is bounded.
 * Not the store's fold: a report diagnoses a log without a store, and the rules need the
 * error's category and message per round. The push target comes from image-ref.ts, as there.
 */
import type { EngineInfoEvent, LocalNetwork, PhaseTimes, PushStartEvent, SessionEvent, TargetInfo } from '../events.js';
import type { Category, FailurePhase } from '../errors.js';
import { isEndpointTarget, parseEndpoint } from '../image-ref.js';
import { recordedDaemonLogSource, type DaemonLogSource } from '../push/daemon-log-source.js';
import { Ring } from '../stats/ring.js';

/** One probe round, as the rules need it. `t` is epoch ms. */
export interface ProbeSample {
  t: number;
  target: string;
  ok: boolean;
  phases: PhaseTimes;
  code?: string;
  category?: Category;
  phase?: FailurePhase;
  message?: string;
}

/** Probe rounds kept per target: a few minutes at the default interval. */
export const PROBE_HISTORY = 120;
/** Daemon log causes kept. */
const DAEMON_CAUSES = 20;

/** Shared, bounded facts about the session. */
export class SessionFacts {
  /** Time of the event being folded (epoch ms). */
  now = 0;
  /** Time of the first event. */
  startedAt?: number;
  intervalMs = 2000;
  readonly targets = new Map<string, TargetInfo>();
  private readonly pushIds = new Set<string>();
  /** The push in progress, or the last one. */
  push?: PushStartEvent;
  pushStartedAt?: number;
  pushRunning = false;
  /** Retries of the push in progress, or of the last one. */
  pushRetries = 0;
  engine?: EngineInfoEvent;
  /** This machine's resolver and interfaces, when the log recorded them. */
  network?: LocalNetwork;
  /** The daemon's log a wrapped push read, or why none (undefined: not recorded). */
  daemonLog?: DaemonLogSource;
  readonly daemonCauses = new Ring<{ t: number; message: string; code?: string }>(DAEMON_CAUSES);
  private readonly probes = new Map<string, Ring<ProbeSample>>();

  /** Fold one event in. */
  observe(event: SessionEvent): void {
    const t = Date.parse(event.t);
    if (Number.isFinite(t)) this.now = t;
    this.startedAt ??= this.now;
    switch (event.type) {
      case 'session.start':
        this.onStart(event.targets, event.options);
        if (event.network) this.network = event.network;
        break;
      case 'probe':
        this.onProbe(event);
        break;
      case 'push.start':
        this.onPushStart(event);
        break;
      case 'push.end':
        this.pushRunning = false;
        break;
      case 'push.retry':
        this.pushRetries++;
        break;
      case 'engine.info':
        this.engine = event;
        break;
      case 'daemon.log':
        this.daemonCauses.push({ t: this.now, message: event.message, ...(event.code ? { code: event.code } : {}) });
        break;
      default:
        break;
    }
  }

  /** Target ids the push goes to (from --repo, the wrapped command, or push.start). */
  pushTargets(): string[] {
    return [...this.pushIds];
  }

  /** Host names the push goes to (targets' hosts, and the pushed registry). */
  pushHosts(): string[] {
    const hosts = new Set([...this.pushIds].map((id) => this.targets.get(id)?.host ?? id));
    if (this.push?.registry) hosts.add(parseEndpoint(this.push.registry).id);
    return [...hosts];
  }

  /** True when `target` is where the push goes. */
  isPushTarget(target: string): boolean {
    return this.pushIds.has(target);
  }

  /** Recent probe rounds of `target`, oldest first. */
  probesOf(target: string): ProbeSample[] {
    return this.probes.get(target)?.toArray() ?? [];
  }

  /**
   * True when a well-known host (one of the defaults, not typed by the user) got past DNS in
   * its latest round: the resolver knows public names, so a user's host it does not know is
   * likely mistyped.
   */
  wellKnownResolve(): boolean {
    return [...this.targets.values()].some((t) => {
      const last = t.source === 'default' ? this.probesOf(t.id).at(-1) : undefined;
      return last !== undefined && (last.ok || last.phase !== 'dns');
    });
  }

  /** Every target with probe history. */
  probedTargets(): string[] {
    return [...this.probes.keys()];
  }

  /** Probe rounds of `target` between `from` and `to` (epoch ms, inclusive). */
  probesBetween(target: string, from: number, to: number): ProbeSample[] {
    return this.probesOf(target).filter((p) => p.t >= from && p.t <= to);
  }

  /** How far apart in time a retry and a probe may be and still coincide: a few seconds. */
  coincidenceMs(): number {
    return Math.max(5000, 2.5 * this.intervalMs);
  }

  private onStart(targets: TargetInfo[], options: Record<string, unknown>): void {
    for (const t of targets) {
      this.targets.set(t.id, t);
      if (t.pushTarget) this.pushIds.add(t.id);
    }
    if (typeof options.intervalMs === 'number' && options.intervalMs > 0) this.intervalMs = options.intervalMs;
    const daemonLog = recordedDaemonLogSource(options);
    if (daemonLog) this.daemonLog = daemonLog;
  }

  private onPushStart(event: PushStartEvent): void {
    this.push = event;
    this.pushStartedAt = this.now;
    this.pushRunning = true;
    this.pushRetries = 0;
    if (!event.registry) return;
    const pushed = parseEndpoint(event.registry);
    const matches = [...this.targets.values()].filter((t) => isEndpointTarget(t, pushed));
    if (matches.length) for (const m of matches) this.pushIds.add(m.id);
    else this.pushIds.add(pushed.id);
  }

  private onProbe(event: Extract<SessionEvent, { type: 'probe' }>): void {
    let ring = this.probes.get(event.target);
    if (!ring) {
      ring = new Ring(PROBE_HISTORY);
      this.probes.set(event.target, ring);
    }
    const sample: ProbeSample = { t: this.now, target: event.target, ok: event.ok, phases: event.phases };
    if (event.error) {
      sample.code = event.error.code;
      sample.category = event.error.category;
      if (event.error.phase) sample.phase = event.error.phase;
      sample.message = event.error.message;
    }
    ring.push(sample);
  }
}

/**
 * The store's state as readers see it: an immutable copy taken once per published change
 * (trippy's `snapshot()`), so a reader may keep one (a paused display) while the store goes
 * on folding events. Parts that did not change since the previous snapshot are the previous
 * snapshot's own objects, so a copy costs only what changed and identity says what changed.
 */
import type {
  AuthEvent,
  DiagnosisEvent,
  EngineInfoEvent,
  PhaseName,
  ProbeEvent,
  PushEndEvent,
  PushStartEvent,
  SessionEndEvent,
  SessionEvent,
  SessionStartEvent,
  TargetInfo,
  TlsDetails,
  WarningEvent,
} from './events.js';
import type { LayerProgress, PushState, Sample, SessionState, TargetState } from './store.js';
import { STAT_PHASES, type PhaseFigures } from './stats/target-stats.js';

/** One target, frozen. `figures` and the percentages are over the statistics window. */
export interface TargetSnapshot {
  readonly info: TargetInfo;
  readonly last?: ProbeEvent;
  readonly lastOkAt?: number;
  readonly lastTls?: TlsDetails;
  readonly history: readonly Sample[];
  /** Rounds with no answer at all, in % of the window. */
  readonly lossPct: number;
  /** Rounds the registry answered with a failure (5xx, 429...), in % of the window. */
  readonly errorPct: number;
  readonly figures: Readonly<Partial<Record<PhaseName, Readonly<PhaseFigures>>>>;
}

/** The wrapped push, frozen. `output` holds the child's last lines, oldest first. */
export interface PushSnapshot {
  readonly start: PushStartEvent;
  readonly layers: readonly Readonly<LayerProgress>[];
  readonly retries: number;
  readonly errors: number;
  readonly lastError?: string;
  readonly digest?: string;
  readonly output: readonly string[];
  readonly end?: PushEndEvent;
}

/** The whole state at one version. Never changed after it is handed out. */
export interface StoreSnapshot {
  readonly version: number;
  readonly start?: SessionStartEvent;
  readonly end?: SessionEndEvent;
  readonly startedAt?: number;
  readonly lastEventAt?: number;
  readonly targets: ReadonlyMap<string, TargetSnapshot>;
  readonly push?: PushSnapshot;
  readonly engine?: EngineInfoEvent;
  readonly auth: ReadonlyMap<string, AuthEvent>;
  readonly findings: ReadonlyMap<string, DiagnosisEvent>;
  /** Notable events, newest last. */
  readonly recent: readonly SessionEvent[];
  /** Push and credential events, for the chart's marker row. */
  readonly markers: readonly SessionEvent[];
  readonly warnings: readonly WarningEvent[];
  readonly events: number;
}

/** What changed since the last snapshot (the store marks it as events come in). */
export interface Changes {
  targets: Set<string>;
  allTargets: boolean;
  push: boolean;
  auth: boolean;
  findings: boolean;
  warnings: boolean;
}

/** No change recorded. */
export function noChanges(): Changes {
  return { targets: new Set(), allTargets: false, push: false, auth: false, findings: false, warnings: false };
}

/** A snapshot of `state` at `version`, sharing with `previous` every part `changes` does not name. */
export function takeSnapshot(
  state: SessionState,
  version: number,
  changes: Changes,
  previous: StoreSnapshot | undefined,
): StoreSnapshot {
  const targets = new Map<string, TargetSnapshot>();
  for (const [id, t] of state.targets) {
    const before = previous?.targets.get(id);
    const same = before && !changes.allTargets && !changes.targets.has(id) && before.info === t.info;
    targets.set(id, same ? before : targetSnapshot(t));
  }
  const snapshot: StoreSnapshot = {
    version,
    start: state.start,
    end: state.end,
    startedAt: state.startedAt,
    lastEventAt: state.lastEventAt,
    targets,
    push: !state.push ? undefined : changes.push || !previous?.push ? pushSnapshot(state.push) : previous.push,
    engine: state.engine,
    auth: changes.auth || !previous ? new Map(state.auth) : previous.auth,
    findings: changes.findings || !previous ? new Map(state.findings) : previous.findings,
    recent: sameRing(previous?.recent, state.recent) ?? Object.freeze(state.recent.toArray()),
    markers: sameRing(previous?.markers, state.markers) ?? Object.freeze(state.markers.toArray()),
    warnings: changes.warnings || !previous ? Object.freeze(state.warnings.toArray()) : previous.warnings,
    events: state.events,
  };
  return Object.freeze(snapshot);
}

/** The previous copy of a ring when nothing was pushed since (same size, same newest item). */
function sameRing<T>(
  previous: readonly T[] | undefined,
  ring: { size: number; last(): T | undefined },
): readonly T[] | undefined {
  if (!previous || previous.length !== ring.size) return undefined;
  return previous[previous.length - 1] === ring.last() ? previous : undefined;
}

function targetSnapshot(t: TargetState): TargetSnapshot {
  const figures: Partial<Record<PhaseName, PhaseFigures>> = {};
  for (const phase of STAT_PHASES) figures[phase] = Object.freeze(t.stats.figures(phase));
  return Object.freeze({
    info: t.info,
    last: t.last,
    lastOkAt: t.lastOkAt,
    lastTls: t.lastTls,
    history: Object.freeze(t.history.toArray()),
    lossPct: t.stats.lossPct(),
    errorPct: t.stats.errorPct(),
    figures: Object.freeze(figures),
  });
}

function pushSnapshot(push: PushState): PushSnapshot {
  return Object.freeze({
    start: push.start,
    layers: Object.freeze([...push.layers.values()].map((l) => Object.freeze({ ...l }))),
    retries: push.retries,
    errors: push.errors,
    lastError: push.lastError,
    digest: push.digest,
    output: Object.freeze(push.output.toArray()),
    end: push.end,
  });
}

/**
 * The session store: a fold over the event stream into the state every reader needs (the
 * TUI, the plain summary, the metrics). It is an `EventSink`; readers use `subscribe` and
 * `getSnapshot` (the `useSyncExternalStore` contract: the snapshot object changes identity
 * exactly when the state changed). All collections are bounded, so memory does not grow
 * with the length of a session. Feeding the same events always gives the same state, which
 * is what makes replay show what the live session showed.
 */
import type { EventSink } from './bus.js';
import type {
  AuthEvent,
  DiagnosisEvent,
  EngineInfoEvent,
  PhaseTimes,
  ProbeEvent,
  PushEndEvent,
  PushStartEvent,
  SessionEndEvent,
  SessionEvent,
  SessionStartEvent,
  TargetInfo,
  TlsDetails,
  WarningEvent,
  LayerState,
} from './events.js';
import type { FailurePhase } from './errors.js';
import { isEndpointTarget, parseEndpoint } from './image-ref.js';
import { Ring } from './stats/ring.js';
import { DEFAULT_WINDOW, TargetStats } from './stats/target-stats.js';

/** One point of a target's latency history, for charts. `t` is epoch ms. */
export interface Sample {
  t: number;
  ok: boolean;
  phases: PhaseTimes;
  code?: string;
  /** The phase a failed round stopped in: later phases (and `total`) carry no latency then. */
  phase?: FailurePhase;
}

/** What the store knows of one target. */
export interface TargetState {
  info: TargetInfo;
  last?: ProbeEvent;
  lastOkAt?: number;
  /** The last TLS handshake details seen, kept through rounds that failed before TLS. */
  lastTls?: TlsDetails;
  stats: TargetStats;
  history: Ring<Sample>;
}

/** A layer of the wrapped push. */
export interface LayerProgress {
  id: string;
  state: LayerState;
  retries: number;
}

/** The wrapped push, when there is one. */
export interface PushState {
  start: PushStartEvent;
  layers: Map<string, LayerProgress>;
  retries: number;
  errors: number;
  lastError?: string;
  digest?: string;
  output: Ring<string>;
  end?: PushEndEvent;
}

/** The whole session state. */
export interface SessionState {
  start?: SessionStartEvent;
  end?: SessionEndEvent;
  startedAt?: number;
  lastEventAt?: number;
  targets: Map<string, TargetState>;
  push?: PushState;
  engine?: EngineInfoEvent;
  auth: Map<string, AuthEvent>;
  findings: Map<string, DiagnosisEvent>;
  /** Notable events (state changes, errors, retries), newest last. */
  recent: Ring<SessionEvent>;
  /** Push and credential events with times, for chart overlays. */
  markers: Ring<SessionEvent>;
  warnings: Ring<WarningEvent>;
  events: number;
}

/** Capacity settings; the defaults keep a 24-hour session in a few MB. */
export interface StoreLimits {
  history: number;
  window: number;
  recent: number;
  markers: number;
  output: number;
}

export const DEFAULT_LIMITS: StoreLimits = {
  history: 600,
  window: DEFAULT_WINDOW,
  recent: 200,
  markers: 500,
  output: 200,
};

/** A versioned view of the state; a new object after every change. */
export interface StoreSnapshot {
  version: number;
  state: SessionState;
}

/** The store. */
export class SessionStore implements EventSink {
  readonly name = 'store';
  readonly state: SessionState;
  private version = 0;
  private snapshot: StoreSnapshot;
  private readonly listeners = new Set<() => void>();
  private dirty = false;

  constructor(readonly limits: StoreLimits = DEFAULT_LIMITS) {
    this.state = {
      targets: new Map(),
      auth: new Map(),
      findings: new Map(),
      events: 0,
      recent: new Ring(limits.recent),
      markers: new Ring(limits.markers),
      warnings: new Ring(50),
    };
    this.snapshot = { version: 0, state: this.state };
  }

  /** Fold one event in. */
  onEvent(event: SessionEvent): void {
    applyEvent(this.state, event, this.limits);
    this.dirty = true;
  }

  /** Publish the changes of the last burst to subscribers. */
  flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.version++;
    this.snapshot = { version: this.version, state: this.state };
    for (const l of [...this.listeners]) l();
  }

  /** Subscribe to changes; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The current snapshot (stable identity between changes). */
  getSnapshot = (): StoreSnapshot => this.snapshot;
}

/** Types worth showing in the event log. */
const NOTABLE = new Set([
  'session.start',
  'session.end',
  'warning',
  'push.start',
  'push.retry',
  'push.error',
  'push.digest',
  'push.end',
  'auth',
  'diagnosis',
  'engine.info',
]);
const MARKERS = new Set(['push.start', 'push.retry', 'push.error', 'push.digest', 'push.end', 'auth']);

/** The reducer: apply `event` to `state` in place. */
export function applyEvent(state: SessionState, event: SessionEvent, limits: StoreLimits = DEFAULT_LIMITS): void {
  state.events++;
  const at = Date.parse(event.t);
  state.lastEventAt = at;
  if (MARKERS.has(event.type)) state.markers.push(event);
  switch (event.type) {
    case 'session.start':
      onSessionStart(state, event, at, limits);
      break;
    case 'session.end':
      state.end = event;
      break;
    case 'probe':
      onProbe(state, event, at, limits);
      return;
    case 'warning':
      state.warnings.push(event);
      break;
    case 'push.start':
      state.push = { start: event, layers: new Map(), retries: 0, errors: 0, output: new Ring(limits.output) };
      ensurePushTarget(state, event, limits);
      break;
    case 'push.layer':
      layerOf(state, event.layer).state = event.state;
      return;
    case 'push.retry':
      if (state.push) state.push.retries++;
      if (event.layer) layerOf(state, event.layer).retries++;
      break;
    case 'push.error':
      if (state.push) {
        state.push.errors++;
        state.push.lastError = event.text;
      }
      break;
    case 'push.digest':
      if (state.push) state.push.digest = event.digest;
      break;
    case 'push.output':
      state.push?.output.push(event.line);
      return;
    case 'push.end':
      if (state.push) state.push.end = event;
      break;
    case 'engine.info':
      state.engine = event;
      break;
    case 'auth':
      state.auth.set(`${event.view}:${event.host ?? ''}`, event);
      break;
    case 'diagnosis':
      if (event.cleared) state.findings.delete(event.code);
      else state.findings.set(event.code, event);
      break;
    default:
      break;
  }
  if (NOTABLE.has(event.type)) state.recent.push(event);
}

function onSessionStart(state: SessionState, event: SessionStartEvent, at: number, limits: StoreLimits): void {
  state.start = event;
  state.startedAt = at;
  for (const info of event.targets) targetOf(state, info, limits);
}

function targetOf(state: SessionState, info: TargetInfo, limits: StoreLimits): TargetState {
  let t = state.targets.get(info.id);
  if (!t) {
    t = { info, stats: new TargetStats(limits.window), history: new Ring(limits.history) };
    state.targets.set(info.id, t);
  }
  return t;
}

function ensurePushTarget(state: SessionState, event: PushStartEvent, limits: StoreLimits): void {
  if (!event.registry) return;
  const pushed = parseEndpoint(event.registry);
  for (const t of state.targets.values())
    if (isEndpointTarget(t.info, pushed)) t.info = { ...t.info, pushTarget: true };
  void limits;
}

function onProbe(state: SessionState, event: ProbeEvent, at: number, limits: StoreLimits): void {
  const t = targetOf(state, { id: event.target, host: event.target, port: 443, source: 'flag' }, limits);
  const wasOk = t.last?.ok;
  const prevCode = t.last?.error?.code;
  t.last = event;
  if (event.ok) t.lastOkAt = at;
  t.stats.add(event);
  const sample: Sample = { t: at, ok: event.ok, phases: event.phases };
  if (event.error) sample.code = event.error.code;
  if (event.error?.phase) sample.phase = event.error.phase;
  if (event.details.tls?.protocol) t.lastTls = event.details.tls;
  t.history.push(sample);
  // A change of health (or a new error code) is worth a line in the event log; steady rounds are not.
  if (wasOk !== event.ok || (!event.ok && event.error?.code !== prevCode)) state.recent.push(event);
}

const MAX_LAYERS = 500;

function layerOf(state: SessionState, id: string): LayerProgress {
  if (!state.push || (state.push.layers.size >= MAX_LAYERS && !state.push.layers.has(id)))
    return { id, state: 'preparing', retries: 0 };
  let layer = state.push.layers.get(id);
  if (!layer) {
    layer = { id, state: 'preparing', retries: 0 };
    state.push.layers.set(id, layer);
  }
  return layer;
}

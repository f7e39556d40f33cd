/**
 * The one event type of a gcrwatch session. Probes, the push wrapper, the credential checks
 * and the diagnosis all emit `SessionEvent`s; the log, `--json`, plain output, the TUI, the
 * metrics and the reports are all made from this stream and nothing else.
 *
 * Compatibility contract: `v` is the schema version. Readers accept events of any version
 * `<= SCHEMA_VERSION` and skip (with one warning) event types they do not know. Adding an
 * optional field or a new event type keeps the version; renaming or removing a field bumps it.
 */
import type { ProbeErrorInfo } from './errors.js';
import type { PhaseTimes, ProbeDetails } from './event-details.js';

/** Current schema version written in every event's `v`. */
export const SCHEMA_VERSION = 1;

/** Fields every event carries. `t` is ISO-8601 UTC with milliseconds. */
export interface EventBase {
  v: number;
  t: string;
}

// The parts of a probe round live in event-details.ts; they are part of this schema.
export * from './event-details.js';

/** Session start: who we are and what we watch. */
export interface SessionStartEvent extends EventBase {
  type: 'session.start';
  version: string;
  node: string;
  platform: string;
  hostname?: string;
  mode: string;
  targets: TargetInfo[];
  options: Record<string, unknown>;
  demo?: boolean;
  replayOf?: string;
  /** This machine's resolver and interfaces at start (absent in older logs). */
  network?: LocalNetwork;
}

/** This machine's own network as a session starts. */
export interface LocalNetwork {
  /** The nameservers the system resolver asks (/etc/resolv.conf). */
  nameservers: string[];
  /** `systemd-resolved` when the only nameserver is its stub, 127.0.0.53. */
  stub?: string;
  /** The stub's upstream servers, when readable. */
  upstream?: string[];
  /** Interfaces with an address other than loopback. */
  interfaces: string[];
}

/** A target as the session sees it. */
export interface TargetInfo {
  /** Stable id: `host` or `host:port` when the port is not 443. */
  id: string;
  host: string;
  port: number;
  pushTarget?: boolean;
  source: 'default' | 'flag' | 'push' | 'config' | 'repo' | 'discover';
  /**
   * With --compare-direct, each proxied target is probed twice: `proxy` through the proxy,
   * `direct` (id `HOST (direct)`) without it. Absent otherwise.
   */
  route?: 'proxy' | 'direct';
}

/** One probe round of one target: DNS, TCP, TLS and HTTP on a fresh connection. */
export interface ProbeEvent extends EventBase {
  type: 'probe';
  target: string;
  round: number;
  kind: 'round';
  ok: boolean;
  /** The round's own duration in gcrwatch (`phases.total` plus its work between the phases). */
  ms: number;
  phases: PhaseTimes;
  details: ProbeDetails;
  error?: ProbeErrorInfo;
  /** Scheduling delay of this round against its ideal start, in ms. */
  lagMs?: number;
}

/** Session end: why, and a summary per target. */
export interface SessionEndEvent extends EventBase {
  type: 'session.end';
  reason: 'duration' | 'signal' | 'child-exit' | 'rounds' | 'error' | 'quit' | 'replay-end';
  signal?: string;
  exitCode: number;
  summary: TargetSummary[];
  /** Events lost (never expected to be non-zero; counted to prove it). */
  droppedEvents?: number;
  /** The credential verdict at the end, when the credential checks ran. */
  credentials?: CredentialVerdict;
}

/** The credential verdict: may docker push, as whom, until when, and what is wrong. */
export interface CredentialVerdict {
  state: 'ok' | 'warning' | 'failing' | 'unknown';
  /** One line a user understands. */
  summary: string;
  /** Error codes of the latest checks that found something, worst first. */
  codes: string[];
  canPush?: boolean;
  identity?: string;
  expiresAt?: string;
}

/** Per-target summary over the session. */
export interface TargetSummary {
  target: string;
  rounds: number;
  ok: number;
  lossPct: number;
  lastOk: boolean;
  lastError?: string;
  p50: PhaseTimes;
  p95: PhaseTimes;
}

/** Something the user must know about gcrwatch itself (log unwritable, resolver fallback...). */
export interface WarningEvent extends EventBase {
  type: 'warning';
  code: string;
  message: string;
}

/** Known layer states as docker, podman, crane and skopeo report them. */
export type LayerState = 'preparing' | 'waiting' | 'pushing' | 'pushed' | 'exists' | 'mounted' | 'skipped';

/** The wrapped push started. */
export interface PushStartEvent extends EventBase {
  type: 'push.start';
  argv: string[];
  tool: string;
  registry?: string;
  repository?: string;
  tag?: string;
  pid?: number;
}

/** A layer changed state. */
export interface PushLayerEvent extends EventBase {
  type: 'push.layer';
  layer: string;
  state: LayerState;
  bytes?: number;
  totalBytes?: number;
}

/** The tool started a retry (the start of docker's countdown, not every tick). */
export interface PushRetryEvent extends EventBase {
  type: 'push.retry';
  layer?: string;
  attempt: number;
  delaySeconds?: number;
  /** The daemon's reason, from --daemon-log, when known. */
  cause?: string;
  causeCode?: string;
}

/** An error text the tool printed. */
export interface PushErrorEvent extends EventBase {
  type: 'push.error';
  text: string;
  code: string;
  category: string;
  retryable: boolean;
  layer?: string;
}

/** The pushed manifest's digest. */
export interface PushDigestEvent extends EventBase {
  type: 'push.digest';
  tag?: string;
  digest: string;
  size?: number;
}

/** One line of the child's output (already redacted). */
export interface PushOutputEvent extends EventBase {
  type: 'push.output';
  stream: 'stdout' | 'stderr';
  line: string;
}

/** The wrapped push ended. */
export interface PushEndEvent extends EventBase {
  type: 'push.end';
  exitCode: number | null;
  signal?: string;
  durationMs: number;
  layersPushed: number;
  layersExisting: number;
  retries: number;
}

/** A line from the docker daemon's log that explains a retry or an error. */
export interface DaemonLogEvent extends EventBase {
  type: 'daemon.log';
  level?: string;
  message: string;
  code?: string;
}

/** What the docker engine said about itself. */
export interface EngineInfoEvent extends EventBase {
  type: 'engine.info';
  version?: string;
  storageDriver?: string;
  containerdSnapshotter?: boolean;
  maxConcurrentUploads?: number;
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
  /** Where the engine was asked (`unix:///var/run/docker.sock`, `tcp://host:2375`). */
  endpoint?: string;
  /** Where maxConcurrentUploads comes from: dockerd's flag, its daemon.json, or docker's default. */
  maxConcurrentUploadsSource?: 'flag' | 'config' | 'default';
  /** Facts about the engine that change how a push behaves or is seen, in words. */
  notes?: string[];
  error?: ProbeErrorInfo;
}

/** A credential check: docker's view, Google's view, or the registry's view. */
export interface AuthEvent extends EventBase {
  type: 'auth';
  view: 'docker' | 'google' | 'registry' | 'metadata' | 'clock';
  host?: string;
  /** The repository of the registry view (the push target's `NAME`). */
  repository?: string;
  source?: string;
  kind?: string;
  identity?: string;
  expiresAt?: string;
  helper?: { name: string; ms?: number };
  canPush?: boolean;
  /** Short fingerprint of the token in use, to show that it changed (never the token). */
  fingerprint?: string;
  skewSeconds?: number;
  ok: boolean;
  ms?: number;
  note?: string;
  error?: ProbeErrorInfo;
}

/** A finding of the diagnosis engine. */
export interface DiagnosisEvent extends EventBase {
  type: 'diagnosis';
  category: string;
  code: string;
  summary: string;
  evidence: string[];
  confidence: 'low' | 'medium' | 'high';
  /** The kind of evidence behind the confidence (see `diagnose/confidence.ts`); absent in older logs. */
  basis?: 'stated' | 'coincidence' | 'inferred';
  advice: string;
  /** Set when a finding no longer holds. */
  cleared?: boolean;
  /** Rank of the finding, 0-100 (higher: more likely the answer); see `diagnose/rank.ts`. */
  score?: number;
}

/** A registry found on the local network over DNS-SD. */
export interface DiscoverEvent extends EventBase {
  type: 'discover';
  name: string;
  service: string;
  host: string;
  port: number;
  addresses: string[];
  /** The TXT record's `path` (an HTTP service is a registry when it is `/v2/`). */
  path?: string;
}

/** The union every output is made from. */
export type SessionEvent =
  | SessionStartEvent
  | ProbeEvent
  | SessionEndEvent
  | WarningEvent
  | PushStartEvent
  | PushLayerEvent
  | PushRetryEvent
  | PushErrorEvent
  | PushDigestEvent
  | PushOutputEvent
  | PushEndEvent
  | DaemonLogEvent
  | EngineInfoEvent
  | AuthEvent
  | DiagnosisEvent
  | DiscoverEvent;

/** Every event type this version knows. */
export type SessionEventType = SessionEvent['type'];
export const EVENT_TYPES: readonly SessionEventType[] = [
  'session.start',
  'probe',
  'session.end',
  'warning',
  'push.start',
  'push.layer',
  'push.retry',
  'push.error',
  'push.digest',
  'push.output',
  'push.end',
  'daemon.log',
  'engine.info',
  'auth',
  'diagnosis',
  'discover',
];

/** An event before the bus stamps `v` and `t`. */
export type EventInput = SessionEvent extends infer E
  ? E extends SessionEvent
    ? Omit<E, 'v' | 't'> & { t?: string }
    : never
  : never;

let lastMs = NaN;
let lastIso = '';

/** `new Date(ms).toISOString()`, computed once per millisecond: a burst of events shares it. */
function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/** Stamp an event with the schema version and a time (now, unless it already has one). */
export function stampEvent(input: EventInput, now: () => number = Date.now): SessionEvent {
  const { t: given, ...rest } = input;
  const t = given ?? isoTime(now());
  // v, t and type first: a log read by eye starts each line with what and when.
  return { v: SCHEMA_VERSION, t, ...rest } as SessionEvent;
}

/**
 * The schema of a session event as read from a log: a discriminated union over `type`, one
 * object per event type of events.ts, with the codes from their closed sets. Fields it does
 * not name are not checked, and a checked event is passed on as it was written, with them: a
 * field added by a newer gcrwatch (the compatibility contract allows that without a new
 * version) passes through. The union's inferred type is checked against `SessionEvent` below,
 * so the schema cannot drift from the types without the build failing.
 */
// zod/v4 (shipped inside zod 3.25): its compiled object parsers check a probe event three
// times faster than zod 3's, and a report of a version 1 log checks a million of them. Plain
// (stripping) objects: half the time of loose ones, whose copy of unknown keys is thrown away.
import { z } from 'zod/v4';
import { FINDING_CATEGORIES, FINDING_CODES, type FindingCode } from '../diagnose/codes.js';
import { CATEGORIES, ERROR_CODES, type ErrorCode } from '../errors.js';
import { EVENT_TYPES, type SessionEvent, type SessionEventType } from '../events.js';

const obj = z.object;
const str = z.string();
const num = z.number();
const bool = z.boolean();
const int = z.number().int();
const strings = z.array(str);

const errorCode = z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]], {
  error: (issue) => `"${String(issue.input)}" is not an error code this version knows`,
});
const findingCode = z.enum(Object.keys(FINDING_CODES) as [FindingCode, ...FindingCode[]], {
  error: (issue) => `"${String(issue.input)}" is not a finding code this version knows`,
});
const category = z.enum(CATEGORIES);
const findingCategory = z.enum(FINDING_CATEGORIES);
const family = z.union([z.literal(4), z.literal(6)]);

const probeError = obj({
  code: errorCode,
  category,
  phase: z.enum(['dns', 'connect', 'proxy', 'tls', 'http', 'auth', 'push', 'local']).optional(),
  message: str,
});

const phaseTimes = obj({
  dns: num.optional(),
  connect: num.optional(),
  proxy: num.optional(),
  tls: num.optional(),
  ttfb: num.optional(),
  transfer: num.optional(),
  total: num.optional(),
});

const dnsAnswer = obj({
  resolver: str,
  host: str.optional(),
  ok: bool,
  ms: num,
  v4: strings,
  v6: strings,
  error: probeError.optional(),
});

const tcpAttempt = obj({ family, address: str, ok: bool, ms: num, error: probeError.optional() });

const tlsDetails = obj({
  protocol: str.optional(),
  alpn: str.optional(),
  cipher: str.optional(),
  subject: str.optional(),
  sans: strings.optional(),
  issuer: str.optional(),
  issuerOrg: str.optional(),
  chain: strings.optional(),
  validFrom: str.optional(),
  validTo: str.optional(),
  daysLeft: num.optional(),
  verified: bool,
  interception: str.optional(),
});

const httpDetails = obj({
  status: num.optional(),
  challenge: obj({ scheme: str, realm: str.optional(), service: str.optional(), scope: str.optional() }).optional(),
  retryAfterSeconds: num.optional(),
  registryHeader: str.optional(),
  date: str.optional(),
  httpVersion: str.optional(),
});

const probeDetails = obj({
  address: str.optional(),
  family: family.optional(),
  pinned: bool.optional(),
  dns: z.array(dnsAnswer).optional(),
  tcp: z.array(tcpAttempt).optional(),
  tls: tlsDetails.optional(),
  http: httpDetails.optional(),
  proxy: obj({ url: str, status: num.optional() }).optional(),
  route: z.enum(['proxy', 'direct']).optional(),
});

const targetInfo = obj({
  id: str,
  host: str,
  port: int,
  pushTarget: bool.optional(),
  source: z.enum(['default', 'flag', 'push', 'config', 'repo', 'discover']),
  route: z.enum(['proxy', 'direct']).optional(),
});

const targetSummary = obj({
  target: str,
  rounds: num,
  ok: num,
  lossPct: num,
  lastOk: bool,
  lastError: errorCode.optional(),
  p50: phaseTimes,
  p95: phaseTimes,
});

const confidence = z.enum(['low', 'medium', 'high']);

/** Every event type's own fields (`v`, `t` and `type` are added below). */
const FIELDS = {
  'session.start': {
    version: str,
    node: str,
    platform: str,
    hostname: str.optional(),
    mode: str,
    targets: z.array(targetInfo),
    options: z.record(str, z.unknown()),
    demo: bool.optional(),
    replayOf: str.optional(),
    network: obj({
      nameservers: strings,
      stub: str.optional(),
      upstream: strings.optional(),
      interfaces: strings,
    }).optional(),
  },
  probe: {
    target: str,
    round: num,
    kind: z.literal('round'),
    ok: bool,
    ms: num,
    phases: phaseTimes,
    details: probeDetails,
    error: probeError.optional(),
    lagMs: num.optional(),
  },
  'session.end': {
    reason: z.enum(['duration', 'signal', 'child-exit', 'rounds', 'error', 'quit', 'replay-end']),
    signal: str.optional(),
    exitCode: num,
    summary: z.array(targetSummary),
    droppedEvents: num.optional(),
    credentials: obj({
      state: z.enum(['ok', 'warning', 'failing', 'unknown']),
      summary: str,
      codes: z.array(errorCode),
      canPush: bool.optional(),
      identity: str.optional(),
      expiresAt: str.optional(),
    }).optional(),
    verdict: obj({
      findings: num,
      top: obj({ code: findingCode, category: findingCategory, confidence, summary: str }).optional(),
    }).optional(),
  },
  warning: { code: z.union([errorCode, z.literal('demo.script')]), message: str },
  'push.start': {
    argv: strings,
    tool: str,
    registry: str.optional(),
    repository: str.optional(),
    tag: str.optional(),
    pid: num.optional(),
  },
  'push.layer': {
    layer: str,
    state: z.enum(['preparing', 'waiting', 'pushing', 'pushed', 'exists', 'mounted', 'skipped']),
    bytes: num.optional(),
    totalBytes: num.optional(),
  },
  'push.retry': {
    layer: str.optional(),
    attempt: num,
    delaySeconds: num.optional(),
    cause: str.optional(),
    causeCode: errorCode.optional(),
  },
  'push.error': { text: str, code: errorCode, category, retryable: bool, layer: str.optional() },
  'push.digest': { tag: str.optional(), digest: str, size: num.optional() },
  'push.output': { stream: z.enum(['stdout', 'stderr']), line: str },
  'push.end': {
    exitCode: num.nullable(),
    signal: str.optional(),
    durationMs: num,
    layersPushed: num,
    layersExisting: num,
    retries: num,
  },
  'daemon.log': { level: str.optional(), message: str, code: errorCode.optional() },
  'engine.info': {
    version: str.optional(),
    storageDriver: str.optional(),
    containerdSnapshotter: bool.optional(),
    maxConcurrentUploads: num.optional(),
    httpProxy: str.optional(),
    httpsProxy: str.optional(),
    noProxy: str.optional(),
    endpoint: str.optional(),
    maxConcurrentUploadsSource: z.enum(['flag', 'config', 'default']).optional(),
    notes: strings.optional(),
    error: probeError.optional(),
  },
  auth: {
    view: z.enum(['docker', 'google', 'registry', 'metadata', 'clock']),
    host: str.optional(),
    repository: str.optional(),
    source: str.optional(),
    kind: str.optional(),
    identity: str.optional(),
    expiresAt: str.optional(),
    helper: obj({ name: str, ms: num.optional() }).optional(),
    canPush: bool.optional(),
    fingerprint: str.optional(),
    skewSeconds: num.optional(),
    ok: bool,
    ms: num.optional(),
    note: str.optional(),
    error: probeError.optional(),
  },
  diagnosis: {
    category: findingCategory,
    code: findingCode,
    summary: str,
    evidence: strings,
    confidence,
    basis: z.enum(['stated', 'coincidence', 'inferred']).optional(),
    advice: str,
    cleared: bool.optional(),
    score: num.optional(),
  },
  discover: {
    name: str,
    service: str,
    host: str,
    port: num,
    addresses: strings,
    path: str.optional(),
  },
} satisfies Record<SessionEventType, z.core.$ZodLooseShape>;

/** An event's time: readers order, chart and diagnose by it. */
const time = str.refine((s) => Number.isFinite(Date.parse(s)), { error: 'is not a time' });

function eventOf<T extends SessionEventType, S extends z.core.$ZodLooseShape>(type: T, fields: S) {
  return obj({ v: int.min(1), t: time, type: z.literal(type), ...fields });
}

/** The schema of one event read from a log. */
export const EVENT_SCHEMA = z.discriminatedUnion(
  'type',
  EVENT_TYPES.map((type) => eventOf(type, FIELDS[type])) as unknown as [
    ReturnType<typeof eventOf<'probe', (typeof FIELDS)['probe']>>,
  ],
);

/** The probe event's schema alone (the reference form checks an expanded probe with it). */
export const PROBE_SCHEMA = eventOf('probe', FIELDS.probe);

// The build fails here, naming the event type, when a field of events.ts is missing from the
// schema or typed otherwise there.
type Inferred = { [T in SessionEventType]: z.infer<ReturnType<typeof eventOf<T, (typeof FIELDS)[T]>>> };
type Misfits = {
  [T in SessionEventType]: Inferred[T] extends Extract<SessionEvent, { type: T }> ? never : T;
}[SessionEventType];
const schemaFitsTheTypes: [Misfits] extends [never] ? true : Misfits = true;
void schemaFitsTheTypes;

/** The outcome of checking one value: the event, or what was wrong in a few words. */
export type Checked = { ok: true; event: SessionEvent } | { ok: false; problem: string };

/** Check `value` (a parsed JSON line whose `type` this version knows) against the schema. */
export function checkEvent(value: unknown): Checked {
  const result = EVENT_SCHEMA.safeParse(value);
  // The value itself, not zod's copy: the same data, in the order it was written.
  if (result.success) return { ok: true, event: value as SessionEvent };
  return { ok: false, problem: describeIssues(result.error.issues) };
}

/** The first issue, as `details.tcp[0].ms: expected number, got string`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const issue = issues[0];
  if (!issue) return 'does not fit the event schema';
  const where = issue.path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    '',
  );
  const what =
    issue.code === 'invalid_type'
      ? /received undefined$/.test(issue.message)
        ? 'is missing'
        : `expected ${issue.expected}, got ${/received (\w+)$/.exec(issue.message)?.[1] ?? 'something else'}`
      : issue.message;
  return where ? `${where}${what === 'is missing' ? ' ' : ': '}${what}` : what;
}

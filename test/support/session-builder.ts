/**
 * Builds session logs event by event at chosen times, for the diagnosis rules' tests and
 * the scenario corpus. Times are seconds after a fixed start, so a built session is the
 * same on every run (scenario files are compared byte for byte). Probe rounds look like the
 * probes' own: phase times with a little deterministic jitter, details per resolver and
 * address family, errors from the closed set with their categories.
 */
import { ERROR_CODES, failure, type ErrorCode, type FailurePhase } from '../../src/core/errors.js';
import {
  SCHEMA_VERSION,
  type AuthEvent,
  type DnsAnswer,
  type EventInput,
  type LocalNetwork,
  type PhaseTimes,
  type ProbeDetails,
  type SessionEvent,
  type TargetInfo,
  type TcpAttempt,
} from '../../src/core/events.js';
import { ProbeRefWriter } from '../../src/core/log/probe-refs.js';
import { classifyPushError } from '../../src/core/push/classify-push-error.js';
import { TargetStats } from '../../src/core/stats/target-stats.js';

/** What a probe round should look like; everything optional. */
export interface ProbeShape {
  /** Fail the round with this code (its phase is taken from the code unless given). */
  error?: ErrorCode;
  phase?: FailurePhase;
  message?: string;
  /** Override phase times (ms). */
  phases?: PhaseTimes;
  /** The other family's connect attempt: `ok`, a failure code, or none. */
  v6?: 'ok' | ErrorCode;
  /** Extra resolvers beside the system one: name -> ok or a failure code. */
  resolvers?: Record<string, 'ok' | ErrorCode>;
  /** The system resolver's own result when the round does not fail on DNS. */
  status?: number;
  retryAfterSeconds?: number;
  /** The registry's Date header, as an offset in seconds from the probe's time. */
  dateOffsetSeconds?: number;
  interception?: string;
  daysLeft?: number;
}

const START = Date.parse('2026-03-02T10:00:00.000Z');

/** A tiny deterministic PRNG (mulberry32), so jitter is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function phaseOfCode(code: ErrorCode): FailurePhase {
  const head = code.split('.')[0]!;
  return head === 'tcp'
    ? 'connect'
    : head === 'dns'
      ? 'dns'
      : head === 'tls'
        ? 'tls'
        : head === 'proxy'
          ? 'proxy'
          : 'http';
}

/** An address for a host (127.0.x.y style addresses keep evidence obviously synthetic). */
function addressOf(host: string, family: 4 | 6): string {
  let h = 0;
  for (const c of host) h = (h * 31 + c.charCodeAt(0)) & 0xffff;
  return family === 4 ? `192.0.2.${(h % 250) + 1}` : `2001:db8::${(h % 0xfff).toString(16)}`;
}

/** A session log under construction. */
export class SessionBuilder {
  private readonly events: SessionEvent[] = [];
  private readonly rounds = new Map<string, number>();
  private readonly random: () => number;
  private nowMs = START;

  constructor(seed = 1) {
    this.random = prng(seed);
  }

  /** Move the clock to `seconds` after the start. */
  at(seconds: number): this {
    this.nowMs = START + Math.round(seconds * 1000);
    return this;
  }

  /** Seconds since the start, now. */
  get seconds(): number {
    return (this.nowMs - START) / 1000;
  }

  /** Any event at the current time. */
  add(input: EventInput): this {
    this.events.push({ ...input, v: SCHEMA_VERSION, t: new Date(this.nowMs).toISOString() } as SessionEvent);
    return this;
  }

  /** session.start with these hosts; `push` marks the push target. */
  start(
    hosts: string[],
    opts: {
      push?: string;
      intervalMs?: number;
      dnsServers?: string[];
      options?: Record<string, unknown>;
      /** Hosts the user typed (source `flag`); the others are defaults. */
      typed?: string[];
      network?: LocalNetwork;
    } = {},
  ): this {
    // `host:port` is split as gcrwatch splits it (no IPv6 literals here).
    const targets: TargetInfo[] = hosts.map((h) => ({
      id: h,
      host: h.split(':')[0]!,
      port: h.includes(':') ? Number(h.split(':')[1]) : 443,
      source: opts.typed?.includes(h) ? ('flag' as const) : ('default' as const),
      ...(h === opts.push ? { pushTarget: true, source: 'push' as const } : {}),
    }));
    const options: Record<string, unknown> = { intervalMs: opts.intervalMs ?? 2000, timeoutMs: 5000 };
    if (opts.dnsServers) options.dnsServers = opts.dnsServers;
    Object.assign(options, opts.options);
    return this.add({
      type: 'session.start',
      version: '0.1.0',
      node: 'v20.20.2',
      platform: 'linux-x64',
      hostname: 'builder',
      mode: opts.push ? 'wrap' : 'plain',
      targets,
      options,
      ...(opts.network ? { network: opts.network } : {}),
    });
  }

  /** One probe round of `host` at the current time. */
  probe(host: string, shape: ProbeShape = {}): this {
    const round = this.rounds.get(host) ?? 0;
    this.rounds.set(host, round + 1);
    const j = () => 1 + (this.random() - 0.5) * 0.2;
    const phases: PhaseTimes = {
      dns: 2 * j(),
      connect: 14 * j(),
      tls: 28 * j(),
      ttfb: 35 * j(),
      transfer: 0.4 * j(),
      ...shape.phases,
    };
    const details: ProbeDetails = { address: addressOf(host, 4), family: 4, dns: [this.systemDns(host, shape)] };
    for (const [resolver, r] of Object.entries(shape.resolvers ?? {}))
      details.dns!.push(this.dnsAnswer(host, resolver, r));
    const error = shape.error
      ? failure(
          shape.error,
          shape.message ?? ERROR_CODES[shape.error].description,
          shape.phase ?? phaseOfCode(shape.error),
        )
      : undefined;
    const failedAt = error?.phase;
    if (failedAt === 'dns') {
      for (const k of ['connect', 'tls', 'ttfb', 'transfer'] as const) delete phases[k];
      if (error!.code === 'dns.timeout') phases.dns = 5000;
    } else {
      details.tcp = [this.tcp(host, 4, failedAt === 'connect' ? error!.code : 'ok')];
      if (shape.v6) details.tcp.push(this.tcp(host, 6, shape.v6));
    }
    if (failedAt === 'connect') {
      for (const k of ['tls', 'ttfb', 'transfer'] as const) delete phases[k];
      if (error!.code === 'tcp.timeout') phases.connect = 5000;
    }
    if (failedAt === 'tls') {
      for (const k of ['ttfb', 'transfer'] as const) delete phases[k];
      if (error!.code === 'tls.timeout') phases.tls = 5000;
      details.tls = {
        verified: false,
        ...(shape.interception ? { interception: shape.interception, issuer: shape.interception } : {}),
      };
    } else if (failedAt !== 'dns' && failedAt !== 'connect') {
      details.tls = {
        protocol: 'TLSv1.3',
        alpn: 'h2',
        verified: true,
        issuerOrg: shape.interception ?? 'Google Trust Services',
        daysLeft: shape.daysLeft ?? 60,
        ...(shape.interception ? { interception: shape.interception, issuer: shape.interception } : {}),
      };
      const status = shape.status ?? (error?.code === 'http.5xx' ? 503 : error?.code === 'http.429' ? 429 : 401);
      details.http = {
        status,
        httpVersion: '1.1',
        ...(status === 401
          ? { challenge: { scheme: 'Bearer', realm: `https://${host}/v2/token`, service: host } }
          : {}),
      };
      if (shape.retryAfterSeconds !== undefined) details.http.retryAfterSeconds = shape.retryAfterSeconds;
      if (shape.dateOffsetSeconds !== undefined)
        details.http.date = new Date(
          Math.floor((this.nowMs + shape.dateOffsetSeconds * 1000) / 1000) * 1000,
        ).toUTCString();
    }
    const total = Object.values(phases).reduce((a, b) => a + (b ?? 0), 0);
    phases.total = total;
    for (const k of Object.keys(phases) as (keyof PhaseTimes)[]) phases[k] = Math.round(phases[k]! * 1000) / 1000;
    const input = {
      type: 'probe' as const,
      target: host,
      round,
      kind: 'round' as const,
      ok: !error,
      ms: Math.round(total * 1000) / 1000,
      phases,
      details,
      lagMs: 0,
    };
    return this.add(error ? { ...input, error } : input);
  }

  /** Rounds of every host from `from` to `to` seconds every `every` s; `shape` decides each. */
  probeRounds(
    hosts: string[],
    from: number,
    to: number,
    every: number,
    shape: (host: string, s: number) => ProbeShape = () => ({}),
  ): this {
    for (let s = from; s <= to + 1e-9; s += every) {
      hosts.forEach((h, i) => this.at(s + i * 0.05).probe(h, shape(h, s)));
    }
    return this;
  }

  /** push.start of `image` (its registry host is the part before the first slash). */
  pushStart(image: string): this {
    const [registry, ...rest] = image.split('/');
    const [repository, tag] = rest.join('/').split(':');
    return this.add({
      type: 'push.start',
      argv: ['docker', 'push', image],
      tool: 'docker',
      registry: registry!,
      repository: repository!,
      ...(tag ? { tag } : {}),
      pid: 4242,
    });
  }

  layer(layer: string, state: Extract<SessionEvent, { type: 'push.layer' }>['state'], totalBytes?: number): this {
    return this.add({ type: 'push.layer', layer, state, ...(totalBytes !== undefined ? { totalBytes } : {}) });
  }

  /** A docker retry: attempt N, countdown 5 x N seconds; a cause is classified as the runner does. */
  retry(layer: string, attempt: number, cause?: string, causeCode?: ErrorCode): this {
    causeCode ??= cause ? classifyPushError(cause)?.code : undefined;
    return this.add({
      type: 'push.retry',
      layer,
      attempt,
      delaySeconds: 5 * attempt,
      ...(cause ? { cause } : {}),
      ...(causeCode ? { causeCode } : {}),
    });
  }

  pushError(text: string, code: ErrorCode, retryable = ERROR_CODES[code].temporary): this {
    return this.add({ type: 'push.error', text, code, category: ERROR_CODES[code].category, retryable });
  }

  pushEnd(exitCode: number, durationMs: number, retries = 0): this {
    return this.add({
      type: 'push.end',
      exitCode,
      durationMs,
      layersPushed: exitCode === 0 ? 3 : 0,
      layersExisting: 0,
      retries,
    });
  }

  daemon(message: string, code?: ErrorCode): this {
    return this.add({ type: 'daemon.log', level: 'error', message, ...(code ? { code } : {}) });
  }

  auth(fields: Omit<AuthEvent, 'type' | 'v' | 't'>): this {
    return this.add({ type: 'auth', ...fields });
  }

  /** session.end with the per-target summary a live session computes. */
  end(exitCode = 0): this {
    const stats = new Map<string, TargetStats>();
    for (const e of this.build()) {
      if (e.type !== 'probe') continue;
      if (!stats.has(e.target)) stats.set(e.target, new TargetStats());
      stats.get(e.target)!.add(e);
    }
    const summary = [...stats.entries()].map(([target, s]) => s.summary(target));
    return this.add({ type: 'session.end', reason: 'rounds', exitCode, summary });
  }

  /** The events so far, in time order (a log is written as things happen; ties keep the order added). */
  build(): SessionEvent[] {
    return this.events
      .map((e, i) => ({ e, i, t: Date.parse(e.t) }))
      .sort((a, b) => a.t - b.t || a.i - b.i)
      .map((x) => x.e);
  }

  /** The session log text, as the log writer writes it (probes that repeat their details as references). */
  ndjson(): string {
    const refs = new ProbeRefWriter();
    return (
      this.build()
        .map((e) => refs.line(e, () => JSON.stringify(e)))
        .join('\n') + '\n'
    );
  }

  private systemDns(host: string, shape: ProbeShape): DnsAnswer {
    if (shape.error && (shape.phase ?? phaseOfCode(shape.error)) === 'dns')
      return this.dnsAnswer(host, 'system', shape.error);
    return this.dnsAnswer(host, 'system', 'ok', shape.v6 !== undefined);
  }

  private dnsAnswer(host: string, resolver: string, r: 'ok' | ErrorCode, withV6 = false): DnsAnswer {
    const ms = Math.round(2 * (0.9 + this.random() * 0.2) * 1000) / 1000;
    if (r === 'ok') return { resolver, ok: true, ms, v4: [addressOf(host, 4)], v6: withV6 ? [addressOf(host, 6)] : [] };
    return {
      resolver,
      ok: false,
      ms: r === 'dns.timeout' ? 5000 : ms,
      v4: [],
      v6: [],
      error: failure(r, ERROR_CODES[r].description, 'dns'),
    };
  }

  private tcp(host: string, family: 4 | 6, r: 'ok' | ErrorCode): TcpAttempt {
    const ms = Math.round(14 * (0.9 + this.random() * 0.2) * 1000) / 1000;
    if (r === 'ok') return { family, address: addressOf(host, family), ok: true, ms };
    return {
      family,
      address: addressOf(host, family),
      ok: false,
      ms: r === 'tcp.timeout' ? 5000 : ms,
      error: failure(r, ERROR_CODES[r].description, 'connect'),
    };
  }
}

/**
 * Prometheus metrics made from the event stream: an `EventSink` that keeps a prom-client
 * registry up to date. No I/O here; `server.ts` serves the registry over HTTP.
 *
 * Names follow blackbox_exporter, so dashboards and alerts written for it carry over; they
 * describe the LAST round of each target (gauges), as blackbox's do for the last probe:
 *   probe_success, probe_duration_seconds, probe_dns_lookup_time_seconds,
 *   probe_http_duration_seconds{phase=resolve|connect|tls|processing|transfer},
 *   probe_http_status_code, probe_ssl_earliest_cert_expiry, probe_tls_version_info{version},
 *   probe_ip_protocol — each with a `target` label (and `route` under --compare-direct).
 * gcrwatch's own, which a scrape every 15 s would otherwise miss between scrapes:
 *   gcrwatch_probe_phase_duration_seconds (histogram per target and phase, every round),
 *   gcrwatch_probe_rounds_total, gcrwatch_probe_failures_total{code,category},
 *   gcrwatch_push_retries_total{category}, gcrwatch_push_errors_total{category,code},
 *   gcrwatch_credential_expiry_seconds{view,host}, gcrwatch_findings{code,category,confidence},
 *   gcrwatch_build_info, and process_cpu_seconds_total / process_resident_memory_bytes /
 *   process_start_time_seconds for the cost of watching.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EventSink } from '../core/bus.js';
import { ERROR_CODES, isErrorCode } from '../core/errors.js';
import type { AuthEvent, DiagnosisEvent, PhaseTimes, ProbeEvent, SessionEvent, TargetInfo } from '../core/events.js';
import { targetId } from '../core/targets.js';

/** blackbox_exporter's phases, and the gcrwatch phases each is made of. */
const BLACKBOX_PHASES: ReadonlyArray<[string, Array<keyof PhaseTimes>]> = [
  ['resolve', ['dns']],
  // Through a proxy, blackbox (Go's httptrace) attributes nothing to CONNECT; keeping it in
  // `connect` makes the phases add up to the duration, as dashboards assume.
  ['connect', ['connect', 'proxy']],
  ['tls', ['tls']],
  ['processing', ['ttfb']],
  ['transfer', ['transfer']],
];

const HISTOGRAM_PHASES: ReadonlyArray<keyof PhaseTimes> = [
  'dns',
  'connect',
  'proxy',
  'tls',
  'ttfb',
  'transfer',
  'total',
];

/** From 1 ms to 10 s: loopback handshakes to a stalled TLS handshake at the default timeout. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Labels = Record<string, string>;

/** Sink turning events into Prometheus metrics. `registry` is what gets served. */
export class MetricsCollector implements EventSink {
  readonly name = 'metrics';
  readonly registry = new Registry();
  private readonly targets = new Map<string, Labels>();
  private readonly tlsVersion = new Map<string, string>();
  private readonly findingLabels = new Map<string, Labels>();
  private readonly expiries = new Map<string, { labels: Labels; at: number }>();
  private readonly m: Metrics;

  constructor(
    version: string,
    private readonly now: () => number = Date.now,
  ) {
    this.m = createMetrics(this.registry, () => this.collectExpiries());
    new Gauge({
      name: 'gcrwatch_build_info',
      help: 'gcrwatch version and Node.js version',
      labelNames: ['version', 'node'],
      registers: [this.registry],
    }).set({ version, node: process.version }, 1);
    registerProcessMetrics(this.registry);
  }

  onEvent(event: SessionEvent): void {
    switch (event.type) {
      case 'session.start':
        for (const t of event.targets) this.targets.set(t.id, labelsOf(t));
        break;
      case 'probe':
        this.onProbe(event);
        break;
      case 'push.retry':
        this.m.retries.inc({ category: categoryOf(event.causeCode) });
        break;
      case 'push.error':
        this.m.pushErrors.inc({ category: event.category, code: event.code });
        break;
      case 'auth':
        this.onAuth(event);
        break;
      case 'diagnosis':
        this.onDiagnosis(event);
        break;
      default:
        break;
    }
  }

  private onProbe(e: ProbeEvent): void {
    const labels = this.targets.get(e.target) ?? { target: e.target };
    this.m.success.set(labels, e.ok ? 1 : 0);
    this.m.duration.set(labels, seconds(e.phases.total ?? e.ms));
    this.m.dns.set(labels, seconds(e.phases.dns ?? 0));
    for (const [phase, parts] of BLACKBOX_PHASES) {
      this.m.http.set({ ...labels, phase }, seconds(parts.reduce((sum, p) => sum + (e.phases[p] ?? 0), 0)));
    }
    for (const phase of HISTOGRAM_PHASES) {
      const ms = e.phases[phase];
      if (ms !== undefined) this.m.phases.observe({ ...labels, phase }, seconds(ms));
    }
    this.m.rounds.inc(labels);
    if (e.error) this.m.failures.inc({ ...labels, code: e.error.code, category: e.error.category });
    this.m.status.set(labels, e.details.http?.status ?? 0);
    if (e.details.family) this.m.ipProtocol.set(labels, e.details.family);
    const validTo = e.details.tls?.validTo;
    if (validTo) this.m.expiry.set(labels, Math.floor(Date.parse(validTo) / 1000));
    this.setTlsVersion(labels, e.details.tls?.protocol);
  }

  private setTlsVersion(labels: Labels, protocol: string | undefined): void {
    if (!protocol) return;
    const version = protocol.replace(/^TLSv/, 'TLS ');
    const key = JSON.stringify(labels);
    const previous = this.tlsVersion.get(key);
    if (previous && previous !== version) this.m.tls.remove({ ...labels, version: previous });
    this.tlsVersion.set(key, version);
    this.m.tls.set({ ...labels, version }, 1);
  }

  private onAuth(e: AuthEvent): void {
    const labels = { view: e.view, host: e.host ?? '' };
    const key = `${labels.view}|${labels.host}`;
    const at = e.expiresAt ? Date.parse(e.expiresAt) : NaN;
    if (Number.isFinite(at)) {
      this.expiries.set(key, { labels, at });
    } else if (this.expiries.delete(key)) {
      this.m.credential.remove(labels);
    }
  }

  /** Seconds to expiry are counted at scrape time, so the gauge counts down between events. */
  private collectExpiries(): void {
    for (const { labels, at } of this.expiries.values())
      this.m.credential.set(labels, Math.round((at - this.now()) / 1000));
  }

  private onDiagnosis(e: DiagnosisEvent): void {
    const previous = this.findingLabels.get(e.code);
    if (previous) this.m.findings.remove(previous);
    if (e.cleared) {
      this.findingLabels.delete(e.code);
      return;
    }
    const labels = { code: e.code, category: e.category, confidence: e.confidence };
    this.findingLabels.set(e.code, labels);
    this.m.findings.set(labels, 1);
  }
}

type Metrics = ReturnType<typeof createMetrics>;

/** The metric objects, registered in `registry`. */
function createMetrics(registry: Registry, onCollectExpiries: () => void) {
  const r = [registry];
  const t = ['target', 'route'];
  return {
    success: new Gauge({
      name: 'probe_success',
      help: 'Whether the last round of the target succeeded (1) or failed (0)',
      labelNames: t,
      registers: r,
    }),
    duration: new Gauge({
      name: 'probe_duration_seconds',
      help: 'Duration of the last round in seconds',
      labelNames: t,
      registers: r,
    }),
    dns: new Gauge({
      name: 'probe_dns_lookup_time_seconds',
      help: 'DNS lookup time of the last round in seconds (of the proxy, through a proxy)',
      labelNames: t,
      registers: r,
    }),
    http: new Gauge({
      name: 'probe_http_duration_seconds',
      help: 'Duration of each phase of the last round in seconds (connect includes a proxy CONNECT)',
      labelNames: [...t, 'phase'],
      registers: r,
    }),
    status: new Gauge({
      name: 'probe_http_status_code',
      help: 'HTTP status of GET /v2/ in the last round (0 when none)',
      labelNames: t,
      registers: r,
    }),
    expiry: new Gauge({
      name: 'probe_ssl_earliest_cert_expiry',
      help: 'Expiry of the server certificate last seen, as a unix timestamp',
      labelNames: t,
      registers: r,
    }),
    tls: new Gauge({
      name: 'probe_tls_version_info',
      help: 'TLS version of the last handshake',
      labelNames: [...t, 'version'],
      registers: r,
    }),
    ipProtocol: new Gauge({
      name: 'probe_ip_protocol',
      help: 'IP protocol (4 or 6) of the last connection',
      labelNames: t,
      registers: r,
    }),
    phases: new Histogram({
      name: 'gcrwatch_probe_phase_duration_seconds',
      help: 'Duration of each phase of every round in seconds',
      labelNames: [...t, 'phase'],
      buckets: BUCKETS,
      registers: r,
    }),
    rounds: new Counter({
      name: 'gcrwatch_probe_rounds_total',
      help: 'Probe rounds completed',
      labelNames: t,
      registers: r,
    }),
    failures: new Counter({
      name: 'gcrwatch_probe_failures_total',
      help: 'Failed probe rounds by error code and category',
      labelNames: [...t, 'code', 'category'],
      registers: r,
    }),
    retries: new Counter({
      name: 'gcrwatch_push_retries_total',
      help: 'Retries of the wrapped push, by the category of their cause (unknown when not known)',
      labelNames: ['category'],
      registers: r,
    }),
    pushErrors: new Counter({
      name: 'gcrwatch_push_errors_total',
      help: 'Errors printed by the wrapped push, by category and code',
      labelNames: ['category', 'code'],
      registers: r,
    }),
    credential: new Gauge({
      name: 'gcrwatch_credential_expiry_seconds',
      help: 'Seconds until the credential expires (negative once expired)',
      labelNames: ['view', 'host'],
      registers: r,
      collect: onCollectExpiries,
    }),
    findings: new Gauge({
      name: 'gcrwatch_findings',
      help: 'Findings of the diagnosis in force now (1 per finding code)',
      labelNames: ['code', 'category', 'confidence'],
      registers: r,
    }),
  };
}

/** `target` is the host id; `route` only under --compare-direct, so blackbox queries still match. */
function labelsOf(t: TargetInfo): Labels {
  const base = { target: targetId(t.host, t.port) };
  return t.route ? { ...base, route: t.route } : base;
}

function categoryOf(code: string | undefined): string {
  return code && isErrorCode(code) ? ERROR_CODES[code].category : 'unknown';
}

function seconds(ms: number): number {
  return ms / 1000;
}

/** The three process metrics a fleet watches gcrwatch's own cost with; computed at scrape. */
function registerProcessMetrics(registry: Registry): void {
  const registers = [registry];
  new Counter({
    name: 'process_cpu_seconds_total',
    help: 'User and system CPU time of gcrwatch in seconds',
    registers,
    collect() {
      const u = process.cpuUsage();
      this.reset();
      this.inc((u.user + u.system) / 1e6);
    },
  });
  new Gauge({
    name: 'process_resident_memory_bytes',
    help: 'Resident memory of gcrwatch in bytes',
    registers,
    collect() {
      this.set(process.memoryUsage.rss());
    },
  });
  const started = Math.round(Date.now() / 1000 - process.uptime());
  new Gauge({ name: 'process_start_time_seconds', help: 'Start time of gcrwatch as a unix timestamp', registers }).set(
    started,
  );
}

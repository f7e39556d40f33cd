/**
 * Prometheus metrics made from the event stream: an `EventSink` keeping a prom-client registry
 * up to date (the metrics themselves: `definitions.ts`). No I/O; `server.ts` serves it.
 * It folds the stream again because Prometheus needs counters since start, not the store's windows.
 */
import { Gauge, Registry } from 'prom-client';
import type { EventSink } from '../core/bus.js';
import { ERROR_CODES, isErrorCode } from '../core/errors.js';
import type { AuthEvent, DiagnosisEvent, PhaseTimes, ProbeEvent, SessionEvent, TargetInfo } from '../core/events.js';
import { targetId } from '../core/targets.js';
import { createMetrics, registerProcessMetrics, type Metrics } from './definitions.js';

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

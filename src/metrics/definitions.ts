/**
 * The metrics gcrwatch serves. Names follow blackbox_exporter (`probe_*`, about the LAST round
 * of each target), so its dashboards and alerts carry over; `gcrwatch_*` are gcrwatch's own:
 * counts and histograms of every round, which a scrape every 15 s would otherwise miss.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** From 1 ms to 10 s: loopback handshakes to a stalled TLS handshake at the default timeout. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The metric objects of the collector. */
export type Metrics = ReturnType<typeof createMetrics>;

/** The metric objects, registered in `registry`. */
export function createMetrics(registry: Registry, onCollectExpiries: () => void) {
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

/** The three process metrics a fleet watches gcrwatch's own cost with; computed at scrape. */
export function registerProcessMetrics(registry: Registry): void {
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

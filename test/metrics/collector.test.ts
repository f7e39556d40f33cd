import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/bus.js';
import type { EventInput } from '../../src/core/events.js';
import { MetricsCollector } from '../../src/metrics/collector.js';

function setup(now = () => Date.parse('2026-01-01T00:00:00Z')) {
  const bus = new EventBus();
  const collector = new MetricsCollector('9.9.9', now);
  bus.subscribe(collector);
  bus.emit({
    type: 'session.start',
    version: '9.9.9',
    node: 'v20',
    platform: 'linux-x64',
    mode: 'plain',
    options: {},
    targets: [
      { id: 'gcr.io', host: 'gcr.io', port: 443, source: 'default', route: 'proxy' },
      { id: 'gcr.io (direct)', host: 'gcr.io', port: 443, source: 'default', route: 'direct' },
      { id: 'reg.local:5000', host: 'reg.local', port: 5000, source: 'flag' },
    ],
  });
  const text = async () => collector.registry.metrics();
  return { bus, text };
}

const okRound: EventInput = {
  type: 'probe',
  target: 'reg.local:5000',
  round: 1,
  kind: 'round',
  ok: true,
  ms: 41,
  phases: { dns: 1, connect: 2, tls: 8, ttfb: 20, transfer: 10, total: 41 },
  details: {
    family: 4,
    tls: { verified: true, protocol: 'TLSv1.3', validTo: '2026-03-01T00:00:00.000Z' },
    http: { status: 401 },
  },
};

describe('metrics from events', () => {
  it('gives blackbox_exporter names with a target label for the last round', async () => {
    const { bus, text } = setup();
    bus.emit(okRound);
    const out = await text();
    expect(out).toContain('probe_success{target="reg.local:5000"} 1');
    expect(out).toContain('probe_duration_seconds{target="reg.local:5000"} 0.041');
    expect(out).toContain('probe_dns_lookup_time_seconds{target="reg.local:5000"} 0.001');
    expect(out).toContain('probe_http_duration_seconds{target="reg.local:5000",phase="resolve"} 0.001');
    expect(out).toContain('probe_http_duration_seconds{target="reg.local:5000",phase="processing"} 0.02');
    expect(out).toContain('probe_http_status_code{target="reg.local:5000"} 401');
    expect(out).toContain(
      `probe_ssl_earliest_cert_expiry{target="reg.local:5000"} ${Date.parse('2026-03-01T00:00:00Z') / 1000}`,
    );
    expect(out).toContain('probe_tls_version_info{target="reg.local:5000",version="TLS 1.3"} 1');
    expect(out).toContain('probe_ip_protocol{target="reg.local:5000"} 4');
    expect(out).toContain(
      'gcrwatch_probe_phase_duration_seconds_bucket{le="0.01",target="reg.local:5000",phase="tls"} 1',
    );
    expect(out).toContain(
      'gcrwatch_probe_phase_duration_seconds_bucket{le="0.005",target="reg.local:5000",phase="tls"} 0',
    );
    expect(out).toContain('gcrwatch_build_info{version="9.9.9"');
    expect(out).toMatch(/^process_cpu_seconds_total \d/m);
  });

  it('a failed round: success 0, the failure counted by code and category, unreached phases 0', async () => {
    const { bus, text } = setup();
    bus.emit(okRound);
    bus.emit({
      type: 'probe',
      target: 'reg.local:5000',
      round: 2,
      kind: 'round',
      ok: false,
      ms: 5000,
      phases: { dns: 1, connect: 5000, total: 5001 },
      details: { family: 4 },
      error: { code: 'tcp.timeout', category: 'network', phase: 'connect', message: 'x' },
    });
    const out = await text();
    expect(out).toContain('probe_success{target="reg.local:5000"} 0');
    expect(out).toContain('probe_http_duration_seconds{target="reg.local:5000",phase="tls"} 0');
    expect(out).toContain('probe_http_status_code{target="reg.local:5000"} 0');
    expect(out).toContain(
      'gcrwatch_probe_failures_total{target="reg.local:5000",code="tcp.timeout",category="network"} 1',
    );
    expect(out).toContain('gcrwatch_probe_rounds_total{target="reg.local:5000"} 2');
  });

  it('--compare-direct twins keep the host as target and differ by route; CONNECT counts in connect', async () => {
    const { bus, text } = setup();
    const base = { type: 'probe' as const, round: 1, kind: 'round' as const, ok: true, ms: 30, details: {} };
    bus.emit({ ...base, target: 'gcr.io', phases: { dns: 1, connect: 2, proxy: 15, tls: 5, ttfb: 7, total: 30 } });
    bus.emit({ ...base, target: 'gcr.io (direct)', phases: { dns: 1, connect: 2, tls: 5, ttfb: 7, total: 15 } });
    const out = await text();
    expect(out).toContain('probe_http_duration_seconds{target="gcr.io",route="proxy",phase="connect"} 0.017');
    expect(out).toContain('probe_http_duration_seconds{target="gcr.io",route="direct",phase="connect"} 0.002');
    expect(out).toContain('gcrwatch_probe_phase_duration_seconds_count{target="gcr.io",route="proxy",phase="proxy"} 1');
    expect(out).not.toContain('route="direct",phase="proxy"');
  });

  it('a new TLS version replaces the old one', async () => {
    const { bus, text } = setup();
    bus.emit(okRound);
    bus.emit({ ...okRound, details: { tls: { verified: true, protocol: 'TLSv1.2' } } } as EventInput);
    const out = await text();
    expect(out).toContain('version="TLS 1.2"} 1');
    expect(out).not.toContain('version="TLS 1.3"');
  });

  it('push retries and errors by category; findings while in force; credential expiry counting down', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const { bus, text } = setup(() => now);
    bus.emit({ type: 'push.retry', attempt: 1, causeCode: 'push.connection_reset' });
    bus.emit({ type: 'push.retry', attempt: 2 });
    bus.emit({ type: 'push.error', text: 'denied', code: 'push.denied', category: 'auth', retryable: false });
    bus.emit({ type: 'auth', view: 'google', host: 'gcr.io', ok: true, expiresAt: '2026-01-01T01:00:00Z' });
    bus.emit({
      type: 'diagnosis',
      category: 'network',
      code: 'network.retries_with_probe_trouble',
      summary: 's',
      evidence: [],
      confidence: 'high',
      advice: 'a',
    });
    bus.emit({
      type: 'diagnosis',
      category: 'auth',
      code: 'auth.token_expired',
      summary: 's',
      evidence: [],
      confidence: 'low',
      advice: 'a',
    });
    let out = await text();
    expect(out).toContain('gcrwatch_push_retries_total{category="network"} 1');
    expect(out).toContain('gcrwatch_push_retries_total{category="unknown"} 1');
    expect(out).toContain('gcrwatch_push_errors_total{category="auth",code="push.denied"} 1');
    expect(out).toContain('gcrwatch_credential_expiry_seconds{view="google",host="gcr.io"} 3600');
    expect(out).toContain(
      'gcrwatch_findings{code="network.retries_with_probe_trouble",category="network",confidence="high"} 1',
    );
    now += 600_000;
    bus.emit({
      type: 'diagnosis',
      category: 'network',
      code: 'network.retries_with_probe_trouble',
      summary: 's',
      evidence: [],
      confidence: 'high',
      advice: 'a',
      cleared: true,
    });
    bus.emit({
      type: 'diagnosis',
      category: 'auth',
      code: 'auth.token_expired',
      summary: 's',
      evidence: [],
      confidence: 'high',
      advice: 'a',
    });
    out = await text();
    expect(out).toContain('gcrwatch_credential_expiry_seconds{view="google",host="gcr.io"} 3000');
    expect(out).not.toContain('code="network.retries_with_probe_trouble"');
    expect(out).toContain('gcrwatch_findings{code="auth.token_expired",category="auth",confidence="high"} 1');
    expect(out).not.toContain('confidence="low"');
    bus.emit({ type: 'auth', view: 'google', host: 'gcr.io', ok: false });
    expect(await text()).not.toContain('gcrwatch_credential_expiry_seconds{');
  });
});

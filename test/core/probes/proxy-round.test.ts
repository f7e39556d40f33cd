/**
 * Probe rounds through a real HTTP proxy (tinyproxy) on loopback: the phase split (DNS and
 * connect to the proxy, CONNECT, TLS to the registry through the tunnel, first byte), and the
 * codes of a proxy that refuses CONNECT, wants credentials, is down, or cannot reach the registry.
 */
import net from 'node:net';
import tls from 'node:tls';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { EventBus } from '../../../src/core/bus.js';
import { clearRegisteredSecrets } from '../../../src/core/log/redact.js';
import { runRound } from '../../../src/core/probes/round.js';
import type { ProbeOptions } from '../../../src/core/probes/types.js';
import { parseProxyUrl, type ProxyEndpoint } from '../../../src/core/proxy/proxy-settings.js';
import { makeTarget } from '../../../src/core/targets.js';
import { createCa, issueLeaf, type TestLeaf } from '../../../src/sim/pki.js';
import { startFaultProxy } from '../../../src/sim/fault-proxy.js';
import { startRegistryFront, type RegistryFront } from '../../../src/sim/registry-front.js';
import { describeWithPrereqs } from '../../peers/prereqs.js';
import { freePort, startTinyproxy, type Tinyproxy } from '../../support/tinyproxy.js';

let leaf: TestLeaf;
let cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  leaf = await issueLeaf(await createCa(), { sans: ['localhost', '127.0.0.1'] });
});
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
  clearRegisteredSecrets();
});

async function front(): Promise<RegistryFront> {
  const f = await startRegistryFront({ tls: { cert: leaf.chainPem, key: leaf.keyPem } });
  cleanups.push(() => f.close());
  return f;
}

async function tinyproxy(extra: string[] = []): Promise<Tinyproxy> {
  const tp = await startTinyproxy(extra);
  cleanups.push(() => tp.stop());
  return tp;
}

function options(proxy?: ProxyEndpoint): ProbeOptions {
  return {
    timeoutMs: 5000,
    pins: new Map(),
    dnsServers: [],
    userAgent: 'gcrwatch-test',
    secureContext: tls.createSecureContext({ ca: leaf.caPem }),
    proxyFor: () => proxy,
  };
}

function round(port: number, proxy?: ProxyEndpoint) {
  return runRound({
    target: makeTarget('127.0.0.1', port, 'flag'),
    options: options(proxy),
    signal: AbortSignal.timeout(5000),
  });
}

describeWithPrereqs('a round through tinyproxy', ['tinyproxy', 'openssl'], () => {
  it('splits the phases: connect to the proxy, CONNECT, TLS through the tunnel, first byte', async () => {
    const registry = await front();
    const tp = await tinyproxy();
    const r = await round(registry.address.port, parseProxyUrl(tp.url, '--proxy'));
    expect(r.error).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.details.proxy).toEqual({ url: tp.url, status: 200 });
    expect(r.details.tcp?.[0]).toMatchObject({ address: '127.0.0.1', ok: true });
    for (const phase of ['dns', 'connect', 'proxy', 'tls', 'ttfb', 'total'] as const)
      expect(r.phases[phase]).toBeTypeOf('number');
    expect(r.phases.proxy!).toBeGreaterThan(0);
    expect(r.phases.total!).toBeGreaterThanOrEqual(
      r.phases.connect! + r.phases.proxy! + r.phases.tls! + r.phases.ttfb!,
    );
    expect(r.details.tls?.verified).toBe(true);
    expect(r.details.http?.status).toBe(401);
    // The tunnel went to the registry, not to the proxy's own port.
    expect(tp.log()).toContain(`CONNECT 127.0.0.1:${registry.address.port}`);
  });

  it('a direct round has no proxy phase', async () => {
    const registry = await front();
    const r = await round(registry.address.port);
    expect(r.ok).toBe(true);
    expect(r.phases.proxy).toBeUndefined();
    expect(r.details.proxy).toBeUndefined();
  });

  it('CONNECT refused by the proxy (ConnectPort) is proxy.denied, with no TLS attempted', async () => {
    const registry = await front();
    const tp = await tinyproxy(['ConnectPort 443']);
    const r = await round(registry.address.port, parseProxyUrl(tp.url, '--proxy'));
    expect(r.ok).toBe(false);
    expect(r.error).toMatchObject({ code: 'proxy.denied', category: 'network', phase: 'proxy' });
    expect(r.error?.message).toContain('403');
    expect(r.details.proxy?.status).toBe(403);
    expect(r.phases.tls).toBeUndefined();
  });

  it('a proxy that wants credentials is proxy.auth_required; with them the round succeeds and they are never shown', async () => {
    const registry = await front();
    const tp = await tinyproxy(['BasicAuth alice pw-Zq8xv3Kk']);
    const without = await round(registry.address.port, parseProxyUrl(tp.url, '--proxy'));
    expect(without.error).toMatchObject({ code: 'proxy.auth_required', phase: 'proxy' });
    expect(without.details.proxy?.status).toBe(407);

    const withCreds = parseProxyUrl(`http://alice:pw-Zq8xv3Kk@127.0.0.1:${tp.port}`, 'HTTPS_PROXY');
    const r = await round(registry.address.port, withCreds);
    expect(r.error).toBeUndefined();
    expect(r.details.proxy?.url).toBe(tp.url);
    const bus = new EventBus();
    const seen: string[] = [];
    bus.subscribe({ name: 't', onEvent: (e) => seen.push(JSON.stringify(e)) });
    bus.emit({ type: 'probe', target: 'x', round: 1, kind: 'round', ...r });
    bus.emit({
      type: 'warning',
      code: 'local.error',
      message: `proxy is http://alice:pw-Zq8xv3Kk@x, header ${withCreds.authorization}`,
    });
    expect(seen.join('\n')).not.toContain('pw-Zq8xv3Kk');
    expect(seen.join('\n')).not.toContain(withCreds.authorization!.slice(6));
  });

  it('a proxy that is down is proxy.unreachable in the connect phase', async () => {
    const registry = await front();
    const port = await freePort();
    const r = await round(registry.address.port, parseProxyUrl(`http://127.0.0.1:${port}`, 'HTTPS_PROXY'));
    expect(r.error).toMatchObject({ code: 'proxy.unreachable', phase: 'connect' });
    expect(r.error?.message).toContain('tcp.refused');
    expect(r.error?.message).toContain('HTTPS_PROXY');
    expect(r.phases.proxy).toBeUndefined();
  });

  it('a proxy that cannot reach the registry is proxy.error with its status', async () => {
    const registry = await front();
    const port = registry.address.port;
    await registry.close();
    const tp = await tinyproxy();
    const r = await round(port, parseProxyUrl(tp.url, '--proxy'));
    expect(r.error).toMatchObject({ code: 'proxy.error', phase: 'proxy' });
    expect(r.details.proxy?.status).toBe(500);
  });

  it('a proxy that accepts and never answers CONNECT is proxy.timeout at the deadline', async () => {
    const registry = await front();
    const held = new Set<net.Socket>();
    const silent = net.createServer((s) => {
      held.add(s);
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    cleanups.push(
      () =>
        new Promise((r) => {
          for (const s of held) s.destroy();
          silent.close(() => r());
        }),
    );
    const { port } = silent.address() as net.AddressInfo;
    const r = await runRound({
      target: makeTarget('127.0.0.1', registry.address.port, 'flag'),
      options: options(parseProxyUrl(`http://127.0.0.1:${port}`, '--proxy')),
      signal: AbortSignal.timeout(800),
    });
    expect(r.error).toMatchObject({
      code: 'proxy.timeout',
      phase: 'proxy',
      message: 'proxy CONNECT did not complete before the deadline',
    });
    expect(r.phases.proxy!).toBeGreaterThanOrEqual(700);
    expect(r.details.proxy?.status).toBeUndefined();
  });

  it('latency added in front of the proxy shows in the CONNECT phase, not in TLS or first byte', async () => {
    const registry = await front();
    const tp = await tinyproxy();
    // Large beside a loopback handshake, so misattributing it to TLS or the first byte would
    // show even on a loaded machine.
    const DELAY = 400;
    const slow = await startFaultProxy({
      upstream: { host: '127.0.0.1', port: tp.port },
      faults: { firstByteDelayMs: DELAY },
    });
    cleanups.push(() => slow.close());
    const r = await round(registry.address.port, parseProxyUrl(`http://127.0.0.1:${slow.address.port}`, '--proxy'));
    expect(r.error).toBeUndefined();
    expect(r.phases.proxy!).toBeGreaterThanOrEqual(DELAY - 5);
    expect(r.phases.tls!).toBeLessThan(DELAY);
    expect(r.phases.ttfb!).toBeLessThan(DELAY);
    expect(r.phases.connect!).toBeLessThan(DELAY);
  });
});

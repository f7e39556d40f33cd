/**
 * The demo world for real: its servers on loopback, probed by real rounds with the demo's
 * resolver and CA, under each kind of scripted trouble.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRound } from '../../src/core/probes/round.js';
import type { ProbeOptions } from '../../src/core/probes/types.js';
import { startDemoWorld, type DemoWorld } from '../../src/demo/world.js';

let world: DemoWorld;
beforeAll(async () => {
  world = await startDemoWorld();
});
afterAll(async () => {
  await world?.close();
});

function options(timeoutMs = 1500): ProbeOptions {
  return {
    timeoutMs,
    pins: new Map(),
    dnsServers: [],
    resolver: world.dns.server,
    secureContext: world.secureContext,
    userAgent: 'test',
  };
}

const probe = (name: string, timeoutMs?: number) => {
  const target = world.targets.find((t) => t.host === name)!;
  const opts = options(timeoutMs);
  return runRound({ target, options: opts, signal: AbortSignal.timeout(opts.timeoutMs) });
};

describe('the demo world', () => {
  it('serves every demo host on loopback, trusted through the demo CA only, as a registry would', async () => {
    expect(world.targets.map((t) => t.host)).toEqual([
      'gcr.io',
      'eu.gcr.io',
      'asia.gcr.io',
      'us-docker.pkg.dev',
      'europe-docker.pkg.dev',
    ]);
    expect(world.targets.filter((t) => t.pushTarget).map((t) => t.host)).toEqual(['gcr.io']);
    for (const t of world.targets) {
      const r = await probe(t.host);
      expect(r.ok, `${t.host}: ${r.error?.message}`).toBe(true);
      expect(r.details.address).toBe('127.0.0.1');
      expect(r.details.tls).toMatchObject({ verified: true, protocol: 'TLSv1.3' });
      expect(r.details.tls?.interception).toBeUndefined();
      expect(r.details.http).toMatchObject({ status: 401, challenge: { scheme: 'Bearer', realm: world.token.realm } });
    }
    // Without the demo CA, nothing verifies: the world is trusted by the demo alone.
    const target = world.targets[0]!;
    const untrusted = await runRound({
      target,
      options: { ...options(), secureContext: undefined },
      signal: AbortSignal.timeout(1500),
    });
    expect(untrusted.error?.code).toBe('tls.untrusted');
  });

  it('makes each scripted trouble real: TLS stall, SERVFAIL, 503', async () => {
    const gcr = world.hosts.find((h) => h.name === 'gcr.io')!;
    await gcr.proxy.set({ stall: true });
    expect((await probe('gcr.io', 800)).error).toMatchObject({ code: 'tls.timeout', phase: 'tls' });
    await gcr.proxy.set({ firstByteDelayMs: 300 });
    const slow = await probe('gcr.io');
    expect(slow.ok).toBe(true);
    expect(slow.phases.tls).toBeGreaterThanOrEqual(290);
    await gcr.proxy.set({});

    world.dns.set('eu.gcr.io', { kind: 'servfail' });
    expect((await probe('eu.gcr.io')).error?.code).toBe('dns.servfail');
    world.dns.set('eu.gcr.io', { kind: 'answer', a: ['127.0.0.1'] });

    const us = world.hosts.find((h) => h.name === 'us-docker.pkg.dev')!;
    us.front.setMode({ kind: 'status', status: 503, retryAfter: 5 });
    const busy = await probe('us-docker.pkg.dev');
    expect(busy.error?.code).toBe('http.5xx');
    expect(busy.details.http).toMatchObject({ status: 503, retryAfterSeconds: 5 });
    us.front.setMode({ kind: 'challenge' });
    expect((await probe('us-docker.pkg.dev')).ok).toBe(true);
  });
});

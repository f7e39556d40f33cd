import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../../src/sim/fault-proxy.js';
import type { RegistryFront } from '../../../src/sim/registry-front.js';
import { makePki, roundAsGcr, startFront, type ProbePki } from '../../support/probe-peers.js';

let pki: ProbePki;
let front: RegistryFront;
let proxy: FaultProxy;

beforeAll(async () => {
  pki = await makePki();
  front = await startFront(pki.leaf);
  proxy = await startFaultProxy({ upstream: { host: '127.0.0.1', port: front.address.port } });
});
afterAll(async () => {
  await proxy?.close();
  await front?.close();
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('connect and transport faults', () => {
  it('nothing listening -> tcp.refused in the connect phase', async () => {
    const r = await roundAsGcr(await freePort(), pki.trust);
    expect(r.error).toMatchObject({ code: 'tcp.refused', category: 'network', phase: 'connect' });
    expect(r.details.tcp?.[0]).toMatchObject({ ok: false, error: { code: 'tcp.refused' } });
  });

  it('reset on connect -> tcp.reset or tls.reset, never a crash', async () => {
    await proxy.set({ refuse: 'reset' });
    const r = await roundAsGcr(proxy.address.port, pki.trust);
    await proxy.set({});
    expect(r.ok).toBe(false);
    // The kernel completes the handshake before the proxy's RST, so the reset lands in TLS.
    expect(['tcp.reset', 'tls.reset']).toContain(r.error?.code);
  });

  it('reset in the middle of the TLS handshake -> tls.reset', async () => {
    await proxy.set({ resetAfterBytes: 0 });
    const r = await roundAsGcr(proxy.address.port, pki.trust);
    await proxy.set({});
    expect(r.error).toMatchObject({ code: 'tls.reset', phase: 'tls' });
  });

  it('a proxy that accepts and never answers -> tls.timeout at the deadline', async () => {
    await proxy.set({ stall: true });
    const r = await roundAsGcr(proxy.address.port, pki.trust, { timeoutMs: 600 });
    await proxy.set({});
    expect(r.error).toMatchObject({ code: 'tls.timeout', phase: 'tls' });
    expect(r.phases.tls).toBeGreaterThan(500);
  });

  it("latency added on the server's first bytes shows in the TLS phase only", async () => {
    await proxy.set({ firstByteDelayMs: 150 });
    // The delay holds the first answer of each connection: the server's TLS flight.
    const slow = await roundAsGcr(proxy.address.port, pki.trust);
    await proxy.set({});
    const fast = await roundAsGcr(proxy.address.port, pki.trust);
    expect(slow.ok && fast.ok).toBe(true);
    // The injected delay is a floor for the phase it falls in (upper bounds would only measure
    // how busy the machine is; the benchmark compares phases with curl side by side).
    expect(slow.phases.tls!).toBeGreaterThanOrEqual(150);
    expect(slow.phases.connect!).toBeLessThan(slow.phases.tls!);
  });

  it('the round recovers once the fault is gone', async () => {
    await proxy.set({ resetAfterBytes: 0 });
    expect((await roundAsGcr(proxy.address.port, pki.trust)).ok).toBe(false);
    await proxy.set({});
    expect((await roundAsGcr(proxy.address.port, pki.trust)).ok).toBe(true);
  });
});

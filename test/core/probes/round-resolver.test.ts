/**
 * ProbeOptions.resolver: the round's own lookup asks one DNS server directly instead of the
 * system resolver (how the demo world's names resolve without root). A real DNS server on
 * loopback answers, fails and goes quiet on demand.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runRound } from '../../../src/core/probes/round.js';
import type { ProbeOptions } from '../../../src/core/probes/types.js';
import { makeTarget } from '../../../src/core/targets.js';
import { startDnsServer, type DnsServer } from '../../../src/sim/dns-server.js';
import net from 'node:net';

let dns: DnsServer;
let listener: net.Server;
let port: number;

beforeEach(async () => {
  dns = await startDnsServer({
    names: { 'reg.test': { kind: 'answer', a: ['127.0.0.1'] }, 'six.test': { kind: 'answer', aaaa: ['::1'] } },
  });
  // Something listening, so that the round gets past DNS and TCP; it speaks no TLS.
  listener = net.createServer((s) => s.destroy());
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  port = (listener.address() as net.AddressInfo).port;
});
afterEach(async () => {
  await dns.close();
  await new Promise<void>((r) => listener.close(() => r()));
});

function options(extra: Partial<ProbeOptions> = {}): ProbeOptions {
  return { timeoutMs: 1500, pins: new Map(), dnsServers: [], resolver: dns.server, userAgent: 'test', ...extra };
}

const round = (host: string, opts: ProbeOptions) =>
  runRound({ target: makeTarget(host, port, 'flag'), options: opts, signal: AbortSignal.timeout(opts.timeoutMs) });

describe('the resolver option', () => {
  it('resolves through the given server, and the round goes on to connect', async () => {
    const r = await round('reg.test', options());
    expect(r.details.dns).toHaveLength(1);
    expect(r.details.dns![0]).toMatchObject({ resolver: dns.server, ok: true, v4: ['127.0.0.1'] });
    expect(r.details.address).toBe('127.0.0.1');
    expect(r.details.tcp![0]).toMatchObject({ ok: true });
    expect(r.error?.phase).toBe('tls');
    expect(dns.queryCount('reg.test')).toBeGreaterThanOrEqual(1);
  });

  it("fails the round in the DNS phase with the resolver's own answer", async () => {
    dns.set('reg.test', { kind: 'servfail' });
    const servfail = await round('reg.test', options());
    expect(servfail).toMatchObject({ ok: false, error: { code: 'dns.servfail', phase: 'dns' } });
    expect(servfail.details.tcp).toBeUndefined();
    expect((await round('nothing.test', options())).error?.code).toBe('dns.nxdomain');
  });

  it('says no_address when the wanted family has none', async () => {
    const r = await round('six.test', options({ family: 4 }));
    expect(r).toMatchObject({ ok: false, error: { code: 'dns.no_address', phase: 'dns' } });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock.js';
import { probeDnsServer } from '../../../src/core/probes/dns.js';
import { phaseContext } from '../../../src/core/probes/run-phase.js';
import { makeTarget } from '../../../src/core/targets.js';
import { startDnsServer, type DnsServer } from '../../../src/sim/dns-server.js';

let dns: DnsServer;
beforeAll(async () => {
  dns = await startDnsServer({
    names: {
      'gcr.io': { kind: 'answer', a: ['127.0.1.1'], aaaa: ['::1'] },
      'v6only.gcr.io': { kind: 'answer', aaaa: ['::1'] },
      'gone.gcr.io': { kind: 'nxdomain' },
      'broken.gcr.io': { kind: 'servfail' },
      'refusing.gcr.io': { kind: 'refused' },
      'quiet.gcr.io': { kind: 'silence' },
      'empty.gcr.io': { kind: 'nodata' },
      'junk.gcr.io': { kind: 'garbage' },
      'slow.gcr.io': { kind: 'answer', a: ['127.0.1.9'], delayMs: 1500 },
    },
  });
});
afterAll(() => dns?.close());

/** The --dns-server phase for `name`, with a round deadline of `timeoutMs`. */
const ask = (name: string, timeoutMs: number) =>
  probeDnsServer(phaseContext(makeTarget(name, 443, 'flag'), timeoutMs, systemClock), {
    host: name,
    server: dns.server,
  });

describe('--dns-server: asking one resolver directly', () => {
  it('gets A and AAAA separately, with the time taken', async () => {
    const a = await ask('gcr.io', 1000);
    expect(a).toMatchObject({ ok: true, value: { v4: ['127.0.1.1'], v6: ['::1'] } });
    expect(a.ms).toBeGreaterThan(0);
    expect(a.ms).toBeLessThan(1000);
  });

  it('an AAAA-only name is an answer, not a failure', async () => {
    expect(await ask('v6only.gcr.io', 1000)).toMatchObject({ ok: true, value: { v4: [], v6: ['::1'] } });
  });

  it.each([
    ['gone.gcr.io', 'dns.nxdomain'],
    ['broken.gcr.io', 'dns.servfail'],
    ['refusing.gcr.io', 'dns.refused'],
    ['quiet.gcr.io', 'dns.timeout'],
    ['empty.gcr.io', 'dns.no_address'],
    ['junk.gcr.io', 'dns.bad_response'],
    ['slow.gcr.io', 'dns.timeout'],
  ])('%s -> %s', async (name, code) => {
    const r = await ask(name, 600);
    expect(r).toMatchObject({ ok: false, error: { code, category: 'network', phase: 'dns' } });
  });
});

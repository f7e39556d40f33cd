import { describe, expect, it } from 'vitest';
import { compressIpv6, toAnswers } from '../../../src/core/mdns/dns-sd-records.js';

describe("node-dns-sd's records as dns-packet answers", () => {
  it('keeps PTR, SRV, TXT, A and AAAA (compressed), from every section, and drops the rest', () => {
    const answers = toAnswers({
      answers: [{ name: '_docker-registry._tcp.local', type: 'PTR', rdata: 'Cache._docker-registry._tcp.local' }],
      authorities: [{ name: 'x.local', type: 'NSEC', rdata: '00 01' }],
      additionals: [
        {
          name: 'Cache._docker-registry._tcp.local',
          type: 'SRV',
          rdata: { priority: 0, weight: 0, port: 5443, target: 'cache.local' },
        },
        { name: 'Cache._docker-registry._tcp.local', type: 'TXT', rdata: { path: '/v2/', Tls: '1' } },
        { name: 'cache.local', type: 'A', rdata: '10.0.0.5' },
        { name: 'cache.local', type: 'AAAA', rdata: 'fd00:0000:0000:0000:0000:0000:0000:0001' },
        { name: 'broken.local', type: 'SRV', rdata: { priority: 0, weight: 0, port: 1, target: null } },
      ],
    });
    expect(answers).toEqual([
      { type: 'PTR', name: '_docker-registry._tcp.local', data: 'Cache._docker-registry._tcp.local' },
      {
        type: 'SRV',
        name: 'Cache._docker-registry._tcp.local',
        data: { priority: 0, weight: 0, port: 5443, target: 'cache.local' },
      },
      { type: 'TXT', name: 'Cache._docker-registry._tcp.local', data: ['path=/v2/', 'Tls=1'] },
      { type: 'A', name: 'cache.local', data: '10.0.0.5' },
      { type: 'AAAA', name: 'cache.local', data: 'fd00::1' },
    ]);
  });

  it('writes IPv6 addresses in their canonical form, and leaves what is not one as it is', () => {
    expect(compressIpv6('0000:0000:0000:0000:0000:0000:0000:0001')).toBe('::1');
    expect(compressIpv6('fe80:0000:0000:0000:0a00:27ff:fe00:0001')).toBe('fe80::a00:27ff:fe00:1');
    expect(compressIpv6('not an address')).toBe('not an address');
  });
});

import { describe, expect, it } from 'vitest';
import { dnsResolverSplit } from '../../../../src/core/diagnose/rules/dns-resolver-split.js';
import { SessionBuilder } from '../../../support/session-builder.js';
import { conclude } from '../rule-harness.js';

describe('dns-resolver-split', () => {
  it('blames the system resolver when it fails and --dns-server answers', () => {
    const b = new SessionBuilder(41)
      .start(['gcr.io'])
      .probeRounds(['gcr.io'], 0, 8, 2, () => ({ error: 'dns.servfail', resolvers: { '8.8.8.8': 'ok' } }));
    const [f] = conclude(dnsResolverSplit, b);
    expect(f).toMatchObject({ code: 'network.dns_resolver_split', confidence: 'high' });
    expect(f!.summary).toContain('The system resolver fails for gcr.io (dns.servfail) while 8.8.8.8 answers');
    expect(f!.advice).toContain('"dns": ["8.8.8.8"]');
  });

  it('ranks a failing extra server down: docker does not use it', () => {
    const b = new SessionBuilder(42)
      .start(['gcr.io'])
      .probeRounds(['gcr.io'], 0, 8, 2, () => ({ resolvers: { '9.9.9.9': 'dns.timeout' } }));
    const [f] = conclude(dnsResolverSplit, b);
    expect(f!.summary).toContain('Resolver 9.9.9.9 fails');
    expect(f!.boost).toBeLessThan(0);
  });

  it('needs more than one round of disagreement', () => {
    const b = new SessionBuilder(43)
      .start(['gcr.io'])
      .probeRounds(['gcr.io'], 0, 8, 2, (_h, s) => ({ resolvers: { '8.8.8.8': s === 8 ? 'dns.timeout' : 'ok' } }));
    expect(conclude(dnsResolverSplit, b)).toEqual([]);
  });

  it('is silent with a single resolver', () => {
    const b = new SessionBuilder(44)
      .start(['gcr.io'])
      .probeRounds(['gcr.io'], 0, 8, 2, () => ({ error: 'dns.servfail' }));
    expect(conclude(dnsResolverSplit, b)).toEqual([]);
  });
});

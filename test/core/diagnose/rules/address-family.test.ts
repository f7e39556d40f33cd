import { describe, expect, it } from 'vitest';
import { addressFamily } from '../../../../src/core/diagnose/rules/address-family.js';
import { SessionBuilder } from '../../../support/session-builder.js';
import { conclude } from '../rule-harness.js';

describe('address-family', () => {
  it('finds an IPv6 black hole when IPv6 connects fail and IPv4 works', () => {
    const [f] = conclude(
      addressFamily,
      new SessionBuilder(31).start(['gcr.io']).probeRounds(['gcr.io'], 0, 10, 2, () => ({ v6: 'tcp.timeout' })),
    );
    // Five connects in a row stated the failure: high, one target or many.
    expect(f).toMatchObject({ code: 'network.ipv6_unreachable', category: 'network', confidence: 'high' });
    expect(f!.evidence[0]).toMatch(/IPv6 2001:db8::\w+ tcp.timeout in 5 of the last 5 rounds/);
  });

  it('clears once IPv6 connects again', () => {
    const b = new SessionBuilder(32)
      .start(['gcr.io'])
      .probeRounds(['gcr.io'], 0, 20, 2, (_h, s) => ({ v6: s < 12 ? 'tcp.timeout' : 'ok' }));
    expect(conclude(addressFamily, b)).toEqual([]);
  });

  it('does not call one failed attempt among many a black hole', () => {
    const b = new SessionBuilder(33)
      .start(['gcr.io'])
      .probeRounds(['gcr.io'], 0, 20, 2, (_h, s) => ({ v6: s === 20 ? 'tcp.refused' : 'ok' }));
    expect(conclude(addressFamily, b)).toEqual([]);
  });

  it('says nothing when both families fail (that is the endpoint, not the family)', () => {
    const b = new SessionBuilder(34)
      .start(['gcr.io'])
      .probeRounds(['gcr.io'], 0, 10, 2, () => ({ error: 'tcp.refused', v6: 'tcp.refused' }));
    expect(conclude(addressFamily, b)).toEqual([]);
  });
});

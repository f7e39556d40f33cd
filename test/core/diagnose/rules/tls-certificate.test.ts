import { describe, expect, it } from 'vitest';
import { tlsCertificate } from '../../../../src/core/diagnose/rules/tls-certificate.js';
import { SessionBuilder } from '../../../support/session-builder.js';
import { conclude } from '../rule-harness.js';

describe('tls-certificate', () => {
  it.each([
    ['tls.expired', 'has expired'],
    ['tls.untrusted', 'trusted CA'],
    ['tls.hostname_mismatch', 'does not name the host'],
    ['tls.not_yet_valid', 'not valid yet'],
  ] as const)('explains %s', (code, words) => {
    const [f] = conclude(
      tlsCertificate,
      new SessionBuilder(61).start(['eu.gcr.io']).probeRounds(['eu.gcr.io'], 0, 4, 2, () => ({ error: code })),
    );
    expect(f).toMatchObject({ code: 'network.tls_certificate', confidence: 'high' });
    expect(f!.summary).toContain(words);
  });

  it('points at the clock for a certificate not valid yet', () => {
    const [f] = conclude(
      tlsCertificate,
      new SessionBuilder(62).start(['gcr.io']).probeRounds(['gcr.io'], 0, 2, 2, () => ({ error: 'tls.not_yet_valid' })),
    );
    expect(f!.advice).toContain('timedatectl');
  });

  it('warns at low rank of a certificate close to expiry', () => {
    const [f] = conclude(
      tlsCertificate,
      new SessionBuilder(63).start(['gcr.io']).probeRounds(['gcr.io'], 0, 2, 2, () => ({ daysLeft: 3 })),
    );
    // The certificate states its own expiry (high), but it is a note: ranked below the problem line.
    expect(f).toMatchObject({ confidence: 'high' });
    expect(f!.boost).toBeLessThan(-30);
  });

  it('clears when a later handshake verifies', () => {
    const b = new SessionBuilder(64)
      .start(['gcr.io'])
      .probeRounds(['gcr.io'], 0, 6, 2, (_h, s) => (s < 6 ? { error: 'tls.untrusted' } : {}));
    expect(conclude(tlsCertificate, b)).toEqual([]);
  });
});

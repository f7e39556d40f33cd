import { describe, expect, it } from 'vitest';
import { tlsInterception } from '../../../../src/core/diagnose/rules/tls-interception.js';
import { SessionBuilder } from '../../../support/session-builder.js';
import { conclude } from '../rule-harness.js';

describe('tls-interception', () => {
  it('names the intercepting issuer', () => {
    const [f] = conclude(
      tlsInterception,
      new SessionBuilder(51)
        .start(['gcr.io'])
        .probeRounds(['gcr.io'], 0, 6, 2, () => ({ interception: 'Corp Inspection CA' })),
    );
    expect(f).toMatchObject({ code: 'network.tls_interception', confidence: 'high', boost: 0 });
    expect(f!.summary).toContain('"Corp Inspection CA"');
  });

  it('ranks it up when docker refused the certificate', () => {
    const b = new SessionBuilder(52)
      .start(['gcr.io'], { push: 'gcr.io' })
      .probeRounds(['gcr.io'], 0, 6, 2, () => ({ interception: 'Corp CA' }))
      .at(3)
      .pushStart('gcr.io/p/a:1')
      .pushError('x509: certificate signed by unknown authority', 'push.tls_certificate');
    const [f] = conclude(tlsInterception, b);
    expect(f!.summary).toContain('docker does not trust it');
    expect(f!.boost).toBeGreaterThanOrEqual(40);
  });

  it('clears when a Google chain is seen again', () => {
    const b = new SessionBuilder(53)
      .start(['gcr.io'])
      .probeRounds(['gcr.io'], 0, 6, 2, (_h, s) => (s < 6 ? { interception: 'Corp CA' } : {}));
    expect(conclude(tlsInterception, b)).toEqual([]);
  });
});

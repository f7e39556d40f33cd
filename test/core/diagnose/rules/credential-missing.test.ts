import { describe, expect, it } from 'vitest';
import { credentialMissing } from '../../../../src/core/diagnose/rules/credential-missing.js';
import { SessionBuilder } from '../../../support/session-builder.js';
import { conclude } from '../rule-harness.js';

const PKG = 'europe-west1-docker.pkg.dev';
const none = { code: 'auth.no_credentials' as const, category: 'auth' as const, message: 'no entry' };

describe('credential-missing', () => {
  it('says wrong host when docker has credentials for other hosts only', () => {
    const b = new SessionBuilder(101)
      .start(['gcr.io', PKG], { push: PKG })
      .at(1)
      .auth({ view: 'docker', host: 'gcr.io', ok: true, source: 'credHelpers', kind: '_dcgcloud_token' })
      .auth({ view: 'docker', host: PKG, ok: false, error: none });
    const [f] = conclude(credentialMissing, b);
    expect(f).toMatchObject({ code: 'auth.wrong_host', category: 'auth', confidence: 'high' });
    expect(f!.summary).toBe(`Docker has credentials for gcr.io but none for ${PKG}, where the push goes.`);
    expect(f!.advice).toContain(`gcloud auth configure-docker ${PKG}`);
  });

  it('asks "did you mean" when the push goes to a typo of a Google registry, not to log in there', () => {
    const b = new SessionBuilder(106)
      .start(['gcr.io', 'gcr.i0'], { push: 'gcr.i0' })
      .at(1)
      .auth({ view: 'docker', host: 'gcr.io', ok: true, source: 'credHelpers', kind: '_dcgcloud_token' })
      .auth({ view: 'docker', host: 'gcr.i0', ok: false, error: none });
    // Only once the name is known not to exist: ghcr.io, say, is someone's real registry.
    expect(conclude(credentialMissing, b)[0]!.advice).toContain('gcloud auth configure-docker gcr.i0');
    b.probe('gcr.i0', { error: 'dns.nxdomain' });
    const [f] = conclude(credentialMissing, b);
    expect(f).toMatchObject({ code: 'auth.wrong_host', confidence: 'high' });
    expect(f!.summary).toBe(
      'The push goes to gcr.i0, not a Google registry host: did you mean gcr.io? (docker has a credential for gcr.io, none for gcr.i0)',
    );
    expect(f!.advice).toMatch(/^Correct the registry in the image name .*: gcr\.io, not gcr\.i0/);
    expect(f!.advice).not.toContain('configure-docker');
  });

  it('ranks below the retries while the push retries and the registry has not refused it', () => {
    const base = () =>
      new SessionBuilder(107)
        .start(['gcr.io'], { push: 'gcr.io' })
        .at(1)
        .auth({ view: 'docker', host: 'gcr.io', ok: false, error: none })
        .pushStart('gcr.io/p/a:1');
    const quiet = conclude(credentialMissing, base())[0]!;
    const retrying = conclude(
      credentialMissing,
      base().retry('aaaa1111bbbb', 1, 'net/http: TLS handshake timeout'),
    )[0]!;
    const refused = conclude(
      credentialMissing,
      base()
        .retry('aaaa1111bbbb', 1, 'net/http: TLS handshake timeout')
        .pushError('no basic auth credentials', 'push.no_credentials'),
    )[0]!;
    expect(quiet).toMatchObject({ code: 'auth.no_credentials', confidence: 'high' });
    expect(quiet.boost ?? 0).toBe(0);
    // Still said, with its confidence: only its rank against the retries' cause moves.
    expect(retrying).toMatchObject({ code: 'auth.no_credentials', confidence: 'high', boost: -25 });
    expect(refused.boost ?? 0).toBe(0);
  });

  it("says no credentials when there is none at all, also from the push's own words", () => {
    const b = new SessionBuilder(102)
      .start(['gcr.io'], { push: 'gcr.io' })
      .at(1)
      .pushStart('gcr.io/p/a:1')
      .pushError('no basic auth credentials', 'push.no_credentials');
    expect(conclude(credentialMissing, b)[0]).toMatchObject({ code: 'auth.no_credentials', confidence: 'high' });
  });

  it('ignores hosts nobody pushes to, and clears after a login', () => {
    const other = new SessionBuilder(103)
      .start(['gcr.io', 'asia.gcr.io'], { push: 'gcr.io' })
      .at(1)
      .auth({ view: 'docker', host: 'gcr.io', ok: true })
      .auth({ view: 'docker', host: 'asia.gcr.io', ok: false, error: none });
    expect(conclude(credentialMissing, other)).toEqual([]);
    const fixed = new SessionBuilder(104)
      .start(['gcr.io'], { push: 'gcr.io' })
      .at(1)
      .auth({ view: 'docker', host: 'gcr.io', ok: false, error: none })
      .at(61)
      .auth({ view: 'docker', host: 'gcr.io', ok: true });
    expect(conclude(credentialMissing, fixed)).toEqual([]);
  });

  it('without a push target, speaks only when no host has a credential (ranked down)', () => {
    const b = new SessionBuilder(105)
      .start(['gcr.io', 'us.gcr.io'])
      .at(1)
      .auth({ view: 'docker', host: 'gcr.io', ok: false, error: none })
      .auth({ view: 'docker', host: 'us.gcr.io', ok: false, error: none });
    const [f] = conclude(credentialMissing, b);
    expect(f).toMatchObject({ code: 'auth.no_credentials', confidence: 'medium' });
    expect(f!.boost).toBeLessThan(0);
  });
});

import { describe, expect, it } from 'vitest';
import { credentialExpiry } from '../../../../src/core/diagnose/rules/credential-expiry.js';
import { SessionBuilder } from '../../../support/session-builder.js';
import { conclude } from '../rule-harness.js';

/** A login at 10:00 with a token that expires at 10:00 + `minutes`. */
function login(minutes: number) {
  const expiresAt = new Date(Date.parse('2026-03-02T10:00:00.000Z') + minutes * 60_000).toISOString();
  return new SessionBuilder(121)
    .start(['gcr.io'], { push: 'gcr.io', intervalMs: 30_000 })
    .at(0)
    .auth({ view: 'docker', host: 'gcr.io', ok: true, source: 'auths', kind: 'access-token', expiresAt });
}

describe('credential-expiry', () => {
  it('warns (low) of a short-lived token before any push', () => {
    const [f] = conclude(credentialExpiry, login(50).probeRounds(['gcr.io'], 1, 60, 30));
    expect(f).toMatchObject({ code: 'auth.expires_during_push', confidence: 'low' });
    expect(f!.summary).toContain('oauth2accesstoken');
  });

  it('warns (medium) when it expires within 10 minutes during a push', () => {
    const b = login(20).at(60).pushStart('gcr.io/p/a:1').probeRounds(['gcr.io'], 61, 700, 30);
    const [f] = conclude(credentialExpiry, b);
    expect(f).toMatchObject({ code: 'auth.expires_during_push', confidence: 'medium' });
    expect(f!.summary).toContain('expires at 10:20:00Z, within 10 minutes');
  });

  it('says expired, and is sure when the registry refused the push after the expiry', () => {
    const b = login(5).at(60).pushStart('gcr.io/p/a:1').probeRounds(['gcr.io'], 61, 400, 30);
    expect(conclude(credentialExpiry, b)[0]).toMatchObject({ code: 'auth.token_expired', confidence: 'medium' });
    b.at(401).pushError('unauthorized: authentication required', 'push.unauthorized');
    const [f] = conclude(credentialExpiry, b);
    expect(f).toMatchObject({ code: 'auth.token_expired', confidence: 'high' });
    expect(f!.summary).toContain('expired at 10:05:00Z, 4 min into the push, and the registry then refused the push');
  });

  it('clears when docker gets a credential that is not short-lived', () => {
    const b = login(5)
      .probeRounds(['gcr.io'], 1, 400, 30)
      .at(401)
      .auth({ view: 'docker', host: 'gcr.io', ok: true, kind: '_dcgcloud_token' });
    expect(conclude(credentialExpiry, b)).toEqual([]);
  });
});

describe('credential-expiry and helpers', () => {
  it("does not watch the expiry of a helper's token: docker asks the helper again", () => {
    const b = new SessionBuilder(122)
      .start(['gcr.io'], { push: 'gcr.io', intervalMs: 30_000 })
      .at(0)
      .auth({
        view: 'docker',
        host: 'gcr.io',
        ok: true,
        source: 'credHelpers: gcloud',
        kind: 'gcloud-token',
        expiresAt: '2026-03-02T10:05:00.000Z',
      })
      .at(60)
      .pushStart('gcr.io/p/a:1')
      .probeRounds(['gcr.io'], 61, 900, 30);
    expect(conclude(credentialExpiry, b)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { pushPermission } from '../../../../src/core/diagnose/rules/push-permission.js';
import { SessionBuilder } from '../../../support/session-builder.js';
import { conclude } from '../rule-harness.js';

const WORDS =
  'Permission "artifactregistry.repositories.uploadArtifacts" denied on resource "projects/p/locations/us/repositories/r"';

describe('push-permission', () => {
  it("quotes the registry's refusal of the push scope and names the identity", () => {
    const b = new SessionBuilder(131)
      .start(['us-docker.pkg.dev'], { push: 'us-docker.pkg.dev' })
      .at(1)
      .auth({
        view: 'registry',
        host: 'us-docker.pkg.dev',
        ok: false,
        canPush: false,
        identity: 'ci@p.iam.gserviceaccount.com',
        error: { code: 'auth.denied', category: 'auth', message: WORDS },
      });
    const [f] = conclude(pushPermission, b);
    expect(f).toMatchObject({ code: 'auth.push_denied', category: 'auth', confidence: 'high' });
    expect(f!.summary).toContain(WORDS);
    expect(f!.summary).toContain('ci@p.iam.gserviceaccount.com');
    expect(f!.advice).toContain('roles/artifactregistry.writer');
  });

  it('takes a refusal the daemon gave as the cause of a retry, and keeps it after the push went through', () => {
    const b = new SessionBuilder(134)
      .start(['gcr.io'], { push: 'gcr.io' })
      .at(1)
      .pushStart('gcr.io/p/a:1')
      .at(5)
      .retry('l', 1, 'unauthorized: authentication required')
      .at(20)
      .pushEnd(0, 19_000, 1);
    const [f] = conclude(pushPermission, b);
    expect(f).toMatchObject({ code: 'auth.unauthorized', basis: 'stated', confidence: 'high' });
    expect(f!.summary).toBe(
      'The registry rejects the credential (the cause of 1 of 1 retries, as the daemon said): "unauthorized: authentication required".',
    );
    expect(conclude(pushPermission, b.at(30).pushStart('gcr.io/p/a:2'))).toEqual([]);
  });

  it('ranks "Unauthenticated request" down: it is a missing credential', () => {
    const b = new SessionBuilder(132)
      .start(['us-docker.pkg.dev'], { push: 'us-docker.pkg.dev' })
      .at(1)
      .pushStart('us-docker.pkg.dev/p/r/a:1')
      .pushError('denied: Unauthenticated request. Unauthenticated requests do not have permission', 'push.denied');
    const [f] = conclude(pushPermission, b);
    expect(f).toMatchObject({ confidence: 'medium' });
    expect(f!.boost).toBeLessThan(0);
  });

  it('reports a rejected credential (unauthorized, invalid_grant) apart from a refusal', () => {
    const b = new SessionBuilder(133)
      .start(['gcr.io'])
      .at(1)
      .auth({
        view: 'google',
        ok: false,
        error: {
          code: 'auth.invalid_grant',
          category: 'auth',
          message: 'invalid_grant: Token has been expired or revoked.',
        },
      });
    const [f] = conclude(pushPermission, b);
    expect(f).toMatchObject({ code: 'auth.unauthorized' });
    expect(f!.advice).toContain('gcloud auth login');
  });

  it('clears after a check that may push, or a push that succeeds', () => {
    const b = new SessionBuilder(134)
      .start(['gcr.io'], { push: 'gcr.io' })
      .at(1)
      .auth({
        view: 'registry',
        host: 'gcr.io',
        ok: false,
        canPush: false,
        error: { code: 'auth.denied', category: 'auth', message: 'denied' },
      })
      .at(61)
      .auth({ view: 'registry', host: 'gcr.io', ok: true, canPush: true });
    expect(conclude(pushPermission, b)).toEqual([]);
  });
});

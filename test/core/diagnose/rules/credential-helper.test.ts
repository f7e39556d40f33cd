import { describe, expect, it } from 'vitest';
import { credentialHelper } from '../../../../src/core/diagnose/rules/credential-helper.js';
import { SessionBuilder } from '../../../support/session-builder.js';
import { conclude } from '../rule-harness.js';

describe('credential-helper', () => {
  it('names the missing helper from the push error', () => {
    const b = new SessionBuilder(111)
      .start(['gcr.io'], { push: 'gcr.io' })
      .at(1)
      .pushStart('gcr.io/p/a:1')
      .pushError(
        'error getting credentials - err: exec: "docker-credential-gcloud": executable file not found in $PATH, out: ``',
        'push.helper_missing',
      );
    const [f] = conclude(credentialHelper, b);
    expect(f).toMatchObject({ code: 'auth.helper_missing', category: 'auth' });
    expect(f!.summary).toContain('docker-credential-gcloud, which is not on PATH');
  });

  it("keeps the failing helper's words, and clears when the helper works again", () => {
    const failing = {
      view: 'docker' as const,
      host: 'gcr.io',
      ok: false,
      helper: { name: 'gcr' },
      error: {
        code: 'auth.helper_failed' as const,
        category: 'auth' as const,
        message:
          'docker-credential-gcr: exit 1: ERROR: (gcloud.auth) Your current active account does not have any valid credentials',
      },
    };
    const b = new SessionBuilder(112).start(['gcr.io']).at(1).auth(failing);
    const [f] = conclude(credentialHelper, b);
    expect(f).toMatchObject({ code: 'auth.helper_failed' });
    expect(f!.summary).toContain('does not have any valid credentials');
    b.at(61).auth({ view: 'docker', host: 'gcr.io', ok: true, helper: { name: 'gcr', ms: 300 } });
    expect(conclude(credentialHelper, b)).toEqual([]);
  });
});

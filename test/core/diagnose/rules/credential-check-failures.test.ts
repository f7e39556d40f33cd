import { describe, expect, it } from 'vitest';
import { credentialCheckFailures } from '../../../../src/core/diagnose/rules/credential-check-failures.js';
import { SessionBuilder } from '../../../support/session-builder.js';
import { conclude, findingOf } from '../rule-harness.js';

describe('credential-check-failures', () => {
  it("says a config file cannot be read, as this machine's problem", () => {
    const b = new SessionBuilder(191)
      .start(['gcr.io'])
      .at(1)
      .auth({
        view: 'docker',
        source: '/home/u/.docker/config.json',
        ok: false,
        error: {
          code: 'auth.config_invalid',
          category: 'auth',
          message: '/home/u/.docker/config.json: Unexpected token } in JSON at position 41',
        },
      });
    const [f] = conclude(credentialCheckFailures, b);
    expect(f).toMatchObject({ code: 'local.config_invalid', category: 'local', confidence: 'high' });
    expect(f!.summary).toContain('Unexpected token }');
  });

  it('reports a token endpoint that answers HTML, and a slow helper as a separate, lower finding', () => {
    const b = new SessionBuilder(192)
      .start(['gcr.io'], { push: 'gcr.io' })
      .at(1)
      .auth({
        view: 'registry',
        host: 'gcr.io',
        ok: false,
        error: {
          code: 'auth.token_endpoint',
          category: 'auth',
          message: 'token endpoint https://gcr.io/v2/token answered an HTML page instead of a token',
        },
      })
      .auth({
        view: 'docker',
        host: 'gcr.io',
        ok: true,
        helper: { name: 'gcloud', ms: 4200 },
        error: { code: 'auth.helper_slow', category: 'auth', message: 'gcloud took 4200 ms to answer' },
      });
    const found = conclude(credentialCheckFailures, b);
    expect(findingOf(found, 'auth.token_endpoint')?.summary).toContain('an HTML page');
    expect(findingOf(found, 'auth.helper_slow')).toMatchObject({ category: 'auth' });
  });

  it('clears when the same check succeeds later', () => {
    const b = new SessionBuilder(193)
      .start(['gcr.io'])
      .at(1)
      .auth({
        view: 'google',
        ok: false,
        error: {
          code: 'auth.token_endpoint',
          category: 'auth',
          message: 'the OAuth token endpoint did not answer within 10 s',
        },
      })
      .at(61)
      .auth({ view: 'google', ok: true, identity: 'me@example.com' });
    expect(conclude(credentialCheckFailures, b)).toEqual([]);
  });
});

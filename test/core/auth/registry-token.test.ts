/**
 * The realm's 401, judged with and without a credential sent: an anonymous request refused
 * means docker had no usable credential, which the message must say rather than blame one.
 * (The whole handshake against the simulated realm is in test/cli/credentials-world.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { judgeTokenAnswer } from '../../../src/core/auth/registry-token.js';
import type { HttpAnswer } from '../../../src/core/auth/registry-http.js';

const refusal: HttpAnswer = {
  status: 401,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }),
  ms: 3,
  sentAt: 0,
  receivedAt: 3,
};

describe('a 401 from the token endpoint', () => {
  it("blames docker's credential when one was sent", () => {
    const outcome = judgeTokenAnswer(refusal, 'https://auth.gcr.io/token', 'proj/app', Date.now, true);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'auth.unauthorized' } });
    expect(!outcome.ok && outcome.error.message).toMatch(
      /^the token endpoint refused docker's credential: .*authentication required/,
    );
  });

  it('says the request was anonymous when docker had no credential to send', () => {
    const outcome = judgeTokenAnswer(refusal, 'https://auth.gcr.io/token', 'proj/app', Date.now, false);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'auth.unauthorized' } });
    expect(!outcome.ok && outcome.error.message).toMatch(
      /^the token endpoint refused an anonymous request \(docker had no usable credential for this registry\): .*authentication required/,
    );
  });
});

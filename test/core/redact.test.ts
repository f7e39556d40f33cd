import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/bus.js';
import type { SessionEvent } from '../../src/core/events.js';
import {
  clearRegisteredSecrets,
  redactText,
  redactValue,
  registeredSecretCount,
  registerSecret,
  registerSecretFields,
} from '../../src/core/log/redact.js';

/** Canaries shaped like the real secrets gcrwatch may meet. */
export const CANARIES = {
  accessToken: 'ya29.a0AfB_CANARYaccessTOKEN0123456789abcdef',
  refreshToken: '1//0gCANARYrefreshTOKEN-0123456789abcdef',
  jwt: 'eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJDQU5BUlkifQ.c2lnbmF0dXJlQ0FOQVJZ',
  privateKey: '-----BEGIN PRIVATE KEY-----\nMIIEvCANARYPRIVATEKEYLINE\nMOREKEYMATERIAL\n-----END PRIVATE KEY-----\n',
  dockerPassword: 'CanaryDockerPassword-5150',
};

afterEach(() => clearRegisteredSecrets());

describe('redactText', () => {
  it.each([
    [`Authorization: Bearer ${CANARIES.accessToken}`, CANARIES.accessToken],
    [`Authorization: Basic ${Buffer.from(`oauth2accesstoken:${CANARIES.accessToken}`).toString('base64')}`, 'b2F1dGgy'],
    [`token=${CANARIES.accessToken}&x=1`, CANARIES.accessToken],
    [`refresh with ${CANARIES.refreshToken} now`, CANARIES.refreshToken],
    [`got ${CANARIES.jwt}.`, CANARIES.jwt],
    [`key ${CANARIES.privateKey} end`, 'CANARYPRIVATEKEYLINE'],
    [
      `{"auths":{"gcr.io":{"auth":"b2F1dGgyYWNjZXNzdG9rZW46eWEyOS5zZWNyZXQ="}}}`,
      'b2F1dGgyYWNjZXNzdG9rZW46eWEyOS5zZWNyZXQ=',
    ],
    [
      `{"type":"service_account","private_key_id":"abc123def456","private_key":"-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----\\n"}`,
      'abc123def456',
    ],
    [
      `{"refresh_token": "some-opaque-refresh", "client_secret": "d-FL95Q19q7MQmFpd7hHD0Ty"}`,
      'd-FL95Q19q7MQmFpd7hHD0Ty',
    ],
    [`docker login -u oauth2accesstoken:ya29.zzzzzzzzzzzzzz`, 'ya29.zzzz'],
    [`{"identitytoken":"opaque-identity-token-value"}`, 'opaque-identity-token-value'],
    // What a build host carries besides Google's tokens.
    ['GOOGLE_API_KEY=AIzaSyD-CANARY_0123456789abcdefghijklmn', 'CANARY_0123456789'],
    ['{"passwd": "hunter2-canary"}', 'hunter2-canary'],
    ['MYSQL_PWD=hunter3-canary mysql -u root', 'hunter3-canary'],
    ['client_secret: d-FL95Q19q7MQmFpd7hHD0Ty', 'd-FL95Q19q7MQmFpd7hHD0Ty'],
    ['git clone https://x:ghp_CANARY0123456789abcdefghijklmnopqrst@github.com/o/r', 'CANARY0123456789'],
    ['fine-grained github_pat_11ABCDEFG0CANARY0123456789_abcdefghijklmnopqrstuvwxyz', 'CANARY0123456789'],
    ['GITLAB glpat-CANARY0123456789abcd in CI', 'CANARY0123456789'],
    ['aws: AKIAIOSFODNN7CANARY1 and secret', 'AKIAIOSFODNN7CANARY1'],
    ['AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYCANARYKEY', 'wJalrXUtnFEMI'],
    ['//registry.npmjs.org/:_authToken=npm_CANARY0123456789abcdefghijklmnopqrst', 'CANARY0123456789'],
    ['posting to https://hooks.slack.com/services/T00000000/B00000000/CANARYXXXXXXXXXXXXXXXXXX', 'CANARYXXXX'],
    ['X-Api-Key: CANARY-api-key-value', 'CANARY-api-key-value'],
    ['proxy http://deploy:CanaryProxyPass@proxy.corp:3128', 'CanaryProxyPass'],
  ])('removes the secret from %s', (input, secret) => {
    const out = redactText(input);
    expect(out).not.toContain(secret);
    expect(out).toContain('<redacted');
  });

  it.each([
    'GET /v2/ answered 401 from gcr.io (realm https://gcr.io/v2/token) in 12.5 ms',
    'the registry wants basic authentication here',
    'no basic auth credentials',
    'Bearer challenge without a realm',
    'credentials: ok: push to gcr.io/proj/app allowed as ci@proj.iam.gserviceaccount.com',
    'auth: ok',
    'www-authenticate: Bearer realm="https://gcr.io/v2/token",service="gcr.io"',
    'token_type=Bearer&expires_in=3599&scope=repository:proj/app:push',
    '{"token_uri": "https://oauth2.googleapis.com/token", "type": "authorized_user"}',
    'the key usage of the certificate: digitalSignature, keyEncipherment',
  ])('leaves ordinary text alone: %s', (text) => {
    expect(redactText(text)).toBe(text);
  });

  it('is idempotent', () => {
    const once = redactText(`Bearer ${CANARIES.accessToken} ${CANARIES.jwt}`);
    expect(redactText(once)).toBe(once);
  });

  it('removes registered secrets wherever they appear, raw or base64', () => {
    registerSecret(CANARIES.dockerPassword);
    const b64 = Buffer.from(CANARIES.dockerPassword).toString('base64');
    const out = redactText(
      `helper said ${CANARIES.dockerPassword}; config had ${b64}; glued${CANARIES.dockerPassword}glued`,
    );
    expect(out).not.toContain(CANARIES.dockerPassword);
    expect(out).not.toContain(b64);
  });

  it('ignores registered values too short to be secrets', () => {
    registerSecret('abc');
    expect(redactText('abc def')).toBe('abc def');
  });
});

describe('registerSecretFields', () => {
  it('registers every value under a secret key of a credential file, at any depth, and nothing else', () => {
    registerSecretFields({
      type: 'authorized_user',
      client_id: 'client-id-not-secret',
      client_secret: 'client-secret-canary',
      nested: { HttpHeaders: { 'X-Api-Key': 'api-key-canary-123' }, list: [{ password: 'listed-password-canary' }] },
    });
    const out = redactText('client-secret-canary api-key-canary-123 listed-password-canary client-id-not-secret');
    expect(out).toBe('<redacted> <redacted> <redacted> client-id-not-secret');
  });
});

describe('redactValue and the bus', () => {
  it('replaces the whole of an object or list under a secret key, and the value after a --password flag', () => {
    const v = redactValue({
      private_key: { pem: 'inner-value-canary' },
      tokens: ['not-under-a-secret-key'],
      argv: ['docker', 'login', '--password', 'flag-password-canary', '--username', 'u'],
    });
    expect(v).toEqual({
      private_key: { pem: '<redacted>' },
      tokens: ['not-under-a-secret-key'],
      argv: ['docker', 'login', '--password', '<redacted>', '--username', 'u'],
    });
  });

  it('redacts fields named like secrets and strings deep inside events', () => {
    const v = redactValue({
      a: { password: 'hunter2-long', list: [`Bearer ${CANARIES.accessToken}`] },
      n: 5,
      ok: true,
    });
    expect(JSON.stringify(v)).not.toContain('hunter2-long');
    expect(JSON.stringify(v)).not.toContain(CANARIES.accessToken);
    expect(v.n).toBe(5);
    expect(v.ok).toBe(true);
  });

  it('no sink ever sees a secret: redaction happens on emit', () => {
    registerSecret(CANARIES.dockerPassword);
    const bus = new EventBus();
    const seen: SessionEvent[] = [];
    bus.subscribe({ name: 'probe sink', onEvent: (e) => seen.push(e) });
    bus.emit({
      type: 'warning',
      code: 'local.error',
      message: `helper printed ${CANARIES.dockerPassword} and ${CANARIES.refreshToken}`,
    });
    bus.emit({ type: 'push.output', stream: 'stderr', line: `Authorization: Bearer ${CANARIES.jwt}` });
    const text = JSON.stringify(seen);
    for (const canary of [CANARIES.dockerPassword, CANARIES.refreshToken, CANARIES.jwt])
      expect(text).not.toContain(canary);
    expect(seen).toHaveLength(2);
  });
});

describe('registered secrets over a long session', () => {
  afterEach(() => clearRegisteredSecrets());

  it('forgets a short-lived token an hour after it expires, and keeps it until then', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    const token = 'opaque-registry-token-0123456789';
    registerSecret(token, { validForMs: 300_000 }, start);
    registerSecret('kept-docker-password-for-ever', {}, start);
    expect(redactText(`a ${token} b`)).toBe('a <redacted> b');
    // 5 minutes of validity + the hour's margin - 1 s: still redacted.
    registerSecret(undefined, {}, start + 300_000 + 3_600_000 - 1000);
    expect(redactText(`a ${token} b`)).toBe('a <redacted> b');
    registerSecret(undefined, {}, start + 300_000 + 3_600_000 + 1000);
    expect(redactText(`a ${token} b`)).toBe(`a ${token} b`);
    expect(redactText('x kept-docker-password-for-ever y')).toBe('x <redacted> y');
  });

  it('holds a bounded number of forms when a fresh token is registered every check for a day', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    // One registry token a minute, each valid for an hour: 1,440 tokens in a day.
    for (let minute = 0; minute < 1440; minute++)
      registerSecret(`registry-token-${minute}-abcdefghij`, { validForMs: 3_600_000 }, start + minute * 60_000);
    // Only the tokens of the last two hours (valid one hour, kept one more) remain, in at most
    // 3 forms each (raw, base64, base64 unpadded: the last two coincide for some lengths).
    expect(registeredSecretCount()).toBeLessThanOrEqual(121 * 3);
    const stillKnown = Array.from({ length: 1440 }, (_, m) => m).filter(
      (m) => redactText(`registry-token-${m}-abcdefghij`) === '<redacted>',
    );
    expect(stillKnown[0]).toBeGreaterThanOrEqual(1439 - 121);
    expect(stillKnown[0]).toBeLessThanOrEqual(1439 - 119);
    expect(stillKnown.at(-1)).toBe(1439);
  });

  it('a value registered with and without a lifetime is kept for the session', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    registerSecret('shared-secret-value-xyz', {}, start);
    registerSecret('shared-secret-value-xyz', { validForMs: 1000 }, start);
    registerSecret(undefined, {}, start + 10 * 3_600_000);
    expect(redactText('shared-secret-value-xyz')).toBe('<redacted>');
  });
});

describe('redactValue on keys JSON.parse allows', () => {
  it('keeps an own "__proto__" key as a key (found by the property test, seed -683038489)', () => {
    const out = redactValue(JSON.parse('{"__proto__":0,"password":"abcdefgh"}'));
    expect(Object.keys(out)).toEqual(['__proto__', 'password']);
    expect(JSON.stringify(out)).toBe('{"__proto__":0,"password":"<redacted>"}');
  });
});

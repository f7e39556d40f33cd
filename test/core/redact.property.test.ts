/**
 * Redaction, property-based (issue 9): on arbitrary text it never throws and is idempotent,
 * and a secret planted in arbitrary surroundings is always removed — by its shape (Google
 * access and refresh tokens, JWTs, Bearer and Basic credentials, secret JSON fields and query
 * parameters, private keys, docker's `user:secret` forms), or exactly, once registered,
 * whatever characters touch it.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { clearRegisteredSecrets, redactText, redactValue, registerSecret } from '../../src/core/log/redact.js';

afterEach(() => clearRegisteredSecrets());

const TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const B64_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const chars = (alphabet: string, min: number, max: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((a) => a.join(''));
/** A token body that no surrounding text will contain by chance: a marker and random characters. */
const body = (alphabet = TOKEN_CHARS) => chars(alphabet, 16, 60).map((s) => `Q7${s}`);

/** What may stand right before or after a credential: a separator, as in real text, JSON, headers. */
const SEPARATORS = [' ', '\n', '\t', '"', "'", ':', ',', '(', ')', '[', ']', '{', '}', '<', '>', ';', '|'];
const surroundings = fc.record({
  before: fc.oneof(
    fc.constant(''),
    fc.tuple(fc.string({ maxLength: 40 }), fc.constantFrom(...SEPARATORS)).map(([s, sep]) => s + sep),
  ),
  after: fc.oneof(
    fc.constant(''),
    fc.tuple(fc.constantFrom(...SEPARATORS), fc.string({ maxLength: 40 })).map(([sep, s]) => sep + s),
  ),
});

/** Secrets as gcrwatch meets them; `secret` is the part that must never be written. */
const planted = fc.oneof(
  body().map((b) => ({ text: `ya29.${b}`, secret: b })),
  body().map((b) => ({ text: `1//${b}`, secret: b })),
  fc.tuple(body(), body(), body()).map(([a, b, c]) => ({ text: `eyJ${a}.${b}.${c}`, secret: b })),
  body().map((b) => ({ text: `Bearer ${b}9`, secret: b })),
  fc
    .tuple(fc.constantFrom('Basic ', 'basic  ', 'BASIC\t'), body(B64_CHARS))
    .map(([scheme, b]) => ({ text: `${scheme}${b}==`, secret: b })),
  fc
    .tuple(
      fc.constantFrom(
        'password',
        'auth',
        'identitytoken',
        'refresh_token',
        'private_key',
        'client_secret',
        'Secret',
        'token',
        'access_token',
        'registrytoken',
      ),
      fc.string({ maxLength: 30 }),
      body(),
    )
    .map(([key, junk, b]) => ({ text: `${JSON.stringify(key)}: ${JSON.stringify(`${junk}${b}`)}`, secret: b })),
  fc
    .tuple(fc.constantFrom('password', 'refresh_token', 'token'), body())
    .map(([key, b]) => ({ text: JSON.stringify(JSON.stringify({ [key]: b })).slice(1, -1), secret: b })),
  fc
    .tuple(fc.constantFrom('access_token', 'refresh_token', 'client_secret', 'password', 'token', 'id_token'), body())
    .map(([key, b]) => ({ text: `${key}=${b}`, secret: b })),
  fc
    .tuple(fc.constantFrom('oauth2accesstoken', '_json_key', '_json_key_base64', '_dcgcloud_token'), body())
    .map(([user, b]) => ({ text: `${user}:${b}`, secret: b })),
  fc
    .tuple(fc.constantFrom('', 'RSA ', 'EC ', 'ENCRYPTED '), fc.array(body(B64_CHARS), { minLength: 1, maxLength: 4 }))
    .map(([kind, lines]) => ({
      text: `-----BEGIN ${kind}PRIVATE KEY-----\n${lines.join('\n')}\n-----END ${kind}PRIVATE KEY-----`,
      secret: lines[0]!,
    })),
);

describe('redaction on arbitrary input', () => {
  it('never throws, and redacting twice changes nothing more', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400, unit: 'binary' }), (text) => {
        const once = redactText(text);
        expect(redactText(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary JSON values, and keeps their shape', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const out = redactValue(value);
        expect(JSON.stringify(Object.keys(out ?? {}))).toBe(JSON.stringify(Object.keys(value ?? {})));
      }),
      { numRuns: 1000 },
    );
  });

  // Its speed on such text is bench/redact-adversarial.mjs's business (no timed unit tests).
  it('still removes a secret after long adversarial text (openings of every pattern, repeated)', () => {
    const hostile = [
      '"password": "',
      '\\"token\\": \\"',
      'Bearer ',
      '-----BEGIN PRIVATE KEY-----',
      'ya29.',
      'eyJ',
      '1//',
      'token=',
      '\\',
    ];
    for (const piece of hostile) {
      const out = redactText(
        `${piece.repeat(20_000)}${'x'.repeat(50_000)} Authorization: Bearer Q7adversarialCanary0123456789`,
      );
      expect(out, piece).not.toContain('Q7adversarialCanary0123456789');
    }
  });
});

describe('a planted secret is removed whatever surrounds it', () => {
  it('by its shape', () => {
    fc.assert(
      fc.property(planted, surroundings, ({ text, secret }, { before, after }) => {
        fc.pre(!before.includes(secret) && !after.includes(secret));
        expect(redactText(before + text + after)).not.toContain(secret);
      }),
      { numRuns: 5000 },
    );
  });

  it('by its shape, two or three in one line', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(planted, fc.constantFrom(...SEPARATORS)), { minLength: 2, maxLength: 3 }),
        (list) => {
          const line = list.map(([p, sep]) => p.text + sep).join('');
          const out = redactText(line);
          for (const [p] of list) expect(out).not.toContain(p.secret);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('once registered, exactly, in any characters at all, raw or base64', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 6, maxLength: 40, unit: 'binary' }),
        fc.string({ maxLength: 30, unit: 'binary' }),
        fc.string({ maxLength: 30, unit: 'binary' }),
        (secret, before, after) => {
          clearRegisteredSecrets();
          registerSecret(secret);
          const b64 = Buffer.from(secret).toString('base64');
          fc.pre(!`${before}${after}`.includes(secret));
          const out = redactText(`${before}${secret}${after} ${b64}`);
          expect(out).not.toContain(secret);
          expect(out).not.toContain(b64);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('in any field of an event, at any depth', () => {
    const secretKey = fc.constantFrom(
      'auth',
      'password',
      'identitytoken',
      'private_key',
      'refresh_token',
      'access_token',
      'client_secret',
      'token',
      'Authorization',
    );
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 3 }),
        secretKey,
        body(),
        fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
        (value, key, secret, path) => {
          let holder: Record<string, unknown> = { [key]: secret };
          for (const p of path.reverse()) holder = { [p]: [holder, value] };
          expect(JSON.stringify(redactValue({ type: 'warning', data: holder, other: value }))).not.toContain(secret);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

/**
 * Redaction, property-based: on arbitrary text it never throws and is idempotent, and a secret
 * planted in arbitrary surroundings is always removed — by its shape (Google access and refresh
 * tokens and API keys, JWTs, Bearer and Basic credentials, private keys, GitHub, GitLab, npm and
 * Slack tokens, AWS access key ids, Slack webhooks, passwords in URLs, docker's `user:secret`
 * forms), by its key's name (in JSON, escaped JSON, `key=value`, `key: value`, after `--key`,
 * as a field), or exactly, once registered, whatever characters touch it. The names and shapes
 * are this file's own list, written from the providers' documentation, not the code's.
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

const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** A body of exactly `n` characters of `alphabet`, starting with the marker. */
const exact = (alphabet: string, n: number) => chars(alphabet, n - 2, n - 2).map((s) => `Q7${s}`);

/** Key names under which a build host keeps secrets (npm, GitHub Actions, AWS, databases, Google, docker). */
const SECRET_KEY_NAMES = [
  'password',
  'passwd',
  'pwd',
  'Password',
  'passphrase',
  'client_secret',
  'Secret',
  'secret',
  'token',
  'refresh_token',
  'access_token',
  'id_token',
  'identitytoken',
  'IdentityToken',
  'registrytoken',
  'auth',
  'Authorization',
  'private_key',
  'private_key_id',
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'NPM_TOKEN',
  '_authToken',
  'npmAuthToken',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'aws_access_key_id',
  'X-Api-Key',
  'apiKey',
  'api_key',
  'DB_PASSWORD',
  'MYSQL_PWD',
  'db.password',
  'x-auth-token',
  'CI_JOB_TOKEN',
  'SLACK_BOT_TOKEN',
];

/** Keys that only look related, whose values are not secrets and must stay. */
const PLAIN_KEY_NAMES = [
  'tokenEndpoint',
  'token_type',
  'token_uri',
  'authInterval',
  'auth_provider',
  'oauth',
  'author',
  'keyFile',
  'keyUsage',
  'secretName',
  'expires_in',
  'realm',
  'service',
  'scope',
  'path',
  'passwordPolicy',
];

/** Secrets by their shape as the providers document them; `secret` is the part never to be written. */
const shaped = fc.oneof(
  exact(ALNUM + '_-', 35).map((b) => ({ text: `AIza${b}`, secret: b })),
  fc
    .tuple(fc.constantFrom('ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'), exact(ALNUM, 36))
    .map(([p, b]) => ({ text: p + b, secret: b })),
  exact(ALNUM + '_', 82).map((b) => ({ text: `github_pat_${b}`, secret: b })),
  fc
    .tuple(fc.constantFrom('glpat-', 'gldt-', 'glrt-', 'glptt-'), exact(ALNUM + '_-', 20))
    .map(([p, b]) => ({ text: p + b, secret: b })),
  fc.tuple(fc.constantFrom('AKIA', 'ASIA'), exact(UPPER_DIGITS, 16)).map(([p, b]) => ({ text: p + b, secret: b })),
  exact(ALNUM, 36).map((b) => ({ text: `npm_${b}`, secret: b })),
  fc
    .tuple(exact(UPPER_DIGITS, 9), exact(UPPER_DIGITS, 11), exact(ALNUM, 24))
    .map(([t, b, k]) => ({ text: `https://hooks.slack.com/services/T${t}/B${b}/${k}`, secret: k })),
  fc.tuple(fc.constantFrom('xoxb-', 'xoxp-'), body(ALNUM + '-')).map(([p, b]) => ({ text: p + b, secret: b })),
  fc
    .tuple(fc.constantFrom('https', 'http', 'postgres', 'redis'), body())
    .map(([scheme, b]) => ({ text: `${scheme}://deploy:${b}@db.internal:5432/x`, secret: b })),
);

/** A secret under one of the key names, in each form text carries it. */
const keyed = fc
  .tuple(fc.constantFrom(...SECRET_KEY_NAMES), body())
  .chain(([key, b]) =>
    fc.constantFrom(
      { text: `${JSON.stringify(key)}: ${JSON.stringify(b)}`, secret: b },
      { text: JSON.stringify(JSON.stringify({ [key]: b })).slice(1, -1), secret: b },
      { text: `${key}=${b}`, secret: b },
      { text: `${key}: ${b}`, secret: b },
      { text: `export ${key}='${b}'`.replace(/'/g, ''), secret: b },
    ),
  );

/** Secrets as gcrwatch meets them; `secret` is the part that must never be written. */
const planted = fc.oneof(
  shaped,
  keyed,
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
      'AIza',
      'ghp_',
      'glpat-',
      'https://hooks.slack.com/services/',
      'password: ',
      'x://u:',
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

  it('a value that runs over the next key hides neither (found by the property test, seed 886780457)', () => {
    const out = redactText('access_token=Q7AAAAAAAAAAAAAAAA:passphrase: Q7hErjBRi6MbSqiilwgUGyu AKIAQ7AAAAAAAAAAAAAA ');
    for (const secret of ['Q7AAAAAAAAAAAAAAAA', 'Q7hErjBRi6MbSqiilwgUGyu', 'AKIAQ7AAAAAAAAAAAAAA']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toMatch(/^access_token=<redacted>/);
    // The same within one pattern: a key at the end of a value, its own value past a space.
    expect(redactText('password: abcdef:token: Q7hErjBRi6MbSqiilwgUGyu')).not.toContain('Q7hErjBRi6MbSqiilwgUGyu');
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
    const secretKey = fc.constantFrom(...SECRET_KEY_NAMES);
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

describe('what is not a secret stays', () => {
  it('values of keys that only look related, in JSON, key=value and as fields', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PLAIN_KEY_NAMES),
        chars('abcdefghijklmnopqrstuvwxyz0123456789./', 6, 30),
        (key, value) => {
          for (const text of [
            `${JSON.stringify(key)}: ${JSON.stringify(value)}`,
            `${key}=${value}`,
            `${key}: ${value}`,
          ])
            expect(redactText(text)).toBe(text);
          expect(redactValue({ [key]: value })).toEqual({ [key]: value });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the value after --password in a command line, and nothing else of it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SECRET_KEY_NAMES.filter((k) => /^[a-z][a-z_-]*$/.test(k))), body(), (key, b) => {
        const argv = ['docker', 'login', `--${key}`, b, 'gcr.io'];
        expect(redactValue({ argv })).toEqual({ argv: ['docker', 'login', `--${key}`, '<redacted>', 'gcr.io'] });
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * The one list of what is secret: the names of keys whose value is a secret whatever it looks
 * like, and the shapes of secrets whatever their key. `redact.ts` applies it for every writer;
 * the readers of credential files use `isSecretKey` to choose the values they register.
 */

/** A key is secret when its last word ends with one of these (`refresh_token`, `identitytoken`, `DB_PASSWORD`). */
const SECRET_ENDINGS = ['token', 'secret', 'password', 'passwd', 'passphrase', 'apikey'];
/** ... or is one of these whole words (`auth` and `MYSQL_PWD`, but not `oauth`). */
const SECRET_LAST_WORDS = ['auth', 'authorization', 'pwd'];
/** ... or its last words are one of these (`private_key`, `X-Api-Key`, `aws_secret_access_key`). */
const SECRET_TAILS = ['private key', 'private key id', 'api key', 'access key', 'access key id', 'secret key'];

/** A key's words, lower case: split at `_`, `-`, `.`, spaces and camelCase (`APIKey` is `api key`). */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_.:/-]+/)
    .filter(Boolean);
}

const known = new Map<string, boolean>();

/** True when a value stored under `key` is a secret (`password`, `client_secret`, `Secret`, `GITHUB_TOKEN`...). */
export function isSecretKey(key: string): boolean {
  let secret = known.get(key);
  if (secret === undefined) {
    const words = keyWords(key);
    const last = words[words.length - 1] ?? '';
    const tail = (n: number) => words.slice(-n).join(' ');
    secret =
      SECRET_ENDINGS.some((w) => last.endsWith(w)) ||
      SECRET_LAST_WORDS.includes(last) ||
      SECRET_TAILS.some((t) => tail(t.split(' ').length) === t);
    // Keys come from a small set (event fields, file keys): the cache stays small; a flood of new ones is not kept.
    if (known.size < 10_000) known.set(key, secret);
  }
  return secret;
}

/**
 * Text that may hold a secret key's name: the screen in front of the key patterns. Every key
 * `isSecretKey` accepts contains one of these, case aside.
 */
export const SECRET_KEY_HINT = /token|secret|passw|passphrase|apikey|auth|pwd|key/i;

/** A secret recognisable by its shape. `hint` is a cheap test that text without it cannot match. */
export interface SecretShape {
  name: string;
  pattern: RegExp;
  /** What replaces a match (`$1` keeps the part before the secret). */
  replacement: string;
  hint: RegExp;
}

const MARK = '<redacted>';

/** Secrets by shape, in the order they are applied: private keys first (they contain the others' characters). */
export const SECRET_SHAPES: readonly SecretShape[] = [
  {
    name: 'PEM private key',
    pattern: /-----BEGIN ((?:[A-Z]+ )*PRIVATE KEY)-----[\s\S]*?(?:-----END \1-----|$)/g,
    replacement: '<redacted private key>',
    hint: /PRIVATE KEY/,
  },
  {
    // After the scheme: not an English word ("basic authentication", a digit, capital or symbol
    // is needed) nor a challenge's parameter (`Bearer realm="..."`).
    name: 'Bearer or Basic credential',
    pattern:
      /\b([Bb][Ee][Aa][Rr][Ee][Rr]|[Bb][Aa][Ss][Ii][Cc])(\s+)(?![A-Za-z][\w-]*=")(?=[A-Za-z0-9._~+/=-]*[0-9A-Z._~+/=-])[A-Za-z0-9._~+/=-]{6,}/g,
    replacement: `$1$2${MARK}`,
    hint: /bearer|basic/i,
  },
  { name: 'Google OAuth access token', pattern: /\bya29\.[A-Za-z0-9._-]+/g, replacement: MARK, hint: /ya29\./ },
  {
    name: 'Google OAuth refresh token',
    pattern: /(^|[^A-Za-z0-9])1\/\/[A-Za-z0-9._-]{10,}/g,
    replacement: `$1${MARK}`,
    hint: /1\/\//,
  },
  {
    name: 'JSON Web Token',
    pattern: /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
    replacement: MARK,
    hint: /eyJ/,
  },
  { name: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}/g, replacement: MARK, hint: /AIza/ },
  {
    name: 'GitHub token',
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})/g,
    replacement: MARK,
    hint: /gh[pousr]_|github_pat_/,
  },
  {
    name: 'GitLab token',
    pattern: /\bgl(?:pat|dt|rt|ptt|cbt|ft|imt|oas|soat|agent)-[A-Za-z0-9_-]{20,}/g,
    replacement: MARK,
    hint: /gl[a-z]{1,5}-/,
  },
  {
    name: 'AWS access key id',
    pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g,
    replacement: MARK,
    hint: /AKIA|ASIA|ABIA|ACCA/,
  },
  { name: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}/g, replacement: MARK, hint: /npm_/ },
  {
    name: 'Slack webhook',
    pattern: /(hooks\.slack\.com\/(?:services|workflows|triggers)\/)[A-Za-z0-9/_-]+/g,
    replacement: `$1${MARK}`,
    hint: /hooks\.slack\.com/,
  },
  { name: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9_-]{10,}/g, replacement: MARK, hint: /xox[abposr]-/ },
  {
    name: 'docker login secret after its user name',
    // A token has no ':' (ya29..., base64): a value glued to the next `key:` ends before it.
    pattern:
      /(\b(?:oauth2accesstoken|_json_key(?:_base64)?|_dcgcloud_token|_dcgcr_[a-z0-9_]*_token):)[^\s"'@\\&<>()[\]{}|,;:]+/g,
    replacement: `$1${MARK}`,
    hint: /oauth2accesstoken|_json_key|_dcg/,
  },
  {
    name: 'password in a URL',
    pattern: /(\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s/:@"'<>\\]*:)[^\s/@"'<>\\]+@/g,
    replacement: `$1${MARK}@`,
    hint: /:\/\/[^\s/@]*:[^\s/@]*@/,
  },
];

/** Where a key's value starts (`key`: its name), and the value that follows up to where it ends. */
export interface SecretKeyPattern {
  /** Global; group `key` is the key's name; the match ends where the value starts. */
  key: RegExp;
  /** Sticky, matched where `key` ended; group `close` (if any) is kept after the mark. */
  value: RegExp;
  /** Text without it cannot match `key`. */
  needs: string;
}

/**
 * An unquoted value: up to a space, a quote, `&`, or punctuation that closes or separates
 * (brackets, `,`, `;`, `|`), so the next key of a line is still seen; `<` ends a redacted one.
 */
const VALUE_CHAR = String.raw`[^\s"'&<>()[\]{}|,;]`;

/**
 * Secrets by the name of their key, in text: JSON (`"password": "..."`, and inside a JSON
 * string, `\"password\": \"...\"`), `key=value` (queries, forms, environments, `--password=`)
 * and `key: value` (YAML, headers). A value ends at its quote or at the end of the text.
 */
export const SECRET_KEY_PATTERNS: readonly SecretKeyPattern[] = [
  { key: /"(?<key>[^"\\\n]{1,64})"\s*:\s*"/g, value: /(?:[^"\\]|\\.)*(?<close>"|$)/y, needs: '"' },
  {
    key: /\\"(?<key>[^"\\\n]{1,64})\\"\s*:\s*\\"/g,
    value: /(?:[^"\\]|\\[^"])*(?<close>\\"|$)/y,
    needs: '\\"',
  },
  {
    key: /(?<![A-Za-z0-9_])(?<key>[A-Za-z_][A-Za-z0-9_.-]{0,63})=/g,
    value: new RegExp(`${VALUE_CHAR}+`, 'y'),
    needs: '=',
  },
  // Not a scheme's name (the Bearer shape keeps it); six characters at least ("auth: ok" stays).
  {
    key: /(?<![A-Za-z0-9_])(?<key>[A-Za-z_][A-Za-z0-9_.-]{0,63}):[ \t]*/g,
    value: new RegExp(String.raw`(?!Bearer\b|Basic\b)${VALUE_CHAR}{6,}`, 'y'),
    needs: ':',
  },
];

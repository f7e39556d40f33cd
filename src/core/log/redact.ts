/**
 * Redaction: the single gate every event passes before any output sees it (the bus calls
 * `redactEvent` on emit). Two defences:
 *   1. patterns for secrets recognisable by shape: Bearer/Basic credentials, Google OAuth
 *      access (`ya29.`) and refresh (`1//`) tokens, JWTs, PEM private keys, and JSON fields
 *      named like secrets (`auth`, `password`, `identitytoken`, `private_key`, `refresh_token`,
 *      `access_token`, `client_secret`, `token`);
 *   2. exact values gcrwatch has learnt are secret (a docker password, a helper's Secret),
 *      registered with `registerSecret`, in raw and base64 forms.
 * Redacted text keeps its surroundings and says what was removed, e.g. `Bearer <redacted>`.
 */

const MARK = '<redacted>';

/** Patterns with the group to keep before the secret (if any). Order matters: keys first. */
const PATTERNS: Array<[RegExp, string]> = [
  [/-----BEGIN ((?:[A-Z]+ )*PRIVATE KEY)-----[\s\S]*?(?:-----END \1-----|$)/g, `<redacted private key>`],
  [
    /("(?:auth|password|passwd|secret|identitytoken|identityToken|registrytoken|registryToken|private_key|private_key_id|refresh_token|access_token|id_token|client_secret|token|Secret)"\s*:\s*")((?:[^"\\]|\\.)*)(")/g,
    `$1${MARK}$3`,
  ],
  [
    /(\\"(?:auth|password|identitytoken|private_key|refresh_token|access_token|client_secret|token|Secret)\\"\s*:\s*\\")((?:[^"\\]|\\[^"])*)(\\")/g,
    `$1${MARK}$3`,
  ],
  // A credential after the scheme, but not an English word ("basic authentication"): tokens
  // carry a digit, a capital or a symbol somewhere.
  [
    /\b([Bb][Ee][Aa][Rr][Ee][Rr]|[Bb][Aa][Ss][Ii][Cc])(\s+)(?=[A-Za-z0-9._~+/=-]*[0-9A-Z._~+/=-])[A-Za-z0-9._~+/=-]{6,}/g,
    `$1$2${MARK}`,
  ],
  [/\bya29\.[A-Za-z0-9._-]+/g, MARK],
  [/(^|[^A-Za-z0-9])1\/\/[A-Za-z0-9._-]{10,}/g, `$1${MARK}`],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, MARK],
  [/(\b(?:access_token|refresh_token|id_token|client_secret|password|token)=)[^&\s"']+/gi, `$1${MARK}`],
  [/(\b(?:oauth2accesstoken|_json_key(?:_base64)?|_dcgcloud_token|_dcgcr_[a-z0-9_]*_token):)[^\s"'@]+/g, `$1${MARK}`],
];

/** Every registered form, with the time (epoch ms) after which it may be forgotten. */
const learnt = new Map<string, number>();
let learntPattern: RegExp | undefined;

/**
 * How long a short-lived credential stays registered after it expires. A registry token is
 * fetched at every credential check: kept forever, a day-long session would hold thousands
 * and match every string of every event against all of them (the soak's heap snapshots). An
 * hour after its expiry a token opens nothing, and its shape (a JWT, `ya29.`) is still redacted.
 */
const EXPIRED_KEPT_MS = 60 * 60 * 1000;

/** What is known of a secret's lifetime. */
export interface SecretLifetime {
  /** The credential stops working this many ms from now (a token's `expires_in`). */
  validForMs?: number;
}

/**
 * Register a value that must never be written anywhere (a password, a token, an `auth`
 * field). Values shorter than 6 characters are ignored: they would redact ordinary words.
 * Its base64 form is registered too, since docker stores `user:password` that way. A value
 * with a lifetime is forgotten an hour after it expires; one without is kept for the session.
 */
export function registerSecret(
  value: string | undefined | null,
  lifetime: SecretLifetime = {},
  now = Date.now(),
): void {
  let changed = forgetExpired(now);
  if (value && value.length >= 6) {
    const keepUntil = lifetime.validForMs === undefined ? Infinity : now + lifetime.validForMs + EXPIRED_KEPT_MS;
    const base64 = Buffer.from(value).toString('base64');
    for (const form of [value, base64, base64.replace(/=+$/, '')]) {
      const kept = learnt.get(form);
      if (form.length < 6 || (kept !== undefined && kept >= keepUntil)) continue;
      if (kept === undefined) changed = true;
      learnt.set(form, keepUntil);
    }
  }
  if (changed) compileLearnt();
}

/** How many forms are registered now (for tests of the bound). */
export function registeredSecretCount(): number {
  return learnt.size;
}

function forgetExpired(now: number): boolean {
  let forgot = false;
  for (const [form, keepUntil] of learnt) {
    if (keepUntil < now) {
      learnt.delete(form);
      forgot = true;
    }
  }
  return forgot;
}

function compileLearnt(): void {
  checkedClean = new WeakSet();
  const sorted = [...learnt.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  learntPattern = sorted.length ? new RegExp(sorted.join('|'), 'g') : undefined;
}

/** Forget registered secrets (tests only need this). */
export function clearRegisteredSecrets(): void {
  checkedClean = new WeakSet();
  learnt.clear();
  learntPattern = undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Cheap screen: text with none of these cannot match any pattern above (every JSON-field and
 * query pattern names a key containing auth, passw, secret, token or private_key). Every
 * string of every event passes here: a probe event's certificate names (`CN=..., O=...`)
 * must not pay for the nine patterns.
 */
const MAYBE_SECRET =
  /bearer|basic|ya29\.|1\/\/|eyJ|PRIVATE KEY|oauth2accesstoken|_json_key|_dcg|auth|passw|secret|token|private_key/i;

/** Remove every secret from `text`. Idempotent. */
export function redactText(text: string): string {
  let out = text;
  if (learntPattern) out = out.replace(learntPattern, MARK);
  if (!MAYBE_SECRET.test(out)) return out;
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
  return out;
}

const SECRET_KEYS =
  /^(auth|password|passwd|secret|identitytoken|registrytoken|private_key|refresh_token|access_token|id_token|client_secret|token|authorization)$/i;

/**
 * Deep-frozen objects already walked and found to hold nothing to redact (a certificate's
 * description, shared by every probe event that shows it). They cannot change, so they are
 * passed on as they are; forgotten when the registered secrets change.
 */
let checkedClean = new WeakSet<object>();

/**
 * A deep copy of `value` with every string redacted and every field whose name is a secret's
 * name replaced by the mark; a deep-frozen part with nothing to redact is kept as it is (the
 * same object), not copied. Non-plain objects are not expected in events and are copied as
 * plain data.
 */
export function redactValue<T>(value: T): T {
  return walk(value, undefined) as T;
}

function walk(value: unknown, key: string | undefined): unknown {
  if (typeof value === 'string') return key && SECRET_KEYS.test(key) && value ? MARK : redactText(value);
  if (!value || typeof value !== 'object') return value;
  if (checkedClean.has(value)) return value;
  const copy = copyRedacted(value);
  if (Object.isFrozen(value) && unchanged(value, copy)) {
    checkedClean.add(value);
    return value;
  }
  return copy;
}

/** True when every field of `copy` is the very value of `value`'s (strings equal, children passed on). */
function unchanged(value: object, copy: object): boolean {
  const keys = Object.keys(value);
  if (keys.length !== Object.keys(copy).length) return false;
  for (const k of keys)
    if ((value as Record<string, unknown>)[k] !== (copy as Record<string, unknown>)[k]) return false;
  return true;
}

function copyRedacted(value: object): object {
  // Plain loops, not map/Object.entries: every event of a session comes through here.
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = walk(value[i], undefined);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    const v = walk((value as Record<string, unknown>)[k], k);
    // An own "__proto__" key (JSON.parse makes one) would set the copy's prototype instead.
    if (k === '__proto__')
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out;
}

/**
 * Redaction: every event passes here on its way to any output (the bus calls `redactValue`),
 * and gcrwatch's own messages through `redactText`. It removes secrets by their key's name and
 * by their shape (the one list: `secret-shapes.ts`), and values gcrwatch learnt are secret
 * (`registerSecret`: a docker password, a helper's Secret), raw and base64. Redacted text
 * keeps its surroundings and says what was removed: `Bearer <redacted>`.
 */
import {
  isSecretKey,
  SECRET_KEY_HINT,
  SECRET_KEY_PATTERNS,
  SECRET_SHAPES,
  type SecretKeyPattern,
} from './secret-shapes.js';

const MARK = '<redacted>';

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

/**
 * Register every string under a secret key's name in `value` (a credential file as read),
 * at any depth, as `registerSecret` would one by one: the readers' choice of fields is the list's.
 */
export function registerSecretFields(value: unknown, lifetime: SecretLifetime = {}): void {
  if (!value || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string' && isSecretKey(k)) registerSecret(v, lifetime);
    else registerSecretFields(v, lifetime);
  }
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
  recent.clear();
  checkedClean = new WeakSet();
  const sorted = [...learnt.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  learntPattern = sorted.length ? new RegExp(sorted.join('|'), 'g') : undefined;
}

/** Forget registered secrets (tests only need this). */
export function clearRegisteredSecrets(): void {
  recent.clear();
  checkedClean = new WeakSet();
  learnt.clear();
  learntPattern = undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Text without any of these cannot match a shape or a key pattern: most strings of most events. */
const MAYBE_SECRET = new RegExp([...SECRET_SHAPES.map((s) => s.hint.source), SECRET_KEY_HINT.source].join('|'), 'i');

/**
 * Short texts already redacted, and what they became: an event's strings repeat round after
 * round (a challenge header, a certificate's names). Emptied whenever the registered secrets
 * change, and when full.
 */
const recent = new Map<string, string>();
const RECENT_MAX = 2000;
const RECENT_LENGTH = 256;

/** Remove every secret from `text`. Idempotent. */
export function redactText(text: string): string {
  if (text.length > RECENT_LENGTH) return redactUncached(text);
  let out = recent.get(text);
  if (out === undefined) {
    out = redactUncached(text);
    if (recent.size >= RECENT_MAX) recent.clear();
    recent.set(text, out);
  }
  return out;
}

function redactUncached(text: string): string {
  let out = text;
  if (learntPattern) out = out.replace(learntPattern, MARK);
  if (!MAYBE_SECRET.test(out)) return out;
  for (const shape of SECRET_SHAPES) if (shape.hint.test(out)) out = out.replace(shape.pattern, shape.replacement);
  if (!SECRET_KEY_HINT.test(out)) return out;
  return redactByKeys(out);
}

/**
 * Replace the value after each secret key. Every pattern is matched against the same text and
 * the values' spans merged: a value that runs over the next key (`token=A:passphrase: B`)
 * must not hide that key's own value from the patterns after it.
 */
function redactByKeys(text: string): string {
  const spans: Array<[number, number]> = [];
  for (const pattern of SECRET_KEY_PATTERNS) collectSecretValues(text, pattern, spans);
  if (!spans.length) return text;
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let out = '';
  let copied = 0;
  for (let i = 0; i < spans.length;) {
    const start = spans[i]![0];
    let end = spans[i++]![1];
    while (i < spans.length && spans[i]![0] <= end) end = Math.max(end, spans[i++]![1]);
    out += `${text.slice(copied, start)}${MARK}`;
    copied = end;
  }
  return out + text.slice(copied);
}

/**
 * The spans of the values after `pattern`'s secret keys (a closing quote left out). Keys are
 * looked for inside a value too, for a value that starts only past it (`a: b:key: SECRET`).
 * A value starting inside a span ends where that span ends (each value is a run of one kind
 * of character up to its terminator): it is skipped, which keeps the pass linear.
 */
function collectSecretValues(text: string, { key, value, needs }: SecretKeyPattern, spans: Array<[number, number]>) {
  if (!text.includes(needs)) return;
  let covered = 0;
  key.lastIndex = 0;
  for (let m = key.exec(text); m; m = key.exec(text)) {
    const start = m.index + m[0].length;
    key.lastIndex = Math.max(start, m.index + 1);
    if (start < covered || !isSecretKey(m.groups!.key!)) continue;
    value.lastIndex = start;
    const v = value.exec(text);
    if (!v) continue;
    covered = start + v[0].length - (v.groups?.close ?? '').length;
    spans.push([start, covered]);
  }
}

/**
 * Deep-frozen objects already walked and found to hold nothing to redact (a certificate's
 * description, shared by every probe event that shows it). They cannot change, so they are
 * passed on as they are; forgotten when the registered secrets change.
 */
let checkedClean = new WeakSet<object>();

/**
 * A deep copy of `value` with every string redacted, every value under a secret key's name
 * replaced by the mark (all of it, when it is an object or a list), and in a list, the value
 * after a `--password`-like flag (a command's argv); a deep-frozen part with nothing to redact
 * is kept as it is (the same object), not copied. Non-plain objects are copied as plain data.
 */
export function redactValue<T>(value: T): T {
  return walk(value, false) as T;
}

function walk(value: unknown, secret: boolean): unknown {
  if (typeof value === 'string') return secret && value ? MARK : redactText(value);
  if (!value || typeof value !== 'object') return value;
  if (secret) return copyRedacted(value, true);
  if (checkedClean.has(value)) return value;
  const copy = copyRedacted(value, false);
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

function copyRedacted(value: object, secret: boolean): object {
  // Plain loops, not map/Object.entries: every event of a session comes through here.
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = walk(value[i], secret || isSecretFlag(value[i - 1]));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    const v = walk((value as Record<string, unknown>)[k], secret || isSecretKey(k));
    // An own "__proto__" key (JSON.parse makes one) would set the copy's prototype instead.
    if (k === '__proto__')
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out;
}

/** `--password`, `--token`: an option whose next argument is a secret. */
function isSecretFlag(arg: unknown): boolean {
  return (
    typeof arg === 'string' && arg.startsWith('--') && arg.length > 3 && !arg.includes('=') && isSecretKey(arg.slice(2))
  );
}

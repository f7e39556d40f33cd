/** Parsing of `WWW-Authenticate` challenges as registries send them (RFC 7235 auth-params). */
import type { AuthChallenge } from './events.js';

/**
 * Parse the first challenge of a `WWW-Authenticate` value, for example
 * `Bearer realm="https://gcr.io/v2/token",service="gcr.io"`. Returns undefined for a value
 * with no scheme. Unknown parameters are ignored; quoted strings may contain commas.
 */
export function parseChallenge(value: string): AuthChallenge | undefined {
  const m = /^\s*([A-Za-z][\w!#$%&'*+.^`|~-]*)\s*(.*)$/s.exec(value);
  if (!m) return undefined;
  const challenge: AuthChallenge = { scheme: m[1]! };
  const params = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (const p of m[2]!.matchAll(params)) {
    const key = p[1]!.toLowerCase();
    const val = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3]!;
    if (key === 'realm' || key === 'service' || key === 'scope') challenge[key] = val;
  }
  return challenge;
}

/**
 * The registry token handshake, written out as docker's distribution client does it:
 *
 *   1. `GET /v2/` answers 401 with `WWW-Authenticate: Bearer realm=R,service=S`;
 *   2. ask R for `scope=repository:NAME:push,pull` (push,pull only, never more):
 *      - with a refresh (identity) token: `POST R` form `grant_type=refresh_token`,
 *        `client_id=docker`, `service`, `scope`, `refresh_token`;
 *      - otherwise `GET R?service=S&scope=...&account=USER` with Basic credentials (none
 *        when docker has none: an anonymous token);
 *   3. the answer is `{"token"|"access_token", "expires_in", "issued_at"}`; docker assumes
 *      60 s when `expires_in` is missing.
 * A refusal is returned in the registry's own words. The token is registered as a secret.
 */
import { failure, type ProbeErrorInfo } from '../errors.js';
import type { AuthChallenge } from '../events.js';
import { registerSecret } from '../log/redact.js';
import type { DockerCredential } from './docker-credential.js';
import { looksHtml, oauthError } from './tokeninfo.js';
import { describeHttpFailure, registryWords, type HttpAnswer, type RegistryHttp } from './registry-http.js';

/** A token the realm granted. */
export interface RegistryToken {
  token: string;
  expiresAt: number;
  /** From the JWT, when the token is one: its subject and the actions it grants on NAME. */
  subject?: string;
  actions?: string[];
  ms: number;
}

/** The realm's answer: a token, or a refusal/failure with the realm's words. */
export type TokenOutcome = { ok: true; token: RegistryToken } | { ok: false; error: ProbeErrorInfo; ms?: number };

/** The scope of a push, and nothing more. */
export function pushScope(repository: string): string {
  return `repository:${repository}:push,pull`;
}

const DEFAULT_EXPIRES_IN = 60;

/** Ask the challenge's realm for a push token for `repository`. Never throws. */
export async function requestPushToken(
  http: RegistryHttp,
  challenge: AuthChallenge,
  repository: string,
  credential: DockerCredential | undefined,
  now: () => number,
): Promise<TokenOutcome> {
  if (!challenge.realm)
    return { ok: false, error: failure('auth.token_endpoint', 'the Bearer challenge names no realm', 'auth') };
  let answer: HttpAnswer;
  try {
    answer = await http.send(...tokenRequest(challenge, repository, credential));
  } catch (err) {
    return {
      ok: false,
      error: failure('auth.token_endpoint', `token endpoint ${challenge.realm}: ${describeHttpFailure(err)}`, 'auth'),
    };
  }
  return judgeTokenAnswer(answer, challenge.realm, repository, now, sendsCredential(credential));
}

/** Whether the token request carries a credential at all (docker asks anonymously without one). */
function sendsCredential(credential: DockerCredential | undefined): boolean {
  return Boolean(credential?.identityToken || credential?.username || credential?.password);
}

function tokenRequest(
  challenge: AuthChallenge,
  repository: string,
  credential: DockerCredential | undefined,
): Parameters<RegistryHttp['send']> {
  const url = new URL(challenge.realm!);
  const scope = pushScope(repository);
  if (credential?.identityToken) {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: 'docker',
      refresh_token: credential.identityToken,
      scope,
    });
    if (challenge.service) form.set('service', challenge.service);
    return [
      url.toString(),
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() },
    ];
  }
  if (challenge.service) url.searchParams.set('service', challenge.service);
  url.searchParams.set('scope', scope);
  const headers: Record<string, string> = {};
  if (credential?.username || credential?.password) {
    if (credential.username) url.searchParams.set('account', credential.username);
    headers.authorization = `Basic ${Buffer.from(`${credential.username}:${credential.password ?? ''}`).toString('base64')}`;
  }
  return [url.toString(), { headers }];
}

/**
 * Judge the realm's answer (exported for tests of odd answers). `withCredential` says whether
 * the request carried docker's credential: a 401 to an anonymous request means docker had no
 * usable credential (none configured, or its helper failed), not that one was refused.
 */
export function judgeTokenAnswer(
  answer: HttpAnswer,
  realm: string,
  repository: string,
  now: () => number,
  withCredential = true,
): TokenOutcome {
  const ms = answer.ms;
  const words = registryWords(answer.body) ?? oauthError(answer.body);
  if (answer.status === 401) {
    const what = withCredential
      ? "docker's credential"
      : 'an anonymous request (docker had no usable credential for this registry)';
    return {
      ok: false,
      ms,
      error: failure(
        'auth.unauthorized',
        `the token endpoint refused ${what}: ${words ?? '401 without a reason'}`,
        'auth',
      ),
    };
  }
  if (answer.status === 403)
    return {
      ok: false,
      ms,
      error: failure(
        'auth.denied',
        `the token endpoint refused push on ${repository}: ${words ?? '403 without a reason'}`,
        'auth',
      ),
    };
  if (answer.status !== 200) {
    const what = words ?? (looksHtml(answer.body) ? 'an HTML page' : 'no registry error');
    return {
      ok: false,
      ms,
      error: failure('auth.token_endpoint', `token endpoint ${realm} answered ${answer.status}: ${what}`, 'auth'),
    };
  }
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(answer.body) as Record<string, unknown>;
  } catch {
    return {
      ok: false,
      ms,
      error: failure(
        'auth.token_endpoint',
        `token endpoint ${realm} answered ${looksHtml(answer.body) ? 'an HTML page' : 'something that is not JSON'} instead of a token`,
        'auth',
      ),
    };
  }
  const token =
    typeof data.token === 'string' && data.token
      ? data.token
      : typeof data.access_token === 'string'
        ? data.access_token
        : '';
  const expiresIn = Number(data.expires_in) > 0 ? Number(data.expires_in) : DEFAULT_EXPIRES_IN;
  // A fresh token every check: registered with its lifetime, so that it is forgotten later.
  registerSecret(token, { validForMs: expiresIn * 1000 });
  if (typeof data.refresh_token === 'string') registerSecret(data.refresh_token);
  if (!token)
    return {
      ok: false,
      ms,
      error: failure('auth.token_endpoint', `token endpoint ${realm} answered JSON without a token`, 'auth'),
    };
  // The lifetime counts from now on this machine's clock, as docker counts it (issued_at is
  // on the realm's clock, which may be skewed).
  return { ok: true, token: { token, expiresAt: now() + expiresIn * 1000, ms, ...jwtFacts(token, repository) } };
}

/** Subject and granted actions of a JWT registry token (unverified: only for reporting). */
export function jwtFacts(token: string, repository: string): { subject?: string; actions?: string[] } {
  const parts = token.split('.');
  if (parts.length !== 3) return {};
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as {
      sub?: unknown;
      access?: unknown;
    };
    const out: { subject?: string; actions?: string[] } = {};
    if (typeof claims.sub === 'string') out.subject = claims.sub;
    if (Array.isArray(claims.access)) {
      const entry = claims.access.find(
        (a: { type?: unknown; name?: unknown }) => a?.type === 'repository' && a?.name === repository,
      ) as { actions?: unknown } | undefined;
      out.actions = Array.isArray(entry?.actions)
        ? entry.actions.filter((x): x is string => typeof x === 'string')
        : [];
    }
    return out;
  } catch {
    return {};
  }
}

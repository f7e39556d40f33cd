/**
 * Rule: the token docker sends has expired, or will expire before the running push can
 * finish — above all the one-hour `oauth2accesstoken` pasted at `docker login`, which
 * expires mid-push on a long upload. From docker's view (`auth` events with `expiresAt`,
 * or the codes `auth.token_expired` / `auth.short_lived`) and the push's `unauthorized`
 * after the expiry. Time passes with the events, so it is re-checked on every probe.
 */
import type { AuthEvent, SessionEvent } from '../../events.js';
import { capEvidence, clock, quote } from '../format-evidence.js';
import type { SessionFacts } from '../facts.js';
import type { Finding, Rule } from '../types.js';

/** The rule's name, as its file is named. */
const CREDENTIAL_EXPIRY = 'credential-expiry';

/** Under this much left during a push, warn. */
const WARN_MS = 10 * 60_000;

interface Token {
  host: string;
  seenAt: number;
  expiresAt?: number;
  kind?: string;
  identity?: string;
  code?: string;
}

/** Create the rule. */
export function credentialExpiry(): Rule {
  const tokens = new Map<string, Token>();
  let refused: { t: number; text: string } | undefined;
  return {
    name: CREDENTIAL_EXPIRY,
    observe(event: SessionEvent, facts: SessionFacts): boolean {
      if (event.type === 'auth' && event.view === 'docker' && event.host) {
        const token = tokenOf(event, facts.now);
        if (token) tokens.set(event.host, token);
        else tokens.delete(event.host);
        return true;
      }
      if (event.type === 'push.error' && event.code === 'push.unauthorized') {
        refused = { t: facts.now, text: event.text };
        return true;
      }
      if (event.type === 'push.start') refused = undefined;
      return tokens.size > 0 && (event.type === 'probe' || event.type.startsWith('push.'));
    },
    findings(facts) {
      const relevant = relevantTokens(tokens, facts);
      const expired = relevant.find(
        (t) => t.code === 'auth.token_expired' || (t.expiresAt !== undefined && t.expiresAt <= facts.now),
      );
      if (expired) return [describeExpired(expired, facts, refused)];
      const soon = relevant.find(
        (t) => facts.pushRunning && t.expiresAt !== undefined && t.expiresAt - facts.now < WARN_MS,
      );
      const shortLived = soon ?? relevant.find((t) => t.code === 'auth.short_lived' || PASTED.has(t.kind ?? ''));
      return shortLived ? [describeSoon(shortLived, facts, Boolean(soon))] : [];
    },
  };
}

/** Kinds of credential nothing refreshes: the access token pasted at `docker login`. */
const PASTED = new Set(['access-token', 'oauth2accesstoken']);

/**
 * The token to watch in a docker view, if any: a pasted access token (its expiry is final),
 * or one the credential checks judged expired or short-lived. A helper's token with an
 * expiry is not watched: docker asks the helper again and gets a fresh one.
 */
function tokenOf(event: AuthEvent, t: number): Token | undefined {
  const code = event.error?.code;
  const expiresAt = event.expiresAt ? Date.parse(event.expiresAt) : undefined;
  if (!PASTED.has(event.kind ?? '') && code !== 'auth.token_expired' && code !== 'auth.short_lived') return undefined;
  const token: Token = { host: event.host!, seenAt: t };
  if (expiresAt !== undefined && Number.isFinite(expiresAt)) token.expiresAt = expiresAt;
  if (event.kind) token.kind = event.kind;
  if (event.identity) token.identity = event.identity;
  if (code) token.code = code;
  return token;
}

/** Tokens of the pushed hosts, or all of them when no push target is known. */
function relevantTokens(tokens: Map<string, Token>, facts: SessionFacts): Token[] {
  const pushed = facts.pushHosts();
  const all = [...tokens.values()];
  return pushed.length ? all.filter((t) => pushed.includes(t.host)) : all;
}

function kindWords(t: Token): string {
  return PASTED.has(t.kind ?? '')
    ? 'the one-hour access token pasted at `docker login` (oauth2accesstoken)'
    : `the ${t.kind ?? 'token'} docker uses`;
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m < 1 ? 'less than a minute' : `${m} min`;
}

function describeExpired(t: Token, facts: SessionFacts, refused?: { t: number; text: string }): Finding {
  const at = t.expiresAt;
  const intoPush =
    at !== undefined && facts.pushStartedAt !== undefined && at > facts.pushStartedAt
      ? `, ${minutes(at - facts.pushStartedAt)} into the push`
      : '';
  const after = refused && (at === undefined || refused.t >= at);
  const evidence = [
    `${clock(t.seenAt)} docker's credential for ${t.host}: ${t.kind ?? 'token'}${t.identity ? ` of ${t.identity}` : ''}${at !== undefined ? `, expires ${clock(at)}` : ', expired'}`,
  ];
  if (facts.pushStartedAt !== undefined) evidence.push(`${clock(facts.pushStartedAt)} push started`);
  if (after) evidence.push(`${clock(refused.t)} the registry refused the push: ${quote(refused.text)}`);
  return {
    code: 'auth.token_expired',
    category: 'auth',
    summary: `${cap(kindWords(t))} for ${t.host} expired${at !== undefined ? ` at ${clock(at)}` : ''}${intoPush}${after ? ', and the registry then refused the push' : ''}.`,
    evidence: capEvidence(evidence),
    basis: 'stated',
    coverage: after || t.code === 'auth.token_expired' ? 'full' : 'partial',
    advice: refreshAdvice(t),
    boost: after ? 6 : 0,
  };
}

function describeSoon(t: Token, facts: SessionFacts, duringPush: boolean): Finding {
  // No countdown here: a finding whose words changed every minute would be re-emitted every minute.
  const evidence = [
    `${clock(t.seenAt)} docker's credential for ${t.host}: ${t.kind ?? 'token'}${t.expiresAt !== undefined ? `, expires ${clock(t.expiresAt)}` : ''}`,
  ];
  if (facts.pushStartedAt !== undefined && facts.pushRunning)
    evidence.push(`${clock(facts.pushStartedAt)} push started, still running`);
  const when = t.expiresAt !== undefined ? ` expires at ${clock(t.expiresAt)}` : '';
  return {
    code: 'auth.expires_during_push',
    category: 'auth',
    summary: duringPush
      ? `${cap(kindWords(t))} for ${t.host}${when}, within ${WARN_MS / 60_000} minutes and before the running push is likely to finish: the push will be refused midway.`
      : `${cap(kindWords(t))} for ${t.host} is short-lived${when ? ` (it${when})` : ''}: a long push can outlive it.`,
    evidence,
    // The expiry is stated; that a push will outlive it is a guess until one runs.
    basis: duringPush ? 'stated' : 'inferred',
    coverage: 'partial',
    advice: refreshAdvice(t),
    boost: duringPush ? 0 : -25,
  };
}

function refreshAdvice(t: Token): string {
  return PASTED.has(t.kind ?? '')
    ? `Use a credential helper that mints a fresh token for each request instead of a pasted token: \`gcloud auth configure-docker ${t.host}\` (or docker-credential-gcr); in CI, log in right before the push.`
    : `Refresh the credential before pushing (\`gcloud auth login\` / re-run \`docker login ${t.host}\`), or use a credential helper that refreshes by itself.`;
}

function cap(s: string): string {
  return s[0]!.toUpperCase() + s.slice(1);
}

/**
 * Rule: the identity may not push here (DENIED, a missing
 * `artifactregistry.repositories.uploadArtifacts` permission) or the registry rejects the
 * credential (UNAUTHORIZED, an `invalid_grant` refresh). In the registry's own words, from
 * the registry's view of the push scope (`auth` events: canPush, error) and from the push's
 * errors. "Unauthenticated request" is not a permission problem: the credential-missing
 * rule tells that story, so it is ranked down here.
 */
import type { SessionEvent } from '../../events.js';
import { coverageOf } from '../confidence.js';
import { capEvidence, clock, quote } from '../format-evidence.js';
import type { SessionFacts } from '../facts.js';
import type { Finding, Rule } from '../types.js';

/** The rule's name, as its file is named. */
const PUSH_PERMISSION = 'push-permission';

const UNAUTHENTICATED = /unauthenticated request/i;

interface Refusal {
  t: number;
  code: 'auth.push_denied' | 'auth.unauthorized';
  where: string;
  words: string;
  identity?: string;
}

/** Create the rule. */
export function pushPermission(): Rule {
  const refusals = new Map<string, Refusal>();
  /** Retries of the current push whose stated cause was this refusal: they hold after the push goes on. */
  let refusedRetries = 0;
  return {
    name: PUSH_PERMISSION,
    observe(event: SessionEvent, facts: SessionFacts): boolean {
      if (event.type === 'auth') {
        const key = `${event.view}:${event.host ?? ''}`;
        const refusal = refusalOfAuth(event, facts.now);
        if (refusal) refusals.set(key, refusal);
        else if (event.ok && event.canPush !== false) return refusals.delete(key);
        return Boolean(refusal);
      }
      if (event.type === 'push.error' && (event.code === 'push.denied' || event.code === 'push.unauthorized')) {
        refusals.set('push', {
          t: facts.now,
          code: event.code === 'push.denied' ? 'auth.push_denied' : 'auth.unauthorized',
          where: 'the push',
          words: event.text,
        });
        return true;
      }
      if (
        event.type === 'push.retry' &&
        (event.causeCode === 'push.denied' || event.causeCode === 'push.unauthorized')
      ) {
        refusedRetries++;
        refusals.set('retry', {
          t: facts.now,
          code: event.causeCode === 'push.denied' ? 'auth.push_denied' : 'auth.unauthorized',
          where: `retry ${event.attempt} of the push`,
          words: event.cause ?? event.causeCode,
        });
        return true;
      }
      if (event.type === 'push.start') {
        refusedRetries = 0;
        return refusals.delete('retry');
      }
      if (event.type === 'push.end' && event.exitCode === 0) return refusals.delete('push');
      return false;
    },
    findings(facts) {
      const out: Finding[] = [];
      for (const code of ['auth.push_denied', 'auth.unauthorized'] as const) {
        const list = [...refusals.values()].filter((r) => r.code === code);
        if (list.length) out.push(describe(code, list, facts, refusedRetries));
      }
      return out;
    },
  };
}

function refusalOfAuth(event: Extract<SessionEvent, { type: 'auth' }>, t: number): Refusal | undefined {
  const code = event.error?.code;
  const where = `${event.view} check${event.host ? ` of ${event.host}` : ''}`;
  const base = { t, where, ...(event.identity ? { identity: event.identity } : {}) };
  if (code === 'auth.denied' || (event.view === 'registry' && event.canPush === false)) {
    return { ...base, code: 'auth.push_denied', words: event.error?.message ?? event.note ?? 'push not permitted' };
  }
  if (code === 'auth.unauthorized' || code === 'auth.invalid_grant') {
    return { ...base, code: 'auth.unauthorized', words: event.error!.message };
  }
  return undefined;
}

function describe(code: Refusal['code'], list: Refusal[], facts: SessionFacts, refusedRetries: number): Finding {
  // Refused only as the cause of retries: it covers the retries it accounts for.
  const onlyRetries = list.every((r) => r.where.startsWith('retry '));
  const retried = onlyRetries
    ? ` (the cause of ${refusedRetries} of ${facts.pushRetries} retries, as the daemon said)`
    : '';
  const first = [...list].sort((a, b) => Number(b.where === 'the push') - Number(a.where === 'the push'))[0]!;
  const identity = list.find((r) => r.identity)?.identity;
  const host = facts.pushHosts()[0];
  const unauthenticated = list.every((r) => UNAUTHENTICATED.test(r.words));
  const evidence = capEvidence(
    list.map((r) => `${clock(r.t)} ${r.where}${r.identity ? ` as ${r.identity}` : ''}: ${quote(r.words, 200)}`),
  );
  if (code === 'auth.push_denied') {
    return {
      code,
      category: 'auth',
      summary: `The registry refuses to let ${identity ?? 'this identity'} push${host ? ` to ${host}` : ''}${retried}: ${quote(first.words, 200)}.`,
      evidence,
      basis: 'stated',
      coverage: unauthenticated ? 'partial' : onlyRetries ? coverageOf(refusedRetries, facts.pushRetries) : 'full',
      advice: unauthenticated
        ? `The request carried no credential the registry accepts: configure docker for the host (\`gcloud auth configure-docker ${host ?? 'HOST'}\`).`
        : `Grant ${identity ?? 'the identity'} push rights on the repository: role roles/artifactregistry.writer (Artifact Registry) or roles/storage.admin on the bucket (Container Registry), e.g. \`gcloud artifacts repositories add-iam-policy-binding REPO --location LOCATION --member serviceAccount:EMAIL --role roles/artifactregistry.writer\`.`,
      boost: unauthenticated ? -20 : 0,
    };
  }
  return {
    code,
    category: 'auth',
    summary: `The registry rejects the credential${identity ? ` of ${identity}` : ''}${retried}: ${quote(first.words, 200)}.`,
    evidence,
    basis: 'stated',
    coverage: onlyRetries ? coverageOf(refusedRetries, facts.pushRetries) : 'full',
    advice: /invalid_grant/i.test(first.words)
      ? 'The refresh token was revoked or has expired: run `gcloud auth login` (or `gcloud auth application-default login`) again.'
      : `Log docker in again for ${host ?? 'the registry'} (\`gcloud auth configure-docker ${host ?? 'HOST'}\`) and check that the account is the one you expect (\`gcloud auth list\`).`,
  };
}

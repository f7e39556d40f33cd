/**
 * Rule: the credential checks themselves could not get an answer — a docker config.json or
 * ADC file that is not valid (docker and gcloud cannot read it either), a token endpoint that
 * is down, hangs or answers HTML, a credential helper that answers slowly (a note), or
 * another failed check (the metadata server, the push check). Holds per check (view and
 * host) until that check succeeds.
 */
import type { AuthEvent, SessionEvent } from '../../events.js';
import type { FindingCode } from '../codes.js';
import { capEvidence, clock, quote } from '../format-evidence.js';
import type { SessionFacts } from '../facts.js';
import type { Finding, Rule } from '../types.js';

/** The rule's name, as its file is named. */
const CREDENTIAL_CHECK_FAILURES = 'credential-check-failures';

const BY_CODE: Record<string, FindingCode> = {
  'auth.config_invalid': 'local.config_invalid',
  'auth.token_endpoint': 'auth.token_endpoint',
  'auth.helper_slow': 'auth.helper_slow',
  'auth.error': 'auth.check_failed',
};

const SUMMARY: Partial<Record<FindingCode, (words: string) => string>> = {
  'local.config_invalid': (w) => `A credential file cannot be read, so docker or gcloud cannot use it: ${w}.`,
  'auth.token_endpoint': (w) => `A token endpoint does not give tokens: ${w}.`,
  'auth.helper_slow': (w) => `The credential helper is slow: ${w}.`,
  'auth.check_failed': (w) => `A credential check could not complete: ${w}.`,
};

const ADVICE: Partial<Record<FindingCode, string>> = {
  'local.config_invalid':
    'Fix or remove the file named (`python3 -m json.tool FILE` shows where the JSON breaks), then log in again (`gcloud auth configure-docker HOST` / `gcloud auth application-default login`).',
  'auth.token_endpoint':
    "Check that the token endpoint is reachable the way docker reaches it (the proxy, NO_PROXY, a captive portal); if it is Google's, see https://status.cloud.google.com.",
  'auth.helper_slow':
    'Docker runs the helper before every request of a push: a slow one (gcloud starting up) slows every push; docker-credential-gcr is quicker than the gcloud helper.',
  'auth.check_failed': "See the check's words in the evidence; the other findings say whether it matters for the push.",
};

interface Failed {
  t: number;
  code: FindingCode;
  where: string;
  words: string;
}

/** Create the rule. */
export function credentialCheckFailures(): Rule {
  const checks = new Map<string, Failed>();
  return {
    name: CREDENTIAL_CHECK_FAILURES,
    observe(event: SessionEvent, facts: SessionFacts): boolean {
      if (event.type !== 'auth') return false;
      const key = `${event.view}:${event.host ?? ''}`;
      const code = event.error ? BY_CODE[event.error.code] : undefined;
      if (!code) return checks.delete(key);
      checks.set(key, { t: facts.now, code, where: whereOf(event), words: event.error!.message });
      return true;
    },
    findings(facts) {
      const out: Finding[] = [];
      for (const code of new Set([...checks.values()].map((c) => c.code))) {
        const list = [...checks.values()].filter((c) => c.code === code);
        const onPush = list.some((c) => facts.pushHosts().some((h) => c.where.includes(h)));
        out.push({
          code,
          category: code === 'local.config_invalid' ? 'local' : 'auth',
          summary: SUMMARY[code]!(quote(list[0]!.words, 200)),
          evidence: capEvidence(list.map((c) => `${clock(c.t)} ${c.where}: ${quote(c.words, 200)}`)),
          basis: 'stated',
          coverage: code === 'auth.check_failed' ? 'partial' : 'full',
          advice: ADVICE[code]!,
          boost: onPush ? 5 : 0,
        });
      }
      return out;
    },
  };
}

function whereOf(e: AuthEvent): string {
  return `${e.view} check${e.host ? ` of ${e.host}` : ''}${e.source ? ` (${e.source})` : ''}`;
}

/**
 * Rule: docker's credential helper is missing from PATH (the classic
 * `docker-credential-gcloud` not found) or fails (keeps its stderr). From docker's view of
 * each host (`auth` events) and from the push's own error text. Holds per host until a
 * later check of that host succeeds.
 */
import type { SessionEvent } from '../../events.js';
import { capEvidence, clock, quote } from '../format-evidence.js';
import type { SessionFacts } from '../facts.js';
import type { Finding, Rule } from '../types.js';

/** The rule's name, as its file is named. */
const CREDENTIAL_HELPER = 'credential-helper';

interface Trouble {
  t: number;
  code: 'auth.helper_missing' | 'auth.helper_failed';
  helper?: string;
  message: string;
}

/** Create the rule. */
export function credentialHelper(): Rule {
  const hosts = new Map<string, Trouble>();
  return {
    name: CREDENTIAL_HELPER,
    observe(event: SessionEvent, facts: SessionFacts): boolean {
      if (event.type === 'auth' && event.view === 'docker' && event.host) {
        const code = event.error?.code;
        if (code === 'auth.helper_missing' || code === 'auth.helper_failed') {
          hosts.set(event.host, {
            t: facts.now,
            code,
            message: event.error!.message,
            ...(event.helper ? { helper: event.helper.name } : {}),
          });
          return true;
        }
        return hosts.delete(event.host);
      }
      if (event.type === 'push.error' && event.code === 'push.helper_missing') {
        hosts.set(facts.push?.registry ?? 'the pushed registry', {
          t: facts.now,
          code: 'auth.helper_missing',
          message: event.text,
          ...helperIn(event.text),
        });
        return true;
      }
      return false;
    },
    findings(facts) {
      const out: Finding[] = [];
      for (const code of ['auth.helper_missing', 'auth.helper_failed'] as const) {
        const list = [...hosts.entries()].filter(([, t]) => t.code === code);
        if (list.length) out.push(describe(code, list, facts));
      }
      return out;
    },
  };
}

/** `{helper: 'gcloud'}` from `exec: "docker-credential-gcloud": executable file not found`. */
function helperIn(text: string): { helper?: string } {
  const m = /docker-credential-([\w.-]+)/.exec(text);
  return m ? { helper: m[1]! } : {};
}

function describe(code: Trouble['code'], list: Array<[string, Trouble]>, facts: SessionFacts): Finding {
  const helper = list.find(([, t]) => t.helper)?.[1].helper;
  const name = helper ? `docker-credential-${helper}` : 'the credential helper';
  const hosts = list.map(([h]) => h);
  const onPush = hosts.some((h) => facts.pushHosts().includes(h)) || hosts.includes('the pushed registry');
  const evidence = capEvidence(list.map(([h, t]) => `${clock(t.t)} ${h}: ${quote(t.message, 140)}`));
  if (code === 'auth.helper_missing') {
    return {
      code,
      category: 'auth',
      summary: `Docker is configured to get credentials for ${hosts.join(', ')} from ${name}, which is not on PATH, so docker has no credential to send.`,
      evidence,
      basis: 'stated',
      coverage: 'full',
      advice:
        helper === 'gcloud'
          ? 'Install the Google Cloud CLI and make sure `docker-credential-gcloud` is on the PATH docker runs with (e.g. `gcloud components install docker-credential-gcr`, or use the Artifact Registry helper `docker-credential-gcr`); or remove the entry from ~/.docker/config.json and log in another way.'
          : `Install ${name} on the PATH docker runs with, or remove its entry (credHelpers / credsStore) from ~/.docker/config.json.`,
      boost: onPush ? 5 : -10,
    };
  }
  return {
    code,
    category: 'auth',
    summary: `${name[0]!.toUpperCase()}${name.slice(1)} fails for ${hosts.join(', ')}: ${quote(list[0]![1].message, 120)}.`,
    evidence,
    basis: 'stated',
    coverage: 'full',
    advice: `Run it by hand to see why: \`echo ${hosts[0]} | ${helper ? name : 'docker-credential-NAME'} get\`; for gcloud, \`gcloud auth login\` or \`gcloud auth activate-service-account\` usually fixes an expired session.`,
    boost: onPush ? 5 : -10,
  };
}

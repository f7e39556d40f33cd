/**
 * Rule: TLS to a Google registry host is intercepted — the chain is issued by someone other
 * than Google Trust Services (a corporate proxy re-signing traffic). A warning on its own;
 * it matters when docker does not trust the proxy's CA (push fails with x509) or when the
 * proxy breaks large uploads.
 */
import type { SessionEvent } from '../../events.js';
import { capEvidence, clock, plural } from '../format-evidence.js';
import type { SessionFacts } from '../facts.js';
import type { Finding, Rule } from '../types.js';

/** The rule's name, as its file is named. */
const TLS_INTERCEPTION = 'tls-interception';

interface Seen {
  issuer?: string;
  rounds: number;
  since: number;
  last: number;
}

/** Create the rule. */
export function tlsInterception(): Rule {
  const targets = new Map<string, Seen>();
  let x509Push: string | undefined;
  return {
    name: TLS_INTERCEPTION,
    observe(event: SessionEvent, facts: SessionFacts): boolean {
      if (event.type === 'push.error' && event.code === 'push.tls_certificate') {
        x509Push = event.text;
        return true;
      }
      if (event.type !== 'probe' || !event.details.tls) return false;
      const issuer = event.details.tls.interception;
      const prev = targets.get(event.target);
      // A TLS-bearing round without interception ends the finding for that target.
      if (!issuer) return targets.delete(event.target);
      targets.set(event.target, {
        issuer,
        rounds: (prev?.rounds ?? 0) + 1,
        since: prev?.since ?? facts.now,
        last: facts.now,
      });
      return true;
    },
    findings(facts) {
      if (!targets.size) return [];
      const list = [...targets.entries()];
      const issuer = list[0]![1].issuer!;
      const evidence = list.map(
        ([t, s]) =>
          `${t}: certificate issued by "${s.issuer}" in ${plural(s.rounds, 'round', 'rounds')} since ${clock(s.since)}`,
      );
      if (x509Push) evidence.push(`the push failed on the certificate: ${x509Push}`);
      const onPush = list.some(([t]) => facts.isPushTarget(t));
      return [
        {
          code: 'network.tls_interception',
          category: 'network',
          summary: `TLS to ${list.map(([t]) => t).join(', ')} is intercepted: the certificate comes from "${issuer}", not Google Trust Services, so a proxy re-signs the traffic${x509Push ? ', and docker does not trust it' : ''}.`,
          evidence: capEvidence(evidence),
          basis: 'stated',
          coverage: list.some(([, s]) => s.rounds >= 2) ? 'full' : 'partial',
          advice: `Have *.gcr.io and *.pkg.dev exempted from TLS inspection, or make docker trust the proxy's CA: copy it to /etc/docker/certs.d/<registry-host>/ca.crt (or the system trust store) and restart docker.`,
          boost: (x509Push ? 40 : 0) + (onPush ? 5 : 0),
        } satisfies Finding,
      ];
    },
  };
}

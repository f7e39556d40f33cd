/**
 * Rule: certificate problems — a probe's verification failed (expired, not yet valid, wrong
 * host, untrusted chain), docker refused the certificate (x509), or a certificate is close
 * to expiry. Holds per target while its latest TLS handshake shows the problem.
 */
import type { SessionEvent } from '../../events.js';
import { capEvidence, clock, quote } from '../format-evidence.js';
import type { SessionFacts } from '../facts.js';
import type { Finding, Rule } from '../types.js';

/** The rule's name, as its file is named. */
const TLS_CERTIFICATE = 'tls-certificate';

const CERT_CODES = new Set(['tls.expired', 'tls.not_yet_valid', 'tls.hostname_mismatch', 'tls.untrusted']);
/** A certificate this close to expiry is worth a word. */
const SOON_DAYS = 7;

interface Problem {
  code: string;
  message: string;
  t: number;
  issuer?: string;
  daysLeft?: number;
}

/** Create the rule. */
export function tlsCertificate(): Rule {
  const targets = new Map<string, Problem>();
  let pushError: { text: string; t: number } | undefined;
  return {
    name: TLS_CERTIFICATE,
    observe(event: SessionEvent, facts: SessionFacts): boolean {
      if (event.type === 'push.error' && event.code === 'push.tls_certificate') {
        pushError = { text: event.text, t: facts.now };
        return true;
      }
      if (event.type !== 'probe') return false;
      const code = event.error?.code;
      const tls = event.details.tls;
      if (code && CERT_CODES.has(code)) {
        targets.set(event.target, {
          code,
          message: event.error!.message,
          t: facts.now,
          ...(tls?.issuer ? { issuer: tls.issuer } : {}),
        });
        return true;
      }
      if (tls?.verified && tls.daysLeft !== undefined && tls.daysLeft < SOON_DAYS) {
        targets.set(event.target, {
          code: 'expires-soon',
          message: `expires in ${tls.daysLeft} day(s)`,
          t: facts.now,
          daysLeft: tls.daysLeft,
        });
        return true;
      }
      // A verified handshake (or a round that never got to TLS) ends nothing: only TLS says.
      return tls?.verified ? targets.delete(event.target) : false;
    },
    findings(facts) {
      const list = [...targets.entries()];
      if (!list.length && !pushError) return [];
      const failing = list.filter(([, p]) => p.code !== 'expires-soon');
      const evidence = list.map(
        ([t, p]) =>
          `${clock(p.t)} ${t}: ${p.code === 'expires-soon' ? `certificate ${p.message}` : `${p.code} (${p.message})`}${p.issuer ? `, issuer ${p.issuer}` : ''}`,
      );
      if (pushError) evidence.push(`${clock(pushError.t)} push failed: ${quote(pushError.text)}`);
      const names = list.map(([t]) => t);
      const onPush = names.some((n) => facts.isPushTarget(n)) || Boolean(pushError);
      const worst = failing[0]?.[1];
      return [
        {
          code: 'network.tls_certificate',
          category: 'network',
          summary:
            worst || pushError
              ? `The registry's certificate is refused${names.length ? ` for ${names.join(', ')}` : ''}: ${worst ? describeCode(worst.code) : 'docker reports an x509 error'}.`
              : `The certificate of ${names.join(', ')} expires within ${SOON_DAYS} days.`,
          evidence: capEvidence(evidence),
          basis: 'stated',
          coverage: 'full',
          advice:
            worst?.code === 'tls.not_yet_valid'
              ? "Check this machine's clock (`timedatectl`); a certificate that is not valid yet usually means the clock is wrong."
              : worst?.code === 'tls.hostname_mismatch'
                ? 'Something else answers for the registry name: check DNS overrides (/etc/hosts, --resolve) and the proxy.'
                : worst || pushError
                  ? 'If a proxy inspects TLS, trust its CA (/etc/docker/certs.d/<registry-host>/ca.crt for docker, --ca-file for gcrwatch) or have the registry exempted; otherwise check the system trust store (`update-ca-certificates`).'
                  : 'Nothing to do now; watch that the certificate is renewed.',
          boost: worst || pushError ? (onPush ? 10 : 0) : -45,
        } satisfies Finding,
      ];
    },
  };
}

function describeCode(code: string): string {
  switch (code) {
    case 'tls.expired':
      return 'the certificate has expired';
    case 'tls.not_yet_valid':
      return 'the certificate is not valid yet (or this clock is wrong)';
    case 'tls.hostname_mismatch':
      return 'the certificate does not name the host';
    default:
      return 'the chain does not lead to a trusted CA';
  }
}

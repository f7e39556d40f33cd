/**
 * Rule: docker has no credential for the host the push goes to — either none at all, or
 * credentials for other registry hosts only (the classic: `gcloud auth configure-docker`
 * was run for gcr.io while the push goes to europe-west1-docker.pkg.dev, or the reverse).
 * Reads docker's view of each host (`auth` events) and the push's own "no basic auth
 * credentials" or Artifact Registry's "Unauthenticated request".
 */
import type { AuthEvent, SessionEvent } from '../../events.js';
import { likelyGoogleHost } from '../../host-typo.js';
import { capEvidence, clock, quote } from '../format-evidence.js';
import type { SessionFacts } from '../facts.js';
import type { Finding, Rule } from '../types.js';

/** The rule's name, as its file is named. */
const CREDENTIAL_MISSING = 'credential-missing';

const UNAUTHENTICATED = /unauthenticated request|no basic auth credentials|authentication required/i;

interface HostView {
  t: number;
  has: boolean;
  source?: string;
  kind?: string;
  code?: string;
  message?: string;
}

/** Create the rule. */
export function credentialMissing(): Rule {
  const hosts = new Map<string, HostView>();
  let pushSaid: { t: number; text: string; host?: string } | undefined;
  return {
    name: CREDENTIAL_MISSING,
    observe(event: SessionEvent, facts: SessionFacts): boolean {
      if (event.type === 'auth' && event.view === 'docker' && event.host) {
        hosts.set(event.host.toLowerCase(), viewOf(event, facts.now));
        return true;
      }
      if (
        event.type === 'push.error' &&
        (event.code === 'push.no_credentials' || (event.category === 'auth' && UNAUTHENTICATED.test(event.text)))
      ) {
        pushSaid = { t: facts.now, text: event.text, ...(facts.push?.registry ? { host: facts.push.registry } : {}) };
        return true;
      }
      if (event.type === 'push.end' && event.exitCode === 0) {
        pushSaid = undefined;
        return true;
      }
      // A retry moves the finding's rank (withRetryRank).
      return event.type === 'push.start' || event.type === 'session.start' || event.type === 'push.retry';
    },
    findings(facts) {
      const pushed = facts.pushHosts();
      const withCred = [...hosts.entries()].filter(([, v]) => v.has);
      const missing = pushed.length
        ? pushed.filter((h) => hosts.get(h)?.has === false || (!hosts.has(h) && pushSaid))
        : [];
      if (missing.length) return [withRetryRank(describe(facts, missing, withCred, hosts, pushSaid), facts, pushSaid)];
      // Without a push target, only "nothing at all for any host" is worth saying.
      if (!pushed.length && hosts.size && !withCred.length) return [describeNone([...hosts.keys()])];
      return [];
    },
  };
}

/**
 * A push that retries while the registry has not refused it for want of a credential is
 * failing on something else first (the network, the registry): that is the answer now, and
 * the missing credential the next one. Ranked below it, not dropped.
 */
function withRetryRank(finding: Finding, facts: SessionFacts, pushSaid: unknown): Finding {
  return facts.pushRetries > 0 && !pushSaid
    ? { ...finding, boost: (finding.boost ?? 0) - RETRYING_ELSEWHERE }
    : finding;
}

/** Enough to rank a stated credential finding (91-93, high) below a retry cause (74-85). */
const RETRYING_ELSEWHERE = 25;

function viewOf(event: AuthEvent, t: number): HostView {
  const code = event.error?.code;
  const has = event.ok || !(code === 'auth.no_credentials' || code === 'auth.wrong_host');
  const v: HostView = { t, has };
  if (event.source) v.source = event.source;
  if (event.kind) v.kind = event.kind;
  if (code) v.code = code;
  if (event.error?.message) v.message = event.error.message;
  return v;
}

function describe(
  facts: SessionFacts,
  missing: string[],
  withCred: Array<[string, HostView]>,
  hosts: Map<string, HostView>,
  pushSaid?: { t: number; text: string },
): Finding {
  const host = missing[0]!;
  const evidence = missing.map((h) => {
    const v = hosts.get(h);
    return v
      ? `${clock(v.t)} docker has no credential for ${h}${v.message ? `: ${v.message}` : ''}`
      : `docker's credential for ${h} was not checked`;
  });
  for (const [h, v] of withCred)
    evidence.push(
      `${clock(v.t)} docker has a credential for ${h}${v.source ? ` (${v.source}${v.kind ? `, ${v.kind}` : ''})` : ''}`,
    );
  if (pushSaid) evidence.push(`${clock(pushSaid.t)} the push was refused: ${quote(pushSaid.text)}`);
  const others = withCred.map(([h]) => h).filter((h) => !missing.includes(h));
  const checked = missing.some((h) => hosts.has(h));
  const meant = typoOf(host, facts);
  if (meant) return describeTypo(host, meant, others, capEvidence(evidence), pushSaid);
  if (others.length) {
    return {
      code: 'auth.wrong_host',
      category: 'auth',
      summary: `Docker has credentials for ${others.join(', ')} but none for ${host}, where the push goes${pushSaid ? ', so the registry refused the push' : ''}.`,
      evidence: capEvidence(evidence),
      basis: 'stated',
      coverage: 'full',
      advice: configureAdvice(host),
    };
  }
  return {
    code: 'auth.no_credentials',
    category: 'auth',
    summary: `Docker has no credential for ${host}, where the push goes${pushSaid ? ': the registry refused the unauthenticated push' : ''}.`,
    evidence: capEvidence(evidence),
    basis: 'stated',
    coverage: checked || pushSaid ? 'full' : 'partial',
    advice: configureAdvice(host),
  };
}

/**
 * The Google registry `host` is a typo of, once its probes say the name does not exist: a
 * real registry near a Google name (ghcr.io) is never "corrected".
 */
function typoOf(host: string, facts: SessionFacts): string | undefined {
  const meant = likelyGoogleHost(host);
  if (!meant) return undefined;
  const probed = [...facts.targets.values()].filter((t) => t.host === host || t.id === host);
  return probed.some((t) => facts.probesOf(t.id).at(-1)?.code === 'dns.nxdomain') ? meant : undefined;
}

/** The push goes to a name that is a typo of a Google registry: no login would make it work. */
function describeTypo(
  host: string,
  meant: string,
  others: string[],
  evidence: string[],
  pushSaid?: { t: number; text: string },
): Finding {
  const has = others.includes(meant)
    ? `docker has a credential for ${meant}, none for ${host}`
    : `docker has no credential for ${host}`;
  return {
    code: 'auth.wrong_host',
    category: 'auth',
    summary: `The push goes to ${host}, not a Google registry host: did you mean ${meant}? (${has}${pushSaid ? '; the registry refused the push' : ''})`,
    evidence,
    basis: 'stated',
    coverage: 'full',
    advice: `Correct the registry in the image name (the part before the first /): ${meant}, not ${host}; \`docker tag\` the image with it and push again.`,
  };
}

function describeNone(all: string[]): Finding {
  return {
    code: 'auth.no_credentials',
    category: 'auth',
    summary: `Docker has no credential for any of the registry hosts checked (${all.slice(0, 4).join(', ')}${all.length > 4 ? ', ...' : ''}).`,
    evidence: [`docker's view checked for ${all.length} host(s), none has a credential`],
    // Docker's view says it, but with no push target it is not known to matter.
    basis: 'stated',
    coverage: 'partial',
    advice:
      'Log docker in to the registry you push to: `gcloud auth configure-docker HOST` (e.g. europe-west1-docker.pkg.dev), or `docker login HOST`.',
    boost: -30,
  };
}

/** The command that configures docker for `host`. */
export function configureAdvice(host: string): string {
  return `Run \`gcloud auth configure-docker ${host}\` (it adds a credHelpers entry for exactly that host to ~/.docker/config.json), or log in with a service-account key: \`docker login -u _json_key --password-stdin https://${host} < key.json\`.`;
}

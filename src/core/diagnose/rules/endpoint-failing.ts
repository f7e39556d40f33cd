/**
 * Rule: a registry endpoint fails its probes on the network (DNS, TCP, TLS, HTTP), often
 * enough to matter: in at least 30 % of its last rounds (any failure when there have been
 * only a few, as in `doctor`) with one of the last three failing. Also raises
 * `registry.unexpected_answer` for answers no client can use (401 without a challenge, a
 * status a registry should not give). Certificate refusals, 5xx and 429 have their own rules.
 */
import type { SessionEvent } from '../../events.js';
import { likelyGoogleHost } from '../../host-typo.js';
import { Ring } from '../../stats/ring.js';
import { capEvidence, clock, phasePoint, phaseWords } from '../format-evidence.js';
import type { SessionFacts } from '../facts.js';
import type { Finding, Rule } from '../types.js';

/** The rule's name, as its file is named. */
const ENDPOINT_FAILING = 'endpoint-failing';

const WINDOW = 10;
const OWN_RULES = new Set([
  'tls.expired',
  'tls.not_yet_valid',
  'tls.hostname_mismatch',
  'tls.untrusted',
  'http.5xx',
  'http.429',
]);

interface Round {
  t: number;
  ok: boolean;
  code?: string;
  category?: string;
  phase?: string;
  message?: string;
}

interface TargetState {
  rounds: Ring<Round>;
  /** What the rule concludes of this target, per category, as of its last round. */
  network?: Failing;
  registry?: Failing;
}

/** Create the rule. */
export function endpointFailing(): Rule {
  const targets = new Map<string, TargetState>();
  return {
    name: ENDPOINT_FAILING,
    observe(event: SessionEvent, facts: SessionFacts): boolean {
      if (event.type !== 'probe') return false;
      let state = targets.get(event.target);
      if (!state) targets.set(event.target, (state = { rounds: new Ring(WINDOW) }));
      const failed = !event.ok && event.error && !OWN_RULES.has(event.error.code);
      state.rounds.push(
        failed
          ? {
              t: facts.now,
              ok: false,
              code: event.error!.code,
              category: event.error!.category,
              message: event.error!.message,
              ...(event.error!.phase ? { phase: event.error!.phase } : {}),
            }
          : { t: facts.now, ok: true },
      );
      // Conclusions are kept per target, so a round costs one target's window, not all of them.
      const list = state.rounds.toArray();
      const before = [state.network, state.registry];
      state.network = failingOf(event.target, list, 'network');
      state.registry = failingOf(event.target, list, 'registry');
      return (
        before[0] !== undefined ||
        before[1] !== undefined ||
        state.network !== undefined ||
        state.registry !== undefined
      );
    },
    findings(facts) {
      const out: Finding[] = [];
      const states = [...targets.values()];
      const network = states.map((s) => s.network).filter((f): f is Failing => Boolean(f));
      const registry = states.map((s) => s.registry).filter((f): f is Failing => Boolean(f));
      if (network.length) out.push(describeNetwork(network, facts));
      if (registry.length) out.push(describeRegistry(registry, facts));
      return out;
    },
  };
}

interface Failing {
  target: string;
  last: Round;
  failures: number;
  of: number;
  streak: number;
}

function failingOf(target: string, list: Round[], category: string): Failing | undefined {
  const bad = (r: Round) => !r.ok && r.category === category;
  const failures = list.filter(bad).length;
  const recent = list.slice(-3);
  if (!recent.some(bad) || failures < Math.max(1, Math.ceil(0.3 * list.length))) return undefined;
  let streak = 0;
  for (let i = list.length - 1; i >= 0 && bad(list[i]!); i--) streak++;
  const last = [...list].reverse().find(bad)!;
  return { target, last, failures, of: list.length, streak };
}

/** Push targets first, then the most failures. */
function ordered(list: Failing[], facts: SessionFacts): Failing[] {
  return [...list].sort(
    (a, b) => Number(facts.isPushTarget(b.target)) - Number(facts.isPushTarget(a.target)) || b.failures - a.failures,
  );
}

function evidenceOf(list: Failing[]): string[] {
  return capEvidence(
    list.map(
      (f) =>
        `${f.target}: ${f.last.code} in ${f.failures} of the last ${f.of} rounds (last ${clock(f.last.t)}: ${f.last.message ?? ''})`,
    ),
  );
}

/** The probe's own failure states what failed; three rounds running cover it, one is thin. */
function coverageOf(list: Failing[]): Finding['coverage'] {
  const best = Math.max(...list.map((f) => f.streak));
  return best >= 3 ? 'full' : best >= 2 ? 'partial' : 'thin';
}

function boostOf(list: Failing[], facts: SessionFacts): number {
  if (!facts.pushTargets().length) return 0;
  return list.some((f) => facts.isPushTarget(f.target)) ? 12 : -20;
}

function describeNetwork(failing: Failing[], facts: SessionFacts): Finding {
  const list = ordered(failing, facts);
  const parts = list.map((f) => {
    const meant = typoOfFailing(f, facts);
    return `${f.target} at ${phasePoint(f.last.phase)} (${f.last.code}${meant ? `: did you mean ${meant}?` : ''})`;
  });
  const first = list[0]!;
  return {
    code: 'network.endpoint_failing',
    category: 'network',
    summary:
      list.length === 1
        ? singleSummary(first, facts)
        : `${list.length} registry endpoints fail their probes: ${parts.join('; ')}.`,
    evidence: evidenceOf(list),
    basis: 'stated',
    coverage: coverageOf(list),
    advice: adviceFor(first, facts),
    boost: boostOf(list, facts),
  };
}

function describeRegistry(failing: Failing[], facts: SessionFacts): Finding {
  const list = ordered(failing, facts);
  return {
    code: 'registry.unexpected_answer',
    category: 'registry',
    summary: `${list.map((f) => f.target).join(', ')} answer${list.length === 1 ? 's' : ''} GET /v2/ in a way docker cannot use (${list[0]!.last.code}).`,
    evidence: evidenceOf(list),
    basis: 'stated',
    coverage: coverageOf(list),
    advice:
      "Check that the host really is the registry (not a proxy or captive page answering for it), and try again later; if it persists, it is on the registry's side.",
    boost: boostOf(list, facts),
  };
}

/** One endpoint's failure; a name that does not exist and looks like a typo says what was meant. */
function singleSummary(f: Failing, facts: SessionFacts): string {
  const meant = typoOfFailing(f, facts);
  if (meant) return `${f.target} does not exist: did you mean ${meant}?`;
  return `${f.target} fails its probes: ${phaseWords(f.last.phase)} fail with ${f.last.code}.`;
}

/** What a target that does not exist (NXDOMAIN) was probably meant to be. */
function typoOfFailing(f: Failing, facts: SessionFacts): string | undefined {
  return f.last.code === 'dns.nxdomain' ? typoOf(f.target, facts) : undefined;
}

/** The Google registry host a typed target probably stands for (with its port, if it had one). */
function typoOf(target: string, facts: SessionFacts): string | undefined {
  const info = facts.targets.get(target);
  if (!info || info.source === 'default') return undefined;
  const meant = likelyGoogleHost(info.host);
  return meant && (info.port === 443 ? meant : `${meant}:${info.port}`);
}

function adviceFor(f: Failing, facts: SessionFacts): string {
  const code = f.last.code ?? '';
  if (code === 'dns.nxdomain') return nxdomainAdvice(f.target, facts);
  if (code.startsWith('dns.'))
    return 'Check the resolver (/etc/resolv.conf, `resolvectl status`) and compare with another one: `gcrwatch --dns-server 8.8.8.8`.';
  if (code.startsWith('proxy.'))
    return "The proxy is in the way: check HTTPS_PROXY/NO_PROXY and the proxy's rules for the registry hosts.";
  if (code.startsWith('tcp.'))
    return `Connections to ${f.target} fail: check firewalls, proxies (HTTPS_PROXY) and routes; \`gcrwatch -4\` / \`-6\` compares address families.`;
  if (code.startsWith('tls.'))
    return `TLS handshakes to ${f.target} fail: look for a proxy or firewall inspecting TLS, and for packet loss (MTU).`;
  return `${f.target} does not answer HTTP properly: look for a proxy or captive portal in the way.`;
}

/**
 * "Check the spelling" only for a host the user typed that fails while the well-known ones
 * resolve; Google's own hosts exist, so for them the resolver is at fault.
 */
function nxdomainAdvice(target: string, facts: SessionFacts): string {
  const compare = 'compare with a public resolver: `gcrwatch --dns-server 8.8.8.8`';
  const meant = typoOf(target, facts);
  if (meant) {
    const fix =
      facts.targets.get(target)?.source === 'flag'
        ? `watch it with \`gcrwatch ${meant}\``
        : 'correct the image name (its registry is the part before the first /)';
    return `The resolver says ${target} does not exist: did you mean ${meant}? Google's registries are gcr.io, us.gcr.io, eu.gcr.io, asia.gcr.io and LOCATION-docker.pkg.dev; ${fix}.`;
  }
  if (facts.targets.get(target)?.source === 'default')
    return `The resolver says ${target} does not exist, but it is Google's host: the resolver knows no public names (a split-horizon or sandboxed resolver, a VPN's DNS); ${compare}, and check /etc/resolv.conf.`;
  if (facts.wellKnownResolve())
    return `The name ${target} does not exist while Google's hosts resolve: check the spelling of the registry host (regional hosts are like europe-west1-docker.pkg.dev).`;
  return `The resolver says ${target} does not exist: the name is mistyped, or the resolver knows no public names; ${compare} to tell which.`;
}

/**
 * Rule: DNS fails for some resolvers but not for others — typically the system resolver
 * (what docker uses) fails while a `--dns-server` answers, which puts the blame on the local
 * resolver (systemd-resolved, a VPN's DNS, a corporate forwarder); or the reverse, which
 * only means the extra server is blocked.
 */
import type { DnsAnswer, SessionEvent } from '../../events.js';
import { Ring } from '../../stats/ring.js';
import { capEvidence, clock } from '../format-evidence.js';
import type { SessionFacts } from '../facts.js';
import type { Finding, Rule } from '../types.js';

/** The rule's name, as its file is named. */
const DNS_RESOLVER_SPLIT = 'dns-resolver-split';

const WINDOW = 5;

interface Round {
  t: number;
  answers: DnsAnswer[];
}

/** Create the rule. */
export function dnsResolverSplit(): Rule {
  const rounds = new Map<string, Ring<Round>>();
  return {
    name: DNS_RESOLVER_SPLIT,
    observe(event: SessionEvent, facts: SessionFacts): boolean {
      if (event.type !== 'probe' || (event.details.dns?.length ?? 0) < 2) return false;
      let ring = rounds.get(event.target);
      if (!ring) rounds.set(event.target, (ring = new Ring(WINDOW)));
      ring.push({ t: facts.now, answers: event.details.dns!.map((d) => ({ ...d, v4: [], v6: [] })) });
      return true;
    },
    findings(facts) {
      const splits = [...rounds.entries()]
        .map(([target, ring]) => splitOf(target, ring.toArray()))
        .filter((s): s is Split => Boolean(s));
      return splits.length ? [describe(splits, facts)] : [];
    },
  };
}

interface Split {
  target: string;
  failing: DnsAnswer;
  working: DnsAnswer;
  at: number;
  rounds: number;
  of: number;
}

/** In the latest round a resolver failed that another answered, and it failed before too. */
function splitOf(target: string, list: Round[]): Split | undefined {
  const last = list[list.length - 1]!;
  const failing = last.answers.find((a) => !a.ok);
  const working = last.answers.find((a) => a.ok);
  if (!failing || !working) return undefined;
  const rounds = list.filter((r) => r.answers.some((a) => a.resolver === failing.resolver && !a.ok)).length;
  if (rounds < Math.min(2, list.length)) return undefined;
  return { target, failing, working, at: last.t, rounds, of: list.length };
}

function describe(splits: Split[], facts: SessionFacts): Finding {
  const systemFails = splits.some((s) => s.failing.resolver === 'system');
  const first = splits.find((s) => s.failing.resolver === 'system') ?? splits[0]!;
  const targets = [...new Set(splits.map((s) => s.target))];
  const evidence = splits.map(
    (s) =>
      `${s.target}: resolver ${s.failing.resolver} ${s.failing.error?.code ?? 'failed'} in ${s.rounds} of the last ${s.of} rounds (last ${clock(s.at)}); ${s.working.resolver} answered in ${Math.round(s.working.ms)} ms`,
  );
  const onPush = targets.some((t) => facts.isPushTarget(t));
  return {
    code: 'network.dns_resolver_split',
    category: 'network',
    summary: systemFails
      ? `The system resolver fails for ${targets.join(', ')} (${first.failing.error?.code ?? 'error'}) while ${first.working.resolver} answers: docker uses the system resolver, so the local DNS set-up is the problem.`
      : `Resolver ${first.failing.resolver} fails for ${targets.join(', ')} (${first.failing.error?.code ?? 'error'}) while the system resolver answers: that server is blocked or broken, docker is not affected.`,
    evidence: capEvidence(evidence),
    basis: 'stated',
    coverage: splits.some((s) => s.rounds >= 3) ? 'full' : 'partial',
    advice: systemFails
      ? `Check /etc/resolv.conf and the local resolver (\`resolvectl status\`, the VPN's DNS); the docker daemon can be given working servers with "dns": ["${first.working.resolver}"] in /etc/docker/daemon.json.`
      : `Nothing to fix for docker; drop --dns-server ${first.failing.resolver} or allow DNS to it through the firewall.`,
    boost: systemFails ? (onPush ? 8 : 0) : -35,
  };
}

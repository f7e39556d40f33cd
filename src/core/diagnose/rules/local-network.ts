/**
 * Rule: the trouble is this machine's network, not the registries — Google's own hosts (the
 * defaults, which exist) fail to resolve, or every target fails DNS the same way: the local
 * resolver knows no public names (offline, a split-horizon corporate resolver, a sandbox) or
 * does not answer. Likewise every target failing its TCP connect the same way: no route, a
 * firewall, or offline. Names the resolver from what `session.start` recorded.
 */
import type { SessionEvent } from '../../events.js';
import { describeResolver } from '../../local-network.js';
import { capEvidence, clock } from '../format-evidence.js';
import type { SessionFacts } from '../facts.js';
import type { Finding, Rule } from '../types.js';

/** The rule's name, as its file is named. */
const LOCAL_NETWORK = 'local-network';

/** The latest round of a target, and how many rounds running failed the same way. */
interface Latest {
  t: number;
  ok: boolean;
  phase?: string;
  code?: string;
  streak: number;
}

/** Create the rule. */
export function localNetwork(): Rule {
  const targets = new Map<string, Latest>();
  return {
    name: LOCAL_NETWORK,
    observe(event: SessionEvent, facts: SessionFacts): boolean {
      if (event.type !== 'probe') return false;
      const prev = targets.get(event.target);
      // Another resolver (--dns-server) answering makes it a split between resolvers: dns-resolver-split's story.
      if (event.error?.phase === 'dns' && event.details.dns?.some((d) => d.ok)) return targets.delete(event.target);
      const phase = event.error?.phase;
      const code = event.error?.code;
      const same = !event.ok && prev && !prev.ok && prev.phase === phase && prev.code === code;
      targets.set(event.target, {
        t: facts.now,
        ok: event.ok,
        ...(phase ? { phase } : {}),
        ...(code ? { code } : {}),
        streak: event.ok ? 0 : same ? prev.streak + 1 : 1,
      });
      return !event.ok || (prev !== undefined && !prev.ok);
    },
    findings(facts) {
      // In the session's target order, not the order answers came in: the same names lead every time.
      const order = [...facts.targets.keys()];
      const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
      const all = [...targets.entries()].sort(([a], [b]) => rank(a) - rank(b));
      const out: Finding[] = [];
      const resolver = failingResolver(all, facts);
      if (resolver) out.push(describeResolverFailure(resolver, facts));
      const connect = all.filter(([, l]) => !l.ok && l.phase === 'connect');
      if (all.length >= 2 && connect.length === all.length && sameCode(connect))
        out.push(describeConnectFailure(connect, facts));
      return out;
    },
  };
}

type Entry = [string, Latest];

function sameCode(list: Entry[]): boolean {
  return new Set(list.map(([, l]) => l.code)).size === 1;
}

/**
 * The targets that put the blame on the resolver: every well-known host failing DNS, or
 * every target (two or more) failing DNS with the same code.
 */
function failingResolver(all: Entry[], facts: SessionFacts): { list: Entry[]; wellKnown: boolean } | undefined {
  const dns = (e: Entry) => !e[1].ok && e[1].phase === 'dns';
  const wellKnown = all.filter(([id]) => facts.targets.get(id)?.source === 'default');
  if (wellKnown.length && wellKnown.every(dns)) return { list: wellKnown, wellKnown: true };
  if (all.length >= 2 && all.every(dns) && sameCode(all)) return { list: all, wellKnown: false };
  return undefined;
}

/**
 * What the resolver does with `names`, by code, conclusion first (the dashboard's header shows
 * the start): `who` is the resolver as named by describeResolver, `one` a single host.
 */
const RESOLVER_SAYS: Record<string, (who: string, names: string, one: boolean, google: boolean) => string> = {
  'dns.nxdomain': (who, names, one, google) =>
    `The resolver knows no public names: ${who} answers that ${names} ${one ? 'does' : 'do'} not exist (NXDOMAIN)${google ? `, though ${one ? "it is Google's host" : "they are Google's hosts"}` : ''}; offline, a split-horizon corporate resolver, or a sandbox`,
  'dns.timeout': (who, names) =>
    `The resolver does not answer: ${who}, asked for ${names} (dns.timeout); it cannot be reached, or this machine is offline`,
  'dns.servfail': (who, names) =>
    `The resolver fails: ${who} answers SERVFAIL for ${names}; it cannot reach the servers it forwards to`,
  'dns.refused': (who, names) => `The resolver refuses: ${who} answers REFUSED for ${names}`,
};

function describeResolverFailure(
  { list, wellKnown }: { list: Entry[]; wellKnown: boolean },
  facts: SessionFacts,
): Finding {
  const codes = [...new Set(list.map(([, l]) => l.code ?? 'dns.error'))];
  const offline = facts.network !== undefined && facts.network.interfaces.length === 0;
  const who = describeResolver(facts.network);
  const names = list.map(([id]) => id);
  const named = `${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`;
  const says =
    codes.length === 1 && RESOLVER_SAYS[codes[0]!]
      ? RESOLVER_SAYS[codes[0]!]!(who, named, names.length === 1, wellKnown)
      : `The resolver fails: ${who}, asked for ${named} (${codes.join(', ')})`;
  const evidence = list.map(([id, l]) => `${clock(l.t)} ${id}: ${l.code} in ${l.streak} round(s) running`);
  evidence.push(`this machine's resolver: ${who}`);
  if (facts.network) evidence.push(`interfaces besides loopback: ${facts.network.interfaces.join(', ') || 'none'}`);
  const stub = facts.network?.stub
    ? "; systemd-resolved's own servers are in /run/systemd/resolve/resolv.conf (`resolvectl status`)"
    : '';
  return {
    code: 'local.resolver',
    category: 'local',
    summary: `${says}. The trouble is this machine's DNS, not the registries.${offline ? ' No interface besides loopback has an address: this machine looks offline.' : ''}`,
    evidence: capEvidence(evidence),
    basis: 'stated',
    coverage: Math.min(...list.map(([, l]) => l.streak)) >= 2 ? 'full' : 'partial',
    advice: `${offline ? 'Connect this machine to a network first (`ip addr`, `ip route`). ' : ''}Compare with a public resolver: \`gcrwatch --dns-server 8.8.8.8\` (if it answers, the local resolver is at fault); check the VPN or split-DNS set-up and /etc/resolv.conf${stub}. The docker daemon uses the same resolver unless "dns" is set in /etc/docker/daemon.json.`,
    boost: 0,
  };
}

const CONNECT_SAYS: Partial<Record<string, string>> = {
  'tcp.timeout': 'connects time out everywhere: packets are dropped (a firewall, no route, or offline)',
  'tcp.refused':
    'connects are refused everywhere: a local firewall rejects them, or something on this side answers for every address',
  'tcp.unreachable':
    'no route to any registry: this machine has no route out (offline, or a VPN that took the default route)',
};

function describeConnectFailure(list: Entry[], facts: SessionFacts): Finding {
  const code = list[0]![1].code ?? 'tcp.error';
  const names = list.map(([id]) => id);
  const offline = facts.network !== undefined && facts.network.interfaces.length === 0;
  const evidence = list.map(([id, l]) => `${clock(l.t)} ${id}: ${code} in ${l.streak} round(s) running`);
  if (facts.network) evidence.push(`interfaces besides loopback: ${facts.network.interfaces.join(', ') || 'none'}`);
  return {
    code: 'local.connectivity',
    category: 'local',
    summary: `Every registry host fails its TCP connect the same way (${code}) — ${names.slice(0, 4).join(', ')}${names.length > 4 ? ` and ${names.length - 4} more` : ''}: ${CONNECT_SAYS[code] ?? 'the trouble is on this side'}, not the registries being down.`,
    evidence: capEvidence(evidence),
    basis: 'stated',
    coverage: Math.min(...list.map(([, l]) => l.streak)) >= 2 ? 'full' : 'partial',
    advice: `${offline ? 'Connect this machine to a network first. ' : ''}Check the way out: \`ip route\` (is there a default route?), the firewall (\`nft list ruleset\`), the VPN, and whether this network needs a proxy (HTTPS_PROXY); \`curl -v https://gcr.io/v2/\` shows the same from another tool.`,
  };
}

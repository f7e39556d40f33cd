/**
 * Rule: one address family fails while the other works — IPv6 addresses in DNS that do not
 * connect (the classic IPv6 black hole: docker falls back to IPv4, after a delay on every
 * new connection), or the reverse. Read from each round's `details.tcp`, which holds one
 * connect attempt per family.
 */
import type { SessionEvent, TcpAttempt } from '../../events.js';
import { Ring } from '../../stats/ring.js';
import { capEvidence, clock } from '../format-evidence.js';
import type { SessionFacts } from '../facts.js';
import type { Finding, Rule } from '../types.js';

export const ADDRESS_FAMILY = 'address-family';

/** Recent connect attempts per family considered. */
const WINDOW = 5;
/** Failures (of the window) before a family is called unreachable. */
const NEEDED = 3;

interface FamilyState {
  recent: Ring<boolean>;
  last?: TcpAttempt & { t: number };
}

/** Create the rule. */
export function addressFamily(): Rule {
  const targets = new Map<string, Record<4 | 6, FamilyState>>();
  return {
    name: ADDRESS_FAMILY,
    observe(event: SessionEvent, facts: SessionFacts): boolean {
      if (event.type !== 'probe' || !event.details.tcp?.length) return false;
      let state = targets.get(event.target);
      if (!state) {
        state = { 4: { recent: new Ring(WINDOW) }, 6: { recent: new Ring(WINDOW) } };
        targets.set(event.target, state);
      }
      for (const a of event.details.tcp) {
        state[a.family].recent.push(a.ok);
        state[a.family].last = { ...a, t: facts.now };
      }
      return true;
    },
    findings(facts) {
      const out: Finding[] = [];
      for (const family of [6, 4] as const) {
        const broken = [...targets.entries()].filter(([, s]) => familyDown(s[family]) && familyUp(s[family === 4 ? 6 : 4]));
        if (broken.length) out.push(describe(family, broken, facts));
      }
      return out;
    },
  };
}

function failures(s: FamilyState): number {
  return s.recent.toArray().filter((ok) => !ok).length;
}

/** The family's latest attempt failed, and enough of the recent ones (all, early on). */
function familyDown(s: FamilyState): boolean {
  return Boolean(s.last && !s.last.ok && failures(s) >= Math.min(NEEDED, s.recent.size));
}

function familyUp(s: FamilyState): boolean {
  return Boolean(s.last?.ok);
}

function describe(family: 4 | 6, broken: Array<[string, Record<4 | 6, FamilyState>]>, facts: SessionFacts): Finding {
  const other = family === 4 ? 6 : 4;
  const names = broken.map(([t]) => t);
  const evidence = broken.map(([t, s]) => {
    const bad = s[family].last!;
    const good = s[other].last!;
    return `${t}: IPv${family} ${bad.address} ${bad.error?.code ?? 'failed'} in ${failures(s[family])} of the last ${s[family].recent.size} rounds (last ${clock(bad.t)}); IPv${other} ${good.address} connects in ${Math.round(good.ms)} ms`;
  });
  const sure = broken.some(([, s]) => failures(s[family]) >= NEEDED);
  const onPush = names.some((n) => facts.isPushTarget(n));
  return {
    code: family === 6 ? 'network.ipv6_unreachable' : 'network.ipv4_unreachable',
    category: 'network',
    summary: family === 6
      ? `${names.join(', ')} ${names.length > 1 ? 'have' : 'has'} IPv6 addresses in DNS that do not connect (an IPv6 black hole), while IPv4 works: docker falls back to IPv4, but new connections can stall first.`
      : `${names.join(', ')} ${names.length > 1 ? 'do' : 'does'} not connect over IPv4 while IPv6 works.`,
    evidence: capEvidence(evidence),
    confidence: sure ? (broken.length > 1 || onPush ? 'high' : 'medium') : 'low',
    advice: family === 6
      ? 'Fix the IPv6 route or firewall of this network, or stop using IPv6 for the registry: disable IPv6 on the host (sysctl net.ipv6.conf.all.disable_ipv6=1) or give the docker daemon an IPv4-only resolver; `gcrwatch -4` and `-6` compare both.'
      : 'Check the IPv4 route and firewall (or the NAT gateway) of this network; `gcrwatch -4` and `-6` compare both families.',
    boost: onPush ? 10 : 0,
  };
}

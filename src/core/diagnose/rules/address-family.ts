/**
 * Rule: one address family fails while the other works — IPv6 addresses in DNS that do not
 * connect (the classic IPv6 black hole: docker falls back to IPv4, after a delay on every
 * new connection), or the reverse. Read from each round's `details.tcp`, which holds one
 * connect attempt per family.
 */
import type { SessionEvent, TcpAttempt } from '../../events.js';
import { capEvidence, clock } from '../format-evidence.js';
import type { SessionFacts } from '../facts.js';
import type { Finding, Rule } from '../types.js';

/** The rule's name, as its file is named. */
const ADDRESS_FAMILY = 'address-family';

/** Recent connect attempts per family considered. */
const WINDOW = 5;
/** Failures (of the window) before a family is called unreachable. */
const NEEDED = 3;

interface FamilyState {
  /** Outcomes of the last WINDOW attempts, oldest first (a plain array: read on every round). */
  recent: boolean[];
  last?: TcpAttempt;
  lastAt?: number;
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
        state = { 4: { recent: [] }, 6: { recent: [] } };
        targets.set(event.target, state);
      }
      const wasSplit = splitOf(state);
      for (const a of event.details.tcp) {
        const f = state[a.family];
        f.recent.push(a.ok);
        if (f.recent.length > WINDOW) f.recent.shift();
        f.last = a;
        f.lastAt = facts.now;
      }
      // Only a target that is, or was, split by family can change the finding.
      return wasSplit || splitOf(state);
    },
    findings(facts) {
      const out: Finding[] = [];
      for (const family of [6, 4] as const) {
        const broken = [...targets.entries()].filter(
          ([, s]) => familyDown(s[family]) && familyUp(s[family === 4 ? 6 : 4]),
        );
        if (broken.length) out.push(describe(family, broken, facts));
      }
      return out;
    },
  };
}

/** One family down while the other is up. */
function splitOf(s: Record<4 | 6, FamilyState>): boolean {
  return (familyDown(s[6]) && familyUp(s[4])) || (familyDown(s[4]) && familyUp(s[6]));
}

function failures(s: FamilyState): number {
  let n = 0;
  for (const ok of s.recent) if (!ok) n++;
  return n;
}

/** The family's latest attempt failed, and enough of the recent ones (all, early on). */
function familyDown(s: FamilyState): boolean {
  return Boolean(s.last && !s.last.ok && failures(s) >= Math.min(NEEDED, s.recent.length));
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
    return `${t}: IPv${family} ${bad.address} ${bad.error?.code ?? 'failed'} in ${failures(s[family])} of the last ${s[family].recent.length} rounds (last ${clock(s[family].lastAt!)}); IPv${other} ${good.address} connects in ${Math.round(good.ms)} ms`;
  });
  const sure = broken.some(([, s]) => failures(s[family]) >= NEEDED);
  const onPush = names.some((n) => facts.isPushTarget(n));
  return {
    code: family === 6 ? 'network.ipv6_unreachable' : 'network.ipv4_unreachable',
    category: 'network',
    summary:
      family === 6
        ? `${names.join(', ')} ${names.length > 1 ? 'have' : 'has'} IPv6 addresses in DNS that do not connect (an IPv6 black hole), while IPv4 works: docker falls back to IPv4, but new connections can stall first.`
        : `${names.join(', ')} ${names.length > 1 ? 'do' : 'does'} not connect over IPv4 while IPv6 works.`,
    evidence: capEvidence(evidence),
    basis: 'stated',
    coverage: sure ? 'full' : 'thin',
    advice:
      family === 6
        ? 'Fix the IPv6 route or firewall of this network, or stop using IPv6 for the registry: disable IPv6 on the host (sysctl net.ipv6.conf.all.disable_ipv6=1) or give the docker daemon an IPv4-only resolver; `gcrwatch -4` and `-6` compare both.'
        : 'Check the IPv4 route and firewall (or the NAT gateway) of this network; `gcrwatch -4` and `-6` compare both families.',
    boost: onPush ? 10 : 0,
  };
}

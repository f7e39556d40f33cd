/**
 * Rule: the push's retries (and network errors) came while probes to the push target were
 * failing on the network or slowing down. Names the phase and the endpoint, so the user
 * knows it is reachability (DNS, TCP, TLS, first byte) and where.
 */
import type { SessionEvent } from '../../events.js';
import { AttemptCorrelator, describeAttempt, isNetworkCause, type JudgedAttempt } from '../attempt-correlation.js';
import { coverageOf } from '../confidence.js';
import { capEvidence, clock, phaseWords, plural } from '../format-evidence.js';
import type { SessionFacts } from '../facts.js';
import type { Finding, Rule } from '../types.js';

/** The rule's name, as its file is named. */
const RETRIES_WITH_PROBE_TROUBLE = 'retries-with-probe-trouble';

/** Create the rule. */
export function retriesWithProbeTrouble(): Rule {
  const correlator = new AttemptCorrelator();
  return {
    name: RETRIES_WITH_PROBE_TROUBLE,
    observe: (event: SessionEvent, facts: SessionFacts) => correlator.observe(event, facts),
    finish: (facts: SessionFacts) => correlator.finish(facts),
    findings: () => {
      const hits = correlator.withVerdict('network');
      if (!hits.length) return [];
      return [describe(hits, correlator.counts.network, correlator.total)];
    },
  };
}

function describe(hits: JudgedAttempt[], matched: number, total: number): Finding {
  const { phase, target } = dominant(hits);
  const what =
    phase === 'ttfb'
      ? `first bytes of HTTP answers from ${target} were slow`
      : `${phaseWords(phase)} to ${target} were failing or slow`;
  const evidence = hits.map(
    (h) => `${describeAttempt(h)} - probe of ${h.target} at ${clock(h.probeAt!)}: ${h.detail ?? 'failed'}`,
  );
  // The daemon's own network cause for every matched attempt states it; else the probes only coincide.
  const stated = hits.every((h) => isNetworkCause(h.causeCode));
  return {
    code: 'network.retries_with_probe_trouble',
    category: 'network',
    summary: `${matched} of ${plural(total, 'failed push attempt', 'failed push attempts')} came while ${what}: the network path to the registry is the cause.`,
    evidence: capEvidence(evidence),
    basis: stated ? 'stated' : 'coincidence',
    coverage: coverageOf(matched, total),
    advice: adviceFor(phase, target),
  };
}

/** The phase and target that decided most of the attempts. */
function dominant(hits: JudgedAttempt[]): { phase: string; target: string } {
  const tally = new Map<string, number>();
  for (const h of hits) {
    const key = `${h.phase ?? 'probe'}|${h.target}`;
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  const [key] = [...tally.entries()].sort((a, b) => b[1] - a[1])[0]!;
  const [phase, target] = key.split('|') as [string, string];
  return { phase, target };
}

function adviceFor(phase: string, target: string): string {
  switch (phase) {
    case 'dns':
      return `Check the resolver this machine and the docker daemon use (/etc/resolv.conf, systemd-resolved); compare with \`gcrwatch --dns-server 8.8.8.8 --target ${target}\`.`;
    case 'connect':
      return `Connections to ${target} are dropped or refused: check firewalls, the proxy and the route (\`gcrwatch -4\` / \`-6\` to compare address families).`;
    case 'tls':
      return `TLS handshakes to ${target} stall: look for a proxy or firewall inspecting TLS, and for packet loss (MTU); \`gcrwatch --only --target ${target}\` shows when it recovers.`;
    default:
      return `The registry endpoint ${target} is slow to answer at those moments: retry the push outside the bad periods, or push to another regional endpoint.`;
  }
}

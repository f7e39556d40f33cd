/**
 * Rule: the push retried while every probe to the push target was healthy, and the daemon
 * (or the tool) said why in network terms: connection reset, EOF, TLS handshake timeout.
 * Reachability is fine, so the trouble is on the upload path itself: throughput, MTU, a
 * proxy on the daemon's side, or the daemon. Retries with no stated cause are not this
 * rule's: healthy probes alone do not say "network" (see push-cause-unknown).
 */
import type { SessionEvent } from '../../events.js';
import { AttemptCorrelator, describeAttempt, isNetworkCause, type JudgedAttempt } from '../attempt-correlation.js';
import { coverageOf } from '../confidence.js';
import { capEvidence, plural, quote } from '../format-evidence.js';
import type { SessionFacts } from '../facts.js';
import type { Finding, Rule } from '../types.js';

/** The rule's name, as its file is named. */
const RETRIES_WITH_HEALTHY_PROBES = 'retries-with-healthy-probes';

/** Create the rule. */
export function retriesWithHealthyProbes(): Rule {
  const correlator = new AttemptCorrelator();
  return {
    name: RETRIES_WITH_HEALTHY_PROBES,
    observe: (event: SessionEvent, facts: SessionFacts) => correlator.observe(event, facts),
    finish: (facts: SessionFacts) => correlator.finish(facts),
    findings: (facts) => {
      const stated = correlator.withVerdict('healthy').filter((a) => isNetworkCause(a.causeCode));
      const judged = correlator.total - correlator.counts.unknown;
      // Most of the attempts must be these, or the probe-trouble rule tells the story.
      if (!stated.length || stated.length * 2 < judged) return [];
      return [describe(stated, correlator.total, facts)];
    },
  };
}

function describe(healthy: JudgedAttempt[], total: number, facts: SessionFacts): Finding {
  const target = healthy[0]!.target!;
  const causes = causesOf(healthy);
  const evidence = healthy.map((h) => `${describeAttempt(h)} - probes of ${target} around it all healthy`);
  if (facts.engine?.maxConcurrentUploads)
    evidence.push(`docker engine: max-concurrent-uploads ${facts.engine.maxConcurrentUploads}`);
  const proxy = facts.engine?.httpsProxy ?? facts.engine?.httpProxy;
  if (proxy) evidence.push(`docker engine uses proxy ${proxy}`);
  return {
    code: 'network.upload_path',
    category: 'network',
    summary: `${healthy.length} of ${plural(total, 'failed push attempt', 'failed push attempts')} came while every probe to ${target} was healthy: reachability is fine, the upload path itself fails (throughput, MTU, proxy or the daemon). The daemon says: ${causes.map((c) => quote(c, 90)).join('; ')}.`,
    evidence: capEvidence(evidence),
    basis: 'stated',
    coverage: coverageOf(healthy.length, total),
    advice: advice(facts),
  };
}

/** The distinct causes the daemon or the tool gave. */
function causesOf(healthy: JudgedAttempt[]): string[] {
  const all = healthy.map((h) => h.cause).filter((c): c is string => Boolean(c));
  // "write tcp 10.0.0.5:50412->192.0.2.10:443: write: connection reset by peer" differs per connection; the cause does not.
  const plain = all.map((c) => c.replace(/^.*retrying:\s*/i, '').replace(/^(?:write|read|dial) tcp \S+: /, ''));
  return [...new Set(plain)].slice(0, 3);
}

function advice(facts: SessionFacts): string {
  const uploads = facts.engine?.maxConcurrentUploads;
  const steps = [
    `lower parallel uploads: "max-concurrent-uploads": 1 in /etc/docker/daemon.json${uploads ? ` (now ${uploads})` : ''}, then restart docker`,
    "check the proxy the daemon itself uses (`docker info | grep -i proxy`, systemd drop-ins for docker.service), which differs from your shell's",
    'check for MTU trouble on VPNs and tunnels (`ip link`; try a lower MTU)',
  ];
  return `${steps.map((s) => s[0]!.toUpperCase() + s.slice(1)).join('. ')}.`;
}

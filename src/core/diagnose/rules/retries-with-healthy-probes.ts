/**
 * Rule: the push retried while every probe to the push target was healthy. Reachability is
 * fine, so the trouble is on the upload path itself: throughput, MTU, a proxy on the
 * daemon's side, or the daemon. Says what the daemon's log gave as the cause, and what to
 * look at (max-concurrent-uploads, the daemon's proxy settings).
 */
import type { SessionEvent } from '../../events.js';
import { AttemptCorrelator, describeAttempt, type JudgedAttempt } from '../attempt-correlation.js';
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
      const healthy = correlator.withVerdict('healthy');
      const judged = correlator.total - correlator.counts.unknown;
      // Most of the attempts must be healthy ones, or the probe-trouble rule tells the story.
      if (!healthy.length || correlator.counts.healthy * 2 < judged) return [];
      return [describe(healthy, correlator.counts.healthy, correlator.total, facts)];
    },
  };
}

function describe(healthy: JudgedAttempt[], count: number, total: number, facts: SessionFacts): Finding {
  const target = healthy[0]!.target!;
  const causes = causesOf(healthy, facts);
  const evidence = healthy.map((h) => `${describeAttempt(h)} - probes of ${target} around it all healthy`);
  if (facts.engine?.maxConcurrentUploads)
    evidence.push(`docker engine: max-concurrent-uploads ${facts.engine.maxConcurrentUploads}`);
  const proxy = facts.engine?.httpsProxy ?? facts.engine?.httpProxy;
  if (proxy) evidence.push(`docker engine uses proxy ${proxy}`);
  const because = causes.length ? ` The daemon says: ${causes.map((c) => quote(c, 90)).join('; ')}.` : '';
  return {
    code: 'network.upload_path',
    category: 'network',
    summary: `${count} of ${plural(total, 'failed push attempt', 'failed push attempts')} came while every probe to ${target} was healthy: reachability is fine, the upload path itself fails (throughput, MTU, proxy or the daemon).${because}`,
    evidence: capEvidence(evidence),
    confidence: count >= 2 && count === total ? 'high' : count >= 2 ? 'medium' : 'low',
    advice: advice(causes, facts),
  };
}

/** The distinct causes: from the retries themselves, else from the daemon's log lines. */
function causesOf(healthy: JudgedAttempt[], facts: SessionFacts): string[] {
  const fromRetries = healthy.map((h) => h.cause).filter((c): c is string => Boolean(c));
  const all = fromRetries.length ? fromRetries : facts.daemonCauses.toArray().map((d) => d.message);
  // "write tcp 10.0.0.5:50412->192.0.2.10:443: write: connection reset by peer" differs per connection; the cause does not.
  const plain = all.map((c) => c.replace(/^.*retrying:\s*/i, '').replace(/^(?:write|read|dial) tcp \S+: /, ''));
  return [...new Set(plain)].slice(0, 3);
}

function advice(causes: string[], facts: SessionFacts): string {
  const steps: string[] = [];
  if (!causes.length)
    steps.push(
      'see why the daemon retried: `gcrwatch --daemon-log journal -- docker push ...` (or `journalctl -u docker`)',
    );
  const uploads = facts.engine?.maxConcurrentUploads;
  steps.push(
    `lower parallel uploads: "max-concurrent-uploads": 1 in /etc/docker/daemon.json${uploads ? ` (now ${uploads})` : ''}, then restart docker`,
  );
  steps.push(
    "check the proxy the daemon itself uses (`docker info | grep -i proxy`, systemd drop-ins for docker.service), which differs from your shell's",
  );
  steps.push('check for MTU trouble on VPNs and tunnels (`ip link`; try a lower MTU)');
  return `${steps.map((s) => s[0]!.toUpperCase() + s.slice(1)).join('. ')}.`;
}

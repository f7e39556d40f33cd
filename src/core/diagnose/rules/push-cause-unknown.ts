/**
 * Rule: the push retried, or failed, and nothing said why — docker's CLI shows only
 * "Retrying in 5 seconds", the probes around each retry were healthy (or there were none to
 * compare), no cause came from the daemon's log, and no error line was recognised. Healthy
 * probes rule the reachability out, not the rest: this finding says the cause is unknown,
 * with low confidence, and how to see it, instead of picking a category by elimination.
 */
import type { SessionEvent } from '../../events.js';
import { describeDaemonLogSource } from '../../push/daemon-log-source.js';
import { AttemptCorrelator, describeAttempt, type JudgedAttempt } from '../attempt-correlation.js';
import { capEvidence, clock, plural, quote } from '../format-evidence.js';
import type { SessionFacts } from '../facts.js';
import type { Finding, Rule } from '../types.js';

/** The rule's name, as its file is named. */
const PUSH_CAUSE_UNKNOWN = 'push-cause-unknown';

interface SilentFailure {
  t: number;
  exitCode: number;
  /** An error line the tool printed that no pattern knew. */
  text?: string;
}

/** Create the rule. */
export function pushCauseUnknown(): Rule {
  const correlator = new AttemptCorrelator();
  let known = false;
  let unrecognised: string | undefined;
  let failure: SilentFailure | undefined;
  return {
    name: PUSH_CAUSE_UNKNOWN,
    observe(event: SessionEvent, facts: SessionFacts): boolean {
      const judged = correlator.observe(event, facts);
      if (event.type === 'push.start') [known, unrecognised] = [false, undefined];
      if (event.type === 'push.error') {
        if (event.code === 'push.error') unrecognised ??= event.text;
        else known = true;
      }
      if (event.type !== 'push.end') return judged;
      // Only a push tool's exit is a failed push; any other wrapped command's exit status is its own business.
      const pushTool = facts.push?.tool !== undefined && facts.push.tool !== 'generic';
      const silent = pushTool && event.exitCode !== null && event.exitCode !== 0 && !event.signal && !known;
      failure = silent
        ? { t: facts.now, exitCode: event.exitCode!, ...(unrecognised ? { text: unrecognised } : {}) }
        : undefined;
      return true;
    },
    finish: (facts: SessionFacts) => correlator.finish(facts),
    findings(facts) {
      const silent = correlator.judged.toArray().filter(unexplained);
      const many = silent.length > 0 && silent.length * 2 >= correlator.total;
      if (!many && !failure) return [];
      return [describe(many ? silent : [], correlator.total, failure, facts)];
    },
  };
}

/** A failed attempt no probe trouble and no stated cause accounts for. */
function unexplained(a: JudgedAttempt): boolean {
  return (a.verdict === 'healthy' || a.verdict === 'unknown') && !a.causeCode;
}

function describe(
  silent: JudgedAttempt[],
  total: number,
  failure: SilentFailure | undefined,
  facts: SessionFacts,
): Finding {
  const tool = facts.push?.tool && facts.push.tool !== 'generic' ? facts.push.tool : 'the push tool';
  const target = silent.find((a) => a.target)?.target ?? facts.pushTargets()[0];
  const parts: string[] = [];
  if (silent.length) {
    const probes = silent.every((a) => a.verdict === 'healthy')
      ? `while every probe of ${target} was healthy`
      : target
        ? `with no probe of ${target} close enough to compare`
        : 'with no push target probed to compare';
    const said = silent.find((a) => a.cause)?.cause;
    parts.push(
      `${plural(silent.length, 'retry', 'retries')}${silent.length < total ? ` of ${total}` : ''} ${probes}; ${said ? `the only reason given, ${quote(said, 100)}, is not one gcrwatch can place` : `${tool} did not say why`}`,
    );
  }
  if (failure)
    parts.push(
      `the push ended with exit ${failure.exitCode} and ${failure.text ? `an error gcrwatch does not recognise (${quote(failure.text, 100)})` : 'no error line gcrwatch recognises'}`,
    );
  const evidence = silent.map(
    (a) =>
      `${describeAttempt(a)} - ${a.verdict === 'healthy' ? `probes of ${a.target} around it healthy` : 'no probe to compare'}`,
  );
  if (failure) evidence.push(`${clock(failure.t)} push ended with exit ${failure.exitCode}`);
  evidence.push(
    `the daemon's log: ${facts.daemonLog ? describeDaemonLogSource(facts.daemonLog) : 'not read (no source recorded)'}`,
  );
  return {
    code: 'push.cause_unknown',
    category: 'unknown',
    summary: `The cause is unknown: ${parts.join('; and ')}.`,
    evidence: capEvidence(evidence),
    basis: 'inferred',
    coverage: 'full',
    advice: howToSee(silent, facts),
  };
}

/** What would settle it: the daemon's own reason for each retry. */
function howToSee(silent: JudgedAttempt[], facts: SessionFacts): string {
  const from = silent[0]?.t ?? facts.pushStartedAt ?? facts.now;
  const since = new Date(from - 60_000).toISOString().slice(0, 19).replace('T', ' ');
  const read = facts.daemonLog && facts.daemonLog.kind !== 'none';
  const tool = facts.push?.tool;
  if (tool && tool !== 'docker' && tool !== 'generic')
    return `To see the cause: run the push again with ${tool}'s debug output (\`--debug\` or \`--verbose\`), which prints each failed request with its status.`;
  return read
    ? `To see the cause: the daemon's log (${describeDaemonLogSource(facts.daemonLog!)}) gave no reason; run dockerd with debug logging ("debug": true in /etc/docker/daemon.json) and push again wrapped by gcrwatch, so each retry carries the daemon's reason.`
    : `To see the cause: read the docker daemon's log for those moments (\`journalctl -u docker.service --since "${since} UTC"\`, or /var/log/docker.log), or push again wrapped by gcrwatch where it can read that log (\`gcrwatch --daemon-log journal -- docker push IMAGE\`, or \`--daemon-log FILE\`), so each retry carries the daemon's reason.`;
}

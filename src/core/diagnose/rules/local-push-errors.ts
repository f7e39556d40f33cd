/**
 * Rule: the push fails on this machine, before the network matters — the docker daemon
 * cannot be reached, the disk is full, or the image to push does not exist locally. From
 * the push's errors; holds until a later push succeeds.
 */
import type { SessionEvent } from '../../events.js';
import { capEvidence, clock, quote } from '../format-evidence.js';
import type { SessionFacts } from '../facts.js';
import type { Finding, Rule } from '../types.js';

/** The rule's name, as its file is named. */
const LOCAL_PUSH_ERRORS = 'local-push-errors';

const ADVICE: Record<string, string> = {
  'push.daemon_unreachable':
    'Start the docker daemon (`systemctl start docker`) or point DOCKER_HOST at it; check that you may use its socket (the docker group).',
  'push.disk_full':
    'Free disk space where docker keeps its data (`docker system df`, `docker system prune`), and in /tmp.',
  'push.image_not_found':
    'Build or tag the image under the exact name you push (`docker images`, `docker tag SRC gcr.io/PROJECT/NAME:TAG`).',
};

/** Create the rule. */
export function localPushErrors(): Rule {
  const seen: Array<{ t: number; code: string; text: string }> = [];
  return {
    name: LOCAL_PUSH_ERRORS,
    observe(event: SessionEvent, facts: SessionFacts): boolean {
      if (event.type === 'push.error' && event.category === 'local' && seen.length < 10) {
        seen.push({ t: facts.now, code: event.code, text: event.text });
        return true;
      }
      if (event.type === 'push.end' && event.exitCode === 0 && seen.length) {
        seen.length = 0;
        return true;
      }
      return false;
    },
    findings() {
      if (!seen.length) return [];
      const first = seen[0]!;
      return [
        {
          code: 'local.push_environment',
          category: 'local',
          summary: `The push fails on this machine: ${quote(first.text, 160)}.`,
          evidence: capEvidence(seen.map((s) => `${clock(s.t)} ${s.code}: ${quote(s.text, 160)}`)),
          basis: 'stated',
          coverage: 'full',
          advice: ADVICE[first.code] ?? 'Fix the local error shown, then push again.',
        } satisfies Finding,
      ];
    },
  };
}

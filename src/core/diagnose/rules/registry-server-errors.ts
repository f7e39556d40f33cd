/**
 * Rule: the registry's own side fails — bursts of 5xx answers to the probes, or the push
 * tool reporting 5xx (as an error or as the cause of a retry). Holds while 5xx answers keep
 * coming within the last five minutes.
 */
import type { SessionEvent } from '../../events.js';
import { coverageOf, type Coverage } from '../confidence.js';
import { quote } from '../format-evidence.js';
import type { SessionFacts } from '../facts.js';
import { signalEvidence, SignalWindow } from '../signal-window.js';
import type { Finding, Rule } from '../types.js';

/** The rule's name, as its file is named. */
const REGISTRY_SERVER_ERRORS = 'registry-server-errors';

/** How long after the last 5xx the finding stays. */
const SPAN_MS = 5 * 60_000;
const FIVE_XX = /\b5\d\d\b|server error|service unavailable|bad gateway|gateway time-?out/i;

/** Create the rule. */
export function registryServerErrors(): Rule {
  const probes = new SignalWindow();
  const push = new SignalWindow();
  return {
    name: REGISTRY_SERVER_ERRORS,
    observe(event: SessionEvent, facts: SessionFacts): boolean {
      if (event.type === 'probe') {
        if (event.error?.code === 'http.5xx')
          probes.add({ t: facts.now, source: event.target, text: `HTTP ${event.details.http?.status ?? '5xx'}` });
        return true;
      }
      if (event.type === 'push.error' && event.code === 'push.server_error') {
        push.add({ t: facts.now, source: 'push', text: quote(event.text, 100) });
        return true;
      }
      if (
        event.type === 'push.retry' &&
        (event.causeCode === 'push.server_error' || (event.cause && FIVE_XX.test(event.cause)))
      ) {
        push.add({ t: facts.now, source: 'push retry', text: quote(event.cause ?? 'server error', 100) });
        return true;
      }
      return false;
    },
    findings(facts) {
      const fromProbes = probes.within(facts.now, SPAN_MS);
      const fromPush = push.within(facts.now, SPAN_MS);
      if (fromProbes.length < 2 && !fromPush.length) return [];
      const targets = [...new Set(fromProbes.map((s) => s.source))];
      const where = targets.length ? targets.join(', ') : (facts.push?.registry ?? 'the registry');
      return [
        {
          code: 'registry.server_errors',
          category: 'registry',
          summary: `${where} answered with server errors (5xx)${fromPush.length ? ' during the push' : ''}: the trouble is on the registry's side, not yours.`,
          evidence: signalEvidence([...fromPush, ...fromProbes].sort((a, b) => a.t - b.t)),
          basis: 'stated',
          coverage: coverage(fromPush.length, fromProbes.length, facts),
          advice:
            'Wait and push again (docker retries 5xx by itself); check https://status.cloud.google.com for Artifact Registry / Container Registry incidents, or push to another regional endpoint.',
          boost: fromPush.length ? 5 : 0,
        } satisfies Finding,
      ];
    },
  };
}

/**
 * The push's own 5xx cover it when they account for every retry of the push (the daemon or
 * the tool named the status each time); the probes' alone when three or more came.
 */
function coverage(push: number, probes: number, facts: SessionFacts): Coverage {
  if (push) return coverageOf(push, Math.max(push, facts.pushRetries));
  return probes >= 3 ? 'full' : 'partial';
}

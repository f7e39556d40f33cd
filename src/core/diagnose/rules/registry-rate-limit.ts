/**
 * Rule: rate limiting or quota — 429 answers (with the Retry-After the registry asked for)
 * to the probes, or `toomanyrequests` / `Quota exceeded` from the push. Holds until the
 * longer of five minutes and the asked wait has passed since the last one.
 */
import type { SessionEvent } from '../../events.js';
import { coverageOf } from '../confidence.js';
import { quote } from '../format-evidence.js';
import type { SessionFacts } from '../facts.js';
import { signalEvidence, SignalWindow } from '../signal-window.js';
import type { Finding, Rule } from '../types.js';

/** The rule's name, as its file is named. */
const REGISTRY_RATE_LIMIT = 'registry-rate-limit';

const SPAN_MS = 5 * 60_000;

/** Create the rule. */
export function registryRateLimit(): Rule {
  const signals = new SignalWindow();
  let pushSeen = false;
  /** Retries of the current push whose stated cause was a 429. */
  let limitedRetries = 0;
  return {
    name: REGISTRY_RATE_LIMIT,
    observe(event: SessionEvent, facts: SessionFacts): boolean {
      if (event.type === 'probe') {
        if (event.error?.code === 'http.429') {
          const after = event.details.http?.retryAfterSeconds;
          signals.add({
            t: facts.now,
            source: event.target,
            text: `HTTP 429${after !== undefined ? `, Retry-After ${after}s` : ''}`,
            ...(after !== undefined ? { retryAfterSeconds: after } : {}),
          });
        }
        return true;
      }
      if (event.type === 'push.error' && event.code === 'push.toomanyrequests') {
        signals.add({ t: facts.now, source: 'push', text: quote(event.text, 120) });
        pushSeen = true;
        return true;
      }
      if (event.type === 'push.start') limitedRetries = 0;
      if (event.type === 'push.retry' && event.causeCode === 'push.toomanyrequests') {
        signals.add({ t: facts.now, source: 'push retry', text: quote(event.cause ?? 'toomanyrequests', 120) });
        limitedRetries++;
        return true;
      }
      return false;
    },
    findings(facts) {
      const last = signals.last();
      if (!last) return [];
      const wait = Math.max(SPAN_MS, 1000 * (last.retryAfterSeconds ?? 0));
      if (facts.now - last.t > wait) return [];
      const recent = signals.within(facts.now, wait);
      const asked = recent.map((s) => s.retryAfterSeconds).filter((s): s is number => s !== undefined);
      const quota = recent.some((s) => /quota/i.test(s.text));
      return [
        {
          code: 'registry.rate_limited',
          category: 'registry',
          summary: `The registry is rate limiting ${quota ? '(quota exceeded)' : '(429 Too Many Requests)'}${asked.length ? ` and asks to wait ${Math.max(...asked)} s` : ''}: requests are refused until the limit resets.`,
          evidence: signalEvidence(recent),
          basis: 'stated',
          // The push's own 429 covers it; 429s stated as retry causes cover the retries they account for.
          coverage: pushSeen
            ? 'full'
            : limitedRetries
              ? coverageOf(limitedRetries, facts.pushRetries)
              : recent.length >= 2
                ? 'full'
                : 'partial',
          advice: quota
            ? 'Check the Artifact Registry quotas of the project (console: IAM & Admin > Quotas, "Requests per project per region") and ask for more, or spread pushes out; do not retry in a tight loop.'
            : `Wait${asked.length ? ` at least ${Math.max(...asked)} s` : ''} before pushing again, and lower the rate of pulls and pushes (CI parallelism, many runners behind one address).`,
          boost: pushSeen || limitedRetries ? 6 : 0,
        } satisfies Finding,
      ];
    },
  };
}

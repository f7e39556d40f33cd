/**
 * Rule: a permanent error is being retried by an outer loop — the same push is started
 * again and again (a CI retry, a shell loop) and ends each time with the same error that
 * docker itself does not retry (denied, unauthorized, manifest invalid, quota...). Retrying
 * cannot help; the cause must be fixed first. The finding takes the error's category.
 */
import type { SessionEvent } from '../../events.js';
import type { Category } from '../../errors.js';
import { Ring } from '../../stats/ring.js';
import { capEvidence, clock, quote } from '../format-evidence.js';
import type { SessionFacts } from '../facts.js';
import type { Finding, Rule } from '../types.js';

/** The rule's name, as its file is named. */
const OUTER_RETRY_LOOP = 'outer-retry-loop';

interface Attempt {
  t: number;
  code?: string;
  category?: Category;
  text?: string;
  ok?: boolean;
}

/** Pushes remembered. */
const KEEP = 20;

/** Create the rule. */
export function outerRetryLoop(): Rule {
  const pushes = new Ring<Attempt>(KEEP);
  let current: Attempt | undefined;
  return {
    name: OUTER_RETRY_LOOP,
    observe(event: SessionEvent, facts: SessionFacts): boolean {
      switch (event.type) {
        case 'push.start':
          current = { t: facts.now };
          return false;
        case 'push.error':
          // The permanent error docker gave up on; later lines of the same push do not replace it.
          if (current && !event.retryable && !current.code)
            Object.assign(current, { code: event.code, category: event.category as Category, text: event.text });
          return false;
        case 'push.end':
          if (!current) return false;
          current.ok = event.exitCode === 0;
          pushes.push(current);
          current = undefined;
          return true;
        default:
          return false;
      }
    },
    findings() {
      const list = pushes.toArray();
      const last = list[list.length - 1];
      if (!last?.code) return [];
      // The run of pushes, newest backwards, that ended with the same permanent error.
      const run: Attempt[] = [];
      for (let i = list.length - 1; i >= 0 && list[i]!.code === last.code && !list[i]!.ok; i--) run.unshift(list[i]!);
      if (run.length < 2) return [];
      return [
        {
          code: 'push.permanent_error_repeated',
          category: last.category ?? 'auth',
          summary: `The same push was started ${run.length} times and refused each time with ${last.code} (${quote(last.text ?? '', 120)}): this error is permanent, retrying cannot help.`,
          evidence: capEvidence(run.map((a, i) => `${clock(a.t)} push ${i + 1}: ${a.code}`)),
          basis: 'stated',
          coverage: run.length >= 3 ? 'full' : 'partial',
          advice: `Stop retrying this push (CI retry settings, wrapper loops) and fix the cause of ${last.code} first; gcrwatch's other findings say what it is.`,
        } satisfies Finding,
      ];
    },
  };
}

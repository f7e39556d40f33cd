import { describe, expect, it } from 'vitest';
import { outerRetryLoop } from '../../../../src/core/diagnose/rules/outer-retry-loop.js';
import { SessionBuilder } from '../../../support/session-builder.js';
import { conclude } from '../rule-harness.js';

function loop(outcomes: Array<'denied' | 'ok' | 'reset'>) {
  const b = new SessionBuilder(181).start(['gcr.io'], { push: 'gcr.io' });
  outcomes.forEach((o, i) => {
    b.at(i * 30).pushStart('gcr.io/p/a:1');
    if (o === 'denied') b.at(i * 30 + 1).pushError('denied: requested access to the resource is denied', 'push.denied');
    if (o === 'reset') b.at(i * 30 + 1).pushError('connection reset by peer', 'push.connection_reset');
    b.at(i * 30 + 2).pushEnd(o === 'ok' ? 0 : 1, 2000);
  });
  return b;
}

describe('outer-retry-loop', () => {
  it('reports the same permanent error ending push after push, in its category', () => {
    const [f] = conclude(outerRetryLoop, loop(['denied', 'denied', 'denied']));
    expect(f).toMatchObject({ code: 'push.permanent_error_repeated', category: 'auth', confidence: 'high' });
    expect(f!.summary).toContain('started 3 times');
  });

  it('counts only the current run of failures, and not retryable errors', () => {
    expect(conclude(outerRetryLoop, loop(['denied', 'ok', 'denied']))).toEqual([]);
    expect(conclude(outerRetryLoop, loop(['reset', 'reset', 'reset']))).toEqual([]);
    expect(conclude(outerRetryLoop, loop(['denied']))).toEqual([]);
  });
});

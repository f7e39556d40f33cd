import { describe, expect, it } from 'vitest';
import { RetryCauseMatcher, type Timers } from '../../../src/core/push/retry-causes.js';

/** Timers driven by the test: `advance` fires what is due. */
function manualTimers() {
  let now = 1_000_000;
  const pending: Array<{ at: number; fn: () => void; id: number }> = [];
  let ids = 0;
  const timers: Timers = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = ++ids;
      pending.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      const i = pending.findIndex((p) => p.id === id);
      if (i >= 0) pending.splice(i, 1);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const p of pending.filter((x) => x.at <= now)) {
      pending.splice(pending.indexOf(p), 1);
      p.fn();
    }
  };
  return { timers, advance };
}

const retry = (attempt: number) => ({ type: 'push.retry' as const, layer: 'abc', attempt, delaySeconds: 5 * attempt });

describe('RetryCauseMatcher', () => {
  it('a cause logged just before the retry line is attached at once', () => {
    const { timers } = manualTimers();
    const out: unknown[] = [];
    const m = new RetryCauseMatcher((r) => out.push(r), timers);
    m.onCause({ text: 'EOF', code: 'push.eof' });
    m.onRetry(retry(1));
    expect(out).toEqual([
      expect.objectContaining({
        attempt: 1,
        cause: 'EOF',
        causeCode: 'push.eof',
        t: new Date(1_000_000).toISOString(),
      }),
    ]);
  });

  it('a retry waits for a cause logged a little later, keeping the time it was seen', () => {
    const { timers, advance } = manualTimers();
    const out: Array<{ cause?: string; t?: string }> = [];
    const m = new RetryCauseMatcher((r) => out.push(r), timers, 1500);
    m.onRetry(retry(1));
    advance(300);
    expect(out).toEqual([]);
    m.onCause({ text: 'net/http: TLS handshake timeout' });
    expect(out).toEqual([
      expect.objectContaining({ cause: 'net/http: TLS handshake timeout', t: new Date(1_000_000).toISOString() }),
    ]);
  });

  it('a retry whose cause never comes is emitted without one after the hold', () => {
    const { timers, advance } = manualTimers();
    const out: Array<{ cause?: string }> = [];
    const m = new RetryCauseMatcher((r) => out.push(r), timers, 1500);
    m.onRetry(retry(1));
    advance(1499);
    expect(out).toHaveLength(0);
    advance(1);
    expect(out).toEqual([expect.not.objectContaining({ cause: expect.anything() })]);
  });

  it('an old cause is not given to a much later retry; pairs are made in order', () => {
    const { timers, advance } = manualTimers();
    const out: Array<{ attempt: number; cause?: string }> = [];
    const m = new RetryCauseMatcher((r) => out.push(r), timers, 1500, 3000);
    m.onCause({ text: 'stale' });
    advance(10_000);
    m.onRetry(retry(1));
    m.onRetry(retry(2));
    m.onCause({ text: 'first' });
    m.onCause({ text: 'second' });
    expect(out.map((r) => [r.attempt, r.cause])).toEqual([
      [1, 'first'],
      [2, 'second'],
    ]);
  });

  it('flush emits what is held; retries that name their cause pass straight through', () => {
    const { timers } = manualTimers();
    const out: Array<{ attempt: number; cause?: string }> = [];
    const m = new RetryCauseMatcher((r) => out.push(r), timers);
    m.onRetry({ type: 'push.retry', attempt: 1, cause: 'own cause' });
    m.onRetry(retry(2));
    m.flush();
    expect(out.map((r) => [r.attempt, r.cause])).toEqual([
      [1, 'own cause'],
      [2, undefined],
    ]);
  });
});

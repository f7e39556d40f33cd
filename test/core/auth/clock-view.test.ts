import { describe, expect, it } from 'vitest';
import { checkClock } from '../../../src/core/auth/clock-view.js';
import type { HttpAnswer } from '../../../src/core/auth/registry-http.js';

const sent = Date.parse('2026-11-27T10:00:00.300Z');
const answer = (date: string | undefined): HttpAnswer => ({
  status: 401,
  headers: date ? { date } : {},
  body: '',
  ms: 40,
  sentAt: sent,
  receivedAt: sent + 40,
});

describe('checkClock', () => {
  it('finds no skew when the Date header matches this clock within its one-second resolution', () => {
    expect(checkClock('gcr.io', answer('Fri, 27 Nov 2026 10:00:00 GMT'))).toEqual({
      type: 'auth',
      view: 'clock',
      host: 'gcr.io',
      skewSeconds: 0,
      ok: true,
    });
  });
  it('reports a registry 10 minutes ahead as this machine being behind', () => {
    const e = checkClock('gcr.io', answer('Fri, 27 Nov 2026 10:10:00 GMT'))!;
    expect(e).toMatchObject({ ok: false, skewSeconds: 600, error: { code: 'auth.clock_skew', category: 'local' } });
    expect(e.error!.message).toContain("this machine's clock is 600 s behind gcr.io's");
  });
  it('and one behind as this machine being ahead', () => {
    expect(checkClock('gcr.io', answer('Fri, 27 Nov 2026 09:58:00 GMT'))!.error!.message).toContain('120 s ahead of');
  });
  it('stays quiet under a minute', () => {
    expect(checkClock('gcr.io', answer('Fri, 27 Nov 2026 10:00:45 GMT'))).toMatchObject({ ok: true, skewSeconds: 45 });
  });
  it('says nothing without a usable Date', () => {
    expect(checkClock('gcr.io', answer(undefined))).toBeUndefined();
    expect(checkClock('gcr.io', answer('yesterday'))).toBeUndefined();
    expect(checkClock('gcr.io', undefined)).toBeUndefined();
  });
});

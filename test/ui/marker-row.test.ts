import { describe, expect, it } from 'vitest';
import type { AuthEvent, PushEndEvent, PushErrorEvent, PushRetryEvent, PushStartEvent } from '../../src/core/events.js';
import { sampleColumn } from '../../src/ui/chart-layout.js';
import { markerRow, marksFromEvents, placeMarks, retryGlyph } from '../../src/ui/marker-row.js';
import { at, event, T0 } from './helpers/events.js';

const times = [1000, 2000, 3000, 4000, 5000].map((ms) => T0 + ms);

describe('marker row', () => {
  it('puts each push event under the sample column nearest in time', () => {
    const events = [
      event<PushStartEvent>(900, { type: 'push.start', argv: ['docker', 'push', 'x'], tool: 'docker' }),
      event<PushRetryEvent>(2400, { type: 'push.retry', attempt: 1 }),
      event<PushRetryEvent>(3600, { type: 'push.retry', attempt: 2 }),
      event<PushEndEvent>(4900, {
        type: 'push.end',
        exitCode: 0,
        durationMs: 4300,
        layersPushed: 1,
        layersExisting: 0,
        retries: 2,
      }),
    ];
    const placed = placeMarks(times, marksFromEvents(events), 1000);
    const row = markerRow(6, placed);
    expect(row).toHaveLength(sampleColumn(6, times.length + 1));
    expect(row.slice(0, 6)).toBe(' push ');
    expect(row[sampleColumn(6, 0)]).toBe('S');
    expect(row[sampleColumn(6, 1)]).toBe('1');
    expect(row[sampleColumn(6, 2)]).toBe(' ');
    expect(row[sampleColumn(6, 3)]).toBe('2');
    expect(row[sampleColumn(6, 4)]).toBe('D');
    expect(row[sampleColumn(6, 5)]).toBe(' ');
  });

  it('shows the most important event when several share a column', () => {
    const events = [
      event<PushRetryEvent>(2000, { type: 'push.retry', attempt: 3 }),
      event<PushErrorEvent>(2100, {
        type: 'push.error',
        text: 'denied',
        code: 'push.denied',
        category: 'auth',
        retryable: false,
      }),
      event<PushRetryEvent>(2200, { type: 'push.retry', attempt: 4 }),
    ];
    expect(placeMarks(times, marksFromEvents(events), 1000)[1]?.glyph).toBe('E');
    expect(placeMarks(times, marksFromEvents([events[0]!, events[2]!]), 1000)[1]?.glyph).toBe('4');
  });

  it('leaves off events that scrolled off, and holds those newer than the last round in an extra column', () => {
    const early = event<PushRetryEvent>(-500, { type: 'push.retry', attempt: 1 });
    const late = event<PushRetryEvent>(5900, { type: 'push.retry', attempt: 2 });
    const future = event<PushRetryEvent>(7000, { type: 'push.retry', attempt: 3 });
    const placed = placeMarks(times, marksFromEvents([early, late, future]), 1000);
    expect(placed.map((p) => p?.glyph ?? '.').join('')).toBe('.....3');
    expect(placeMarks([], marksFromEvents([late]), 1000).map((p) => p?.glyph)).toEqual(['2']);
    // Once the next round is in, the retry moves under the round nearest to it.
    expect(
      placeMarks([...times, T0 + 6000], marksFromEvents([late]), 1000)
        .map((p) => p?.glyph ?? '.')
        .join(''),
    ).toBe('.....2.');
  });

  it('marks credential refreshes and checks that really failed, not a short-lived token expiring', () => {
    const auth = (ms: number, body: Partial<AuthEvent>) =>
      event<AuthEvent>(ms, { type: 'auth', view: 'docker', host: 'gcr.io', ok: true, ...body });
    const events = [
      auth(1000, { fingerprint: 'aaa', expiresAt: at(3000) }),
      auth(2000, { fingerprint: 'aaa', expiresAt: at(3000) }),
      auth(4000, { ok: false, error: { code: 'auth.token_expired', category: 'auth', message: 'expired' } }),
      auth(5000, { fingerprint: 'bbb' }),
    ];
    const glyphs = placeMarks(times, marksFromEvents(events), 1000)
      .map((p) => p?.glyph ?? '.')
      .join('');
    expect(glyphs).toBe('...xc.');
    // A short-lived token that expires and is fetched again on time is the normal course: a refresh, no x.
    const renewed = [
      auth(1000, { view: 'registry', fingerprint: 'aaa', expiresAt: at(3000) }),
      auth(3500, { view: 'registry', fingerprint: 'bbb', expiresAt: at(9000) }),
    ];
    expect(marksFromEvents(renewed).map((m) => m.glyph)).toEqual(['c']);
    // A warning (a token about to expire) is not a failure either.
    const warned = [
      auth(1000, { fingerprint: 'aaa' }),
      auth(2000, { ok: false, error: { code: 'auth.short_lived', category: 'auth', message: 'soon' } }),
    ];
    expect(marksFromEvents(warned)).toEqual([]);
  });

  it('writes attempts 1-9 as digits and larger ones as +', () => {
    expect([1, 9, 10, 0].map(retryGlyph)).toEqual(['1', '9', '+', '+']);
  });
});

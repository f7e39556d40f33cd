import { describe, expect, it } from 'vitest';
import { formatCountdown, judgeExpiry } from '../../../src/core/auth/expiry.js';

const now = Date.parse('2026-11-27T10:00:00Z');
const min = 60_000;

describe('judgeExpiry', () => {
  it('is silent for a refreshed token with time left', () => {
    expect(judgeExpiry(now + 50 * min, { now, label: 't' })).toBeUndefined();
  });
  it('warns under ten minutes', () => {
    expect(judgeExpiry(now + 2 * min, { now, label: "docker's token" })).toMatchObject({
      code: 'auth.short_lived',
      message: expect.stringContaining('expires in 2m00s'),
    });
  });
  it('says expired once the time has passed', () => {
    expect(judgeExpiry(now - 5000, { now, label: 't' })).toMatchObject({
      code: 'auth.token_expired',
      message: expect.stringContaining('expired 5s ago'),
    });
  });
  it('warns when the token ends before the running push is likely to', () => {
    const f = judgeExpiry(now + 30 * min, { now, label: 't', pushRemainingMs: 45 * min });
    expect(f).toMatchObject({
      code: 'auth.short_lived',
      message: expect.stringContaining('before the running push is likely to finish (about 45m00s left)'),
    });
  });
  it('always warns about a pasted access token that nothing refreshes', () => {
    expect(judgeExpiry(now + 55 * min, { now, label: 't', neverRefreshed: true })).toMatchObject({
      code: 'auth.short_lived',
      message: expect.stringContaining('nothing refreshes it'),
    });
  });
});

describe('formatCountdown', () => {
  it.each([
    [42_000, '42s'],
    [9 * min + 5000, '9m05s'],
    [62 * min, '1h02m'],
    [-3000, '3s'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatCountdown(ms)).toBe(text);
  });
});

import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/cli/duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['2s', 2000],
    ['1.5m', 90_000],
    ['1h30m', 5_400_000],
    ['3', 3000],
    ['0.25', 250],
    ['1d', 86_400_000],
  ])('%s = %i ms', (input, ms) => {
    expect(parseDuration(input, '--x')).toBe(ms);
  });

  it.each(['', 'abc', '-5s', '5 s', '5x', '1h-', 's'])('rejects %j naming the flag', (input) => {
    expect(() => parseDuration(input, '--interval')).toThrow(/--interval: .* is not a duration/);
  });

  it('enforces bounds', () => {
    expect(() => parseDuration('10ms', '--interval', { min: 100, max: 1000 })).toThrow(/out of range \(100ms to 1s\)/);
    expect(() => parseDuration('2h', '--interval', { min: 100, max: 3_600_000 })).toThrow(/out of range/);
  });

  it('formats', () => {
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(2000)).toBe('2s');
    expect(formatDuration(90_000)).toBe('1m30s');
  });
});

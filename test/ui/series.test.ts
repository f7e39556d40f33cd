import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/core/store.js';
import { alignTo, failedIn, lastColumns, medianOf, nearestIndex, phaseValue } from '../../src/ui/series.js';

const ok = (t: number, total: number): Sample => ({
  t,
  ok: true,
  phases: { dns: 1, connect: 2, tls: 3, ttfb: 4, total },
});

describe('phaseValue', () => {
  it('keeps the phases a failed round completed, and gaps the rest', () => {
    const failed: Sample = {
      t: 0,
      ok: false,
      phases: { dns: 1, connect: 2, tls: 5000, total: 5003 },
      code: 'tls.timeout',
      phase: 'tls',
    };
    expect(phaseValue(failed, 'dns')).toBe(1);
    expect(phaseValue(failed, 'connect')).toBe(2);
    expect(phaseValue(failed, 'tls')).toBeUndefined();
    expect(phaseValue(failed, 'ttfb')).toBeUndefined();
    expect(phaseValue(failed, 'total')).toBeUndefined();
    expect(failedIn(failed, 'tls')).toBe(true);
    expect(failedIn(failed, 'dns')).toBe(false);
  });
  it('treats an HTTP failure as a TTFB failure', () => {
    const s: Sample = { t: 0, ok: false, phases: { dns: 1, connect: 1, tls: 2, ttfb: 5000 }, phase: 'http' };
    expect(phaseValue(s, 'tls')).toBe(2);
    expect(phaseValue(s, 'ttfb')).toBeUndefined();
  });
  it('trusts no phase of a failure without a phase', () => {
    expect(phaseValue({ t: 0, ok: false, phases: { dns: 1 } }, 'dns')).toBeUndefined();
  });
});

describe('columns', () => {
  const history = [ok(1000, 10), ok(2000, 20), ok(3000, 30), ok(4000, 40)];
  it('are the newest samples, cut at `until`', () => {
    expect(lastColumns(history, 'total', 2).values).toEqual([30, 40]);
    expect(lastColumns(history, 'total', 2, 3500).times).toEqual([2000, 3000]);
    expect(lastColumns(history, 'total', 10).values).toEqual([10, 20, 30, 40]);
  });
  it('find the nearest time, ties to the later, within tolerance', () => {
    const times = [1000, 2000, 3000];
    expect(nearestIndex(times, 1400)).toBe(0);
    expect(nearestIndex(times, 1500)).toBe(1);
    expect(nearestIndex(times, 2600)).toBe(2);
    expect(nearestIndex(times, 3900, 1000)).toBe(2);
    expect(nearestIndex(times, 4100, 1000)).toBeUndefined();
    expect(nearestIndex(times, -100, 1000)).toBeUndefined();
    expect(nearestIndex([], 5)).toBeUndefined();
  });
  it('align another endpoint and take the median of all', () => {
    const other = [ok(1100, 100), ok(2950, 300)];
    expect(alignTo([1000, 2000, 3000], other, 'total', 600)).toEqual([100, undefined, 300]);
    const third = [ok(1000, 50), ok(2000, 60), ok(3000, 70)];
    expect(medianOf([1000, 2000, 3000], [history, other, third], 'total', 600)).toEqual([50, 40, 70]);
  });
});

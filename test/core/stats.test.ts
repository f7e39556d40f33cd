import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../src/core/stats/histogram.js';
import { quantile } from '../../src/core/stats/quantile.js';
import { Ring } from '../../src/core/stats/ring.js';
import { TargetStats } from '../../src/core/stats/target-stats.js';

describe('Ring', () => {
  it('keeps the newest items up to its capacity', () => {
    const r = new Ring<number>(3);
    for (let i = 1; i <= 5; i++) r.push(i);
    expect(r.toArray()).toEqual([3, 4, 5]);
    expect(r.size).toBe(3);
    expect(r.last()).toBe(5);
    expect(r.tail(2)).toEqual([4, 5]);
  });

  it('rejects a nonsense capacity', () => {
    expect(() => new Ring(0)).toThrow(/positive integer/);
  });
});

describe('quantile', () => {
  it('uses nearest rank and ignores NaN', () => {
    expect(quantile([5, 1, 4, 2, 3, NaN], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBe(10);
    expect(quantile([], 0.5)).toBeUndefined();
  });
});

describe('LatencyHistogram', () => {
  it('estimates quantiles within 3 % with constant memory', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 10_000; i++) h.record(i / 10);
    expect(h.count).toBe(10_000);
    expect(h.quantile(0.5)!).toBeGreaterThan(500 * 0.97);
    expect(h.quantile(0.5)!).toBeLessThan(500 * 1.03);
    expect(h.quantile(0.95)!).toBeGreaterThan(950 * 0.97);
    expect(h.quantile(1)).toBe(1000);
    h.record(NaN);
    h.record(-1);
    expect(h.count).toBe(10_000);
  });
});

describe('TargetStats window', () => {
  const round = (ok: boolean, tls: number) => ({
    ok,
    phases: { dns: 1, connect: 2, tls, ttfb: 3, total: tls + 6 },
    ...(ok ? {} : { error: { code: 'tls.timeout' as const, category: 'network' as const, message: 'x' } }),
  });

  it('computes last, p50, p95 and loss over the window only', () => {
    const s = new TargetStats(10);
    for (let i = 0; i < 100; i++) s.add(round(true, 1000));
    for (let i = 1; i <= 8; i++) s.add(round(true, i));
    s.add(round(false, 0));
    s.add(round(false, 0));
    const tls = s.figures('tls');
    expect(tls.p50).toBe(4);
    expect(tls.p95).toBe(8);
    expect(s.lossPct()).toBe(20);
    expect(s.lastOk).toBe(false);
    expect(s.lastError).toBe('tls.timeout');
  });

  it('summarises the whole session, counting every round', () => {
    const s = new TargetStats(5);
    for (let i = 0; i < 50; i++) s.add(round(i % 10 !== 0, 10));
    const sum = s.summary('gcr.io');
    expect(sum.rounds).toBe(50);
    expect(sum.ok).toBe(45);
    expect(sum.lossPct).toBe(10);
    expect(sum.p50.tls).toBeCloseTo(10, 0);
  });

  it('memory stays bounded by the window', () => {
    const s = new TargetStats(300);
    for (let i = 0; i < 100_000; i++) s.add(round(true, i % 50));
    const internal = (s as unknown as { window: Ring<unknown> }).window;
    expect(internal.size).toBe(300);
  });
});

describe('TargetStats window figures, kept sorted as rounds come and go', () => {
  it('equal the figures worked out from the window itself, with answered and unanswered failures', () => {
    const round = fc.record({
      ok: fc.boolean(),
      answered: fc.boolean(),
      tls: fc.oneof(fc.double({ min: 0, max: 5000, noNaN: true }), fc.constant(Number.NaN), fc.constant(undefined)),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(round, { maxLength: 80 }), (size, rounds) => {
        const s = new TargetStats(size);
        for (const r of rounds)
          s.add({
            ok: r.ok,
            phases: r.tls === undefined ? {} : { tls: r.tls },
            details: r.answered ? { http: { status: 503 } } : {},
          });
        const window = rounds.slice(-size);
        const okTls = window.filter((r) => r.ok && r.tls !== undefined).map((r) => r.tls!);
        const f = s.figures('tls');
        expect(f.p50).toBe(quantile(okTls, 0.5));
        expect(f.p95).toBe(quantile(okTls, 0.95));
        const lost = window.filter((r) => !r.ok && !r.answered).length;
        const errors = window.filter((r) => !r.ok && r.answered).length;
        expect(s.lossPct()).toBeCloseTo(window.length ? (100 * lost) / window.length : 0, 9);
        expect(s.errorPct()).toBeCloseTo(window.length ? (100 * errors) / window.length : 0, 9);
      }),
    );
  });
});

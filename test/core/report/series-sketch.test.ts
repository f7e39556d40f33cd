import { describe, expect, it } from 'vitest';
import { HeadTail, Thinned } from '../../../src/core/report/bounded-list.js';
import { SeriesSketch } from '../../../src/core/report/series-sketch.js';

describe('SeriesSketch', () => {
  it('keeps per-bucket count, mean, min, max and failures', () => {
    const s = new SeriesSketch(10, 1000);
    s.add(0, 10);
    s.add(500, 30);
    s.add(900, undefined);
    s.add(1500, 5);
    expect(s.points()).toEqual([
      { t: 0, widthMs: 1000, n: 2, mean: 20, min: 10, max: 30, fails: 1 },
      { t: 1000, widthMs: 1000, n: 1, mean: 5, min: 5, max: 5, fails: 0 },
    ]);
  });

  it('never holds more than its capacity, and merging keeps the totals', () => {
    const s = new SeriesSketch(50, 1000);
    for (let i = 0; i < 100_000; i++) s.add(i * 1000, i % 10 === 0 ? undefined : 10 + (i % 3));
    const points = s.points();
    expect(points.length).toBeLessThanOrEqual(50);
    expect(points.reduce((a, p) => a + p.n, 0)).toBe(90_000);
    expect(points.reduce((a, p) => a + p.fails, 0)).toBe(10_000);
    expect(points[0]!.widthMs).toBeGreaterThanOrEqual(100_000_000 / 50);
  });
});

describe('bounded lists', () => {
  it('HeadTail keeps the first and last items and counts the rest', () => {
    const l = new HeadTail<number>(3, 2);
    for (let i = 0; i < 10; i++) l.push(i);
    expect(l.items()).toEqual({ head: [0, 1, 2], tail: [8, 9], omitted: 5 });
  });

  it('Thinned stays under its capacity with items spread over the whole stream', () => {
    const l = new Thinned<number>(8);
    for (let i = 0; i < 1000; i++) l.push(i);
    const items = l.items();
    expect(items.length).toBeLessThan(8);
    expect(items[0]).toBe(0);
    expect(items[items.length - 1]!).toBeGreaterThan(500);
    expect(l.total).toBe(1000);
  });
});

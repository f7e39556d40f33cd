import { describe, expect, it } from 'vitest';
import { fmtAxisValue, niceStep, plotLatency, rowText, sampleColumn } from '../../src/ui/chart-layout.js';

const L = 6;

describe('plotLatency geometry', () => {
  it('puts sample i at column labelWidth + 1 + i, with the axis at labelWidth', () => {
    const values = [10, 10, 10, 10, 90, 10, 10, 10];
    const plot = plotLatency({ primary: values, height: 5, labelWidth: L });
    const rows = plot.rows.map(rowText);
    expect(plot.firstColumn).toBe(sampleColumn(L, 0));
    expect(rows).toHaveLength(5);
    for (const r of rows) {
      expect(Array.from(r)).toHaveLength(L + 1 + values.length);
      expect(r[L]).toBe('┤');
    }
    // The spike at sample 4 arrives in its own column on the highest row drawn.
    const peakRow = rows.findIndex((r) => Array.from(r).some((c, i) => i > L && c !== ' '));
    const peak = Array.from(rows[peakRow]!);
    expect(peak.findIndex((c, i) => i > L && c !== ' ')).toBe(sampleColumn(L, 4));
    expect(peak[sampleColumn(L, 4)]).toBe('╭');
    expect(peak[sampleColumn(L, 5)]).toBe('╮');
    // The flat start is drawn from sample 0 on, and nothing is drawn left of it.
    const base = Array.from(rows.find((r) => Array.from(r)[sampleColumn(L, 0)] === '─')!);
    expect(base.slice(L + 1, sampleColumn(L, 4)).join('')).toBe('────');
  });

  it('blanks the column of a missing value in every row', () => {
    const plot = plotLatency({ primary: [5, 5, undefined, 5, 5], height: 4, labelWidth: L });
    for (const row of plot.rows) expect(Array.from(rowText(row))[sampleColumn(L, 2)]).toBe(' ');
    const drawn = (col: number) => plot.rows.some((r) => Array.from(rowText(r))[col] !== ' ');
    expect([0, 1, 2, 3, 4].map((i) => drawn(sampleColumn(L, i)))).toEqual([true, true, false, true, true]);
  });

  it('draws the compared series with dashed glyphs under the primary', () => {
    const plot = plotLatency({ primary: [10, 10, 10, 10], compare: [40, 40, 40, 40], height: 5, labelWidth: L });
    const roles = plot.rows.flatMap((r) => r.filter((run) => run.role === 'compare'));
    expect(roles.length).toBeGreaterThan(0);
    expect(roles.map((r) => r.text).join('')).toMatch(/^┄+$/);
    const primary = plot.rows.flatMap((r) => r.filter((run) => run.role === 'primary'));
    expect(primary.map((r) => r.text).join('')).toMatch(/─/);
  });

  it('labels rows with round values that are all different', () => {
    for (const max of [0.3, 1, 7, 42, 130, 999, 1500, 5000, 23000]) {
      const plot = plotLatency({ primary: [0, max / 2, max], height: 8, labelWidth: L });
      const labels = plot.rows.map((r) => rowText(r).slice(0, L).trim());
      expect(new Set(labels).size, `labels for max ${max}: ${labels.join(',')}`).toBe(labels.length);
      expect(labels[labels.length - 1]).toBe('0');
      expect(plot.max).toBeGreaterThanOrEqual(max);
    }
  });

  it('has a plot for no samples at all: labels and axis only', () => {
    const plot = plotLatency({ primary: [], height: 3, labelWidth: L });
    expect(plot.rows.map(rowText)).toEqual(['   0.2 ┤'.slice(1), '   0.1 ┤'.slice(1), '     0 ┤'.slice(1)]);
    expect(plot.width).toBe(L + 1);
  });
});

describe('axis values', () => {
  it('fit in four columns', () => {
    expect([0, 0.4, 9.9, 12, 850, 1200, 15000].map(fmtAxisValue)).toEqual([
      '0',
      '0.4',
      '9.9',
      '12',
      '850',
      '1.2s',
      '15s',
    ]);
  });
  it('steps are 1, 2 or 5 times a power of ten', () => {
    expect([0, 0.05, 0.15, 0.3, 1, 3, 7, 40, 120, 700].map(niceStep)).toEqual([
      0.1, 0.1, 0.2, 0.5, 1, 5, 10, 50, 200, 1000,
    ]);
  });
});

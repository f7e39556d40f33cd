import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chartLines,
  MAX_CHART_HEIGHT,
  MIN_SIZE,
  overlayLines,
  planLayout,
  scrollStart,
  totalLines,
  type LayoutInput,
} from '../../src/ui/layout.js';

const input = (over: Partial<LayoutInput>): LayoutInput => ({
  columns: 120,
  rows: 40,
  targets: 7,
  push: 0,
  credentials: 0,
  legend: 1,
  ...over,
});

describe('planLayout', () => {
  it('never plans more than rows - 1 lines, and never a heading without its content, at any size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 260 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 3 }),
        (columns, rows, targets, push, credentials, legend) => {
          const l = planLayout({ columns, rows, targets, push, credentials, legend });
          const small = columns < MIN_SIZE.columns || rows < MIN_SIZE.rows;
          expect(l.tooSmall).toBe(small);
          if (small) return;
          expect(totalLines(l)).toBeLessThanOrEqual(rows - 1);
          expect(l.chartHeight).toBeGreaterThanOrEqual(2);
          expect(l.chartHeight).toBeLessThanOrEqual(MAX_CHART_HEIGHT);
          expect(l.tableRows).toBeGreaterThanOrEqual(1);
          expect(l.keys).toBe(1);
          const b = l.bottom;
          // A panel or the log is a title and at least one line, or nothing.
          for (const n of [b.pushLines, b.credentialLines, b.logLines]) expect(n === 0 || n >= 2).toBe(true);
          // While a push is wrapped, its lines are on screen at every size.
          if (push) expect(b.pushLines).toBeGreaterThanOrEqual(3);
          else expect(b.pushLines).toBe(0);
          if (push >= 3) expect(b.pushLines).toBeLessThanOrEqual(push);
          if (!credentials) expect(b.credentialLines).toBe(0);
          expect(b.credentialLines).toBeLessThanOrEqual(credentials + 1);
          if (b.sideBySide) {
            expect(b.logWidth + 1 + b.panelWidth).toBe(columns);
            expect(b.pushLines + b.credentialLines).toBeLessThanOrEqual(b.lines);
          } else expect(b.pushLines + b.credentialLines + b.logLines).toBe(b.lines);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('80x24 with five endpoints and a push: header and verdict, every row, a short chart, the push, the keys', () => {
    const l = planLayout(input({ columns: 80, rows: 24, targets: 5, push: 30, credentials: 1 }));
    expect(l).toMatchObject({ compact: false, header: 2, tableRows: 5, keys: 1, chartLabels: true });
    expect(l.chartHeight).toBeGreaterThanOrEqual(3);
    expect(l.bottom.pushLines).toBeGreaterThanOrEqual(5);
    expect(l.bottom.credentialLines).toBe(2);
    expect(totalLines(l)).toBe(23);
  });

  it('120x40 with seven endpoints: everything, the panels beside the log', () => {
    const l = planLayout(input({ push: 30, credentials: 2 }));
    expect(l).toMatchObject({ header: 2, tableRows: 7, chartLabels: true, chartLegend: 1, keys: 1 });
    expect(l.chartHeight).toBeGreaterThanOrEqual(8);
    expect(l.bottom).toMatchObject({ sideBySide: true, credentialLines: 3 });
    expect(l.bottom.pushLines).toBeGreaterThanOrEqual(8);
    expect(l.bottom.logLines).toBe(l.bottom.lines);
    expect(totalLines(l)).toBe(39);
  });

  it('200x50 gives the right-hand panels 40 % of the width and uses every line', () => {
    const l = planLayout(input({ columns: 200, rows: 50, targets: 5, push: 30, credentials: 1 }));
    expect(l.bottom.panelWidth).toBe(80);
    expect(l.chartHeight).toBe(MAX_CHART_HEIGHT);
    expect(totalLines(l)).toBe(49);
  });

  it('degrades 70x20 to a one-line header, the table and a compact chart', () => {
    const l = planLayout(input({ columns: 70, rows: 20, push: 0 }));
    expect(l).toMatchObject({ compact: true, header: 2, tableRows: 7, chartLabels: false, chartLegend: 0 });
    expect(l.chartHeight).toBeGreaterThanOrEqual(2);
    expect(totalLines(l)).toBe(19);
    expect(planLayout(input({ columns: 70, rows: 16 })).header).toBe(1);
  });

  it('says the terminal is too small below the minimum, and gives an overlay the middle otherwise', () => {
    expect(planLayout(input({ columns: MIN_SIZE.columns - 1 })).tooSmall).toBe(true);
    expect(planLayout(input({ rows: MIN_SIZE.rows - 1 })).tooSmall).toBe(true);
    const l = planLayout(input({ columns: 80, rows: 24 }));
    expect(overlayLines(l)).toBe(23 - l.header - l.keys);
    expect(chartLines(l)).toBeGreaterThan(0);
  });
});

describe('scrollStart', () => {
  it('keeps the selected row visible', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 20 }), fc.nat(), (count, visible, sel) => {
        const selected = count ? sel % count : 0;
        const start = scrollStart(count, visible, selected);
        expect(start).toBeGreaterThanOrEqual(0);
        if (count) {
          expect(selected).toBeGreaterThanOrEqual(start);
          expect(selected).toBeLessThan(start + Math.max(visible, 1));
        }
      }),
    );
  });
});

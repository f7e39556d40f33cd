import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chartLines, MAX_CHART_HEIGHT, planBottom, planLayout, scrollStart, totalLines } from '../../src/ui/layout.js';

describe('planLayout', () => {
  it('never plans more than rows - 1 lines, at any size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 0, max: 40 }),
        fc.boolean(),
        fc.boolean(),
        (columns, rows, targets, push, credentials) => {
          const l = planLayout({ columns, rows, targets, push, credentials });
          expect(totalLines(l)).toBeLessThanOrEqual(Math.max(0, rows - 1));
          expect(l.chartHeight === 0 || l.chartHeight >= 2).toBe(true);
          expect(l.chartHeight).toBeLessThanOrEqual(MAX_CHART_HEIGHT);
          expect(l.compact).toBe(columns < 80 || rows < 24);
          for (const v of [l.header, l.tableRows, l.chartHeight, l.bottom, l.keys]) expect(v).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives 120x40 with 7 endpoints the whole dashboard', () => {
    const l = planLayout({ columns: 120, rows: 40, targets: 7, push: true, credentials: true });
    expect(l).toMatchObject({
      compact: false,
      header: 2,
      tableRows: 7,
      chartHeight: 12,
      chartLabels: true,
      chartLegend: true,
      keys: 1,
    });
    expect(totalLines(l)).toBe(39);
    expect(l.bottom).toBe(39 - 2 - 8 - chartLines(l) - 1);
  });

  it('degrades 70x20 to the table and a compact chart', () => {
    const l = planLayout({ columns: 70, rows: 20, targets: 7, push: false, credentials: false });
    expect(l).toMatchObject({ compact: true, header: 1, tableRows: 7, chartLabels: false, chartLegend: false });
    expect(l.chartHeight).toBeGreaterThanOrEqual(2);
    expect(totalLines(l)).toBe(19);
  });

  it('keeps at least one endpoint row and a chart on a tiny terminal', () => {
    const l = planLayout({ columns: 40, rows: 10, targets: 7, push: false, credentials: false });
    expect(l.tableRows).toBeGreaterThanOrEqual(1);
    expect(l.chartHeight).toBeGreaterThanOrEqual(2);
  });
});

describe('planBottom', () => {
  it('puts panels beside the log on wide screens', () => {
    const b = planBottom(10, 120, { push: true, credentials: true });
    expect(b.sideBySide).toBe(true);
    expect(b.credentialLines + b.pushLines).toBe(10);
    expect(b.logWidth + 1 + b.panelWidth).toBe(120);
  });
  it('stacks them above the log on narrow screens, leaving the log two lines', () => {
    const b = planBottom(9, 90, { push: true, credentials: true });
    expect(b.sideBySide).toBe(false);
    expect(b.credentialLines + b.pushLines + b.logLines).toBe(9);
    expect(b.logLines).toBeGreaterThanOrEqual(2);
  });
  it('gives the log everything when there is no panel', () => {
    expect(planBottom(6, 120, { push: false, credentials: false })).toMatchObject({
      logLines: 6,
      logWidth: 120,
      sideBySide: false,
    });
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

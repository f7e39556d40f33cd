import { describe, expect, it } from 'vitest';
import { sampleColumn } from '../../src/ui/chart-layout.js';
import { axisRow, tickIndexes, tickLabelRow } from '../../src/ui/time-axis.js';

describe('time axis', () => {
  it('marks failed rounds under their own columns', () => {
    const failed = [false, false, true, false, true, true, false];
    const row = Array.from(axisRow(6, failed, 100));
    expect(row[6]).toBe('└');
    failed.forEach((f, i) => expect(row[sampleColumn(6, i)]).toBe(f ? '×' : i === failed.length - 1 ? '┬' : '─'));
  });

  it('ticks the newest sample and every spacing to its left', () => {
    expect(tickIndexes(30, 12)).toEqual([5, 17, 29]);
    expect(tickIndexes(0, 12)).toEqual([]);
  });

  it('ends each label under its tick and drops labels that do not fit', () => {
    const times = Array.from({ length: 30 }, (_, i) => i);
    const width = sampleColumn(6, 30);
    const row = tickLabelRow(6, times, width, 12, (t) => `t${t}`);
    expect(row).toHaveLength(width);
    for (const i of [5, 17, 29]) {
      const label = `t${i}`;
      const end = sampleColumn(6, i);
      expect(row.slice(end - label.length + 1, end + 1)).toBe(label);
    }
    const crowded = tickLabelRow(6, times, width, 2, (t) => `long-${t}`);
    expect(crowded.trim().split(/\s+/).length).toBeLessThan(15);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnsFor, TABLE_COLUMNS, type EndpointRow } from '../../src/ui/endpoint-rows.js';
import { fitColumns, formatRow, type ColumnSpec } from '../../src/ui/table-layout.js';

/** The columns without a proxy in the way (the proxy column comes only with one). */
const DIRECT = TABLE_COLUMNS.filter((c) => c.key !== 'proxy');
const widthOf = (cols: { width: number }[]) => cols.reduce((s, c) => s + c.width, 0) + cols.length - 1;

describe('fitColumns', () => {
  it('shows every column at 120 columns, with room for the host and the error', () => {
    const cols = fitColumns(DIRECT, 120);
    expect(cols.map((c) => c.key)).toEqual(DIRECT.map((c) => c.key));
    expect(widthOf(cols)).toBe(120);
    expect(cols.find((c) => c.key === 'host')!.width).toBeGreaterThanOrEqual(22);
    expect(cols.find((c) => c.key === 'error')!.width).toBeGreaterThanOrEqual(12);
  });

  it('drops expendable columns rather than starve the host and error columns', () => {
    const cols = fitColumns(DIRECT, 100);
    expect(cols.map((c) => c.key)).not.toContain('http');
    expect(cols.map((c) => c.key)).toContain('cert');
    expect(cols.find((c) => c.key === 'host')!.width).toBeGreaterThanOrEqual(22);
    expect(cols.find((c) => c.key === 'error')!.width).toBeGreaterThanOrEqual(14);
  });

  it('gives long host names their length, at the cost of the address column', () => {
    const row = (host: string) => ({ id: host, health: 'ok', cells: { host } }) as unknown as EndpointRow;
    const demo = fitColumns(columnsFor([row(' gcr.io:41234'), row(' europe-docker.pkg.dev:35971')]), 120);
    expect(demo.find((c) => c.key === 'host')!.width).toBeGreaterThanOrEqual(28);
    expect(demo.map((c) => c.key)).not.toContain('addr');
    const short = fitColumns(columnsFor([row(' gcr.io')]), 120);
    expect(short.map((c) => c.key)).toContain('addr');
  });

  it('drops the least important columns first when narrow', () => {
    expect(fitColumns(DIRECT, 80).map((c) => c.key)).toEqual([
      'sel',
      'state',
      'host',
      'dns',
      'tcp',
      'tls',
      'ttfb',
      'loss',
      'error',
    ]);
    expect(fitColumns(DIRECT, 70).map((c) => c.key)).toEqual(['sel', 'state', 'host', 'dns', 'tcp', 'tls', 'error']);
  });

  it('keeps the proxy column beside TCP when there is room', () => {
    expect(
      fitColumns(TABLE_COLUMNS, 130)
        .map((c) => c.key)
        .slice(4, 8),
    ).toEqual(['dns', 'tcp', 'proxy', 'tls']);
  });

  it('never exceeds the width while the essential columns fit', () => {
    const essential = widthOf(TABLE_COLUMNS.filter((c) => c.priority === 0));
    fc.assert(
      fc.property(fc.integer({ min: essential, max: 400 }), (width) => {
        const cols = fitColumns(TABLE_COLUMNS, width);
        expect(widthOf(cols)).toBeLessThanOrEqual(width);
        cols.forEach((c, i) => {
          if (i) expect(c.x).toBe(cols[i - 1]!.x + cols[i - 1]!.width + 1);
        });
      }),
    );
  });

  it('grows flexible columns to what they want before their maximum', () => {
    const specs: ColumnSpec[] = [
      { key: 'a', title: 'a', width: 2, want: 4, max: 10, priority: 0, align: 'left' },
      { key: 'b', title: 'b', width: 2, want: 4, max: 10, priority: 0, align: 'left' },
    ];
    expect(fitColumns(specs, 9).map((c) => c.width)).toEqual([4, 4]);
    expect(fitColumns(specs, 13).map((c) => c.width)).toEqual([8, 4]);
  });

  it('formats cells into their columns, cutting long ones with ~', () => {
    const cols = fitColumns<'a' | 'b'>(
      [
        { key: 'a', title: '', width: 5, priority: 0, align: 'left' },
        { key: 'b', title: '', width: 4, priority: 0, align: 'right' },
      ],
      10,
    );
    expect(formatRow(cols, { a: 'gcr.io.example', b: '7' })).toBe('gcr.~    7');
  });
});

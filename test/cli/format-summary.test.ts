/**
 * The summary table printed at exit and the plain probe lines: they fit the terminal's width,
 * and names longer than 24 characters do not push the columns out of line.
 */
import { describe, expect, it } from 'vitest';
import type { ProbeEvent, TargetSummary } from '../../src/core/events.js';
import { formatProbeLine, formatSummary, hostWidthFor } from '../../src/cli/format.js';

const times = { dns: 2, connect: 14, tls: 28, ttfb: 35, total: 80 };
function summary(target: string, over: Partial<TargetSummary> = {}): TargetSummary {
  return { target, rounds: 46, ok: 46, lossPct: 0, lastOk: true, p50: times, p95: times, ...over };
}
const ROWS = [
  summary('gcr.io'),
  summary('asia-northeast1-docker.pkg.dev', { lastOk: false, lastError: 'tls.timeout', lossPct: 4.3 }),
  summary('europe-west1-docker.pkg.dev:8443'),
];
const widest = (lines: string[]) => Math.max(...lines.map((l) => l.length));

describe('formatSummary', () => {
  it('is one table with every phase when the terminal is wide enough, long names in full and in line', () => {
    const lines = formatSummary(ROWS, 200);
    expect(lines[0]).toMatch(
      /^target +rounds +loss% +dns p50\/p95 +tcp p50\/p95 +tls p50\/p95 +ttfb p50\/p95 +total p50\/p95 +last$/,
    );
    expect(lines[2]).toMatch(/^asia-northeast1-docker\.pkg\.dev +46 +4\.3 .* FAIL tls\.timeout$/);
    // Every row's rounds column ends where the header's does.
    const end = lines[0]!.indexOf('rounds') + 'rounds'.length;
    for (const l of lines.slice(1)) expect(l.slice(end - 2, end)).toBe('46');
  });

  it('leaves phase columns out to fit 120 and 80 columns, keeping the total', () => {
    for (const width of [120, 100, 80]) {
      const lines = formatSummary(ROWS, width);
      expect(widest(lines), lines.join('\n')).toBeLessThanOrEqual(width);
      expect(lines[0]).toContain('total p50/p95');
      expect(lines).toHaveLength(4);
    }
    expect(formatSummary(ROWS, 80)[0]).not.toContain('dns p50/p95');
  });

  it('gives each target a block of its own on a narrow terminal', () => {
    const lines = formatSummary(ROWS, 50);
    expect(widest(lines)).toBeLessThanOrEqual(50);
    expect(lines[0]).toBe('per target (times: p50/p95 ms)');
    expect(lines).toContain('asia-northeast1-docker.pkg.dev');
    expect(lines.join('\n')).toContain('last FAIL tls.timeout');
    expect(lines.join('\n')).toMatch(/total 80\.0\/80\.0/);
  });
});

describe('formatProbeLine', () => {
  it('keeps the columns in line whatever the length of the names', () => {
    const probe = (target: string): ProbeEvent => ({
      v: 1,
      t: '2026-01-01T10:00:00.000Z',
      type: 'probe',
      target,
      round: 1,
      kind: 'round',
      ok: true,
      ms: 80,
      phases: times,
      details: { http: { status: 401 } },
    });
    const names = [
      'gcr.io',
      'asia-northeast1-docker.pkg.dev',
      'a-registry-with-a-very-long-name.internal.example.com:5000',
    ];
    const width = hostWidthFor(names);
    expect(width).toBe(40);
    const lines = names.map((n) => formatProbeLine(probe(n), width));
    const at = lines.map((l) => l.indexOf('dns '));
    expect(new Set(at).size).toBe(1);
    expect(lines[1]).toContain('asia-northeast1-docker.pkg.dev');
    expect(lines[2]).toContain('a-registry-with-a-very-long-name~:5000 ');
    // Without a width (older callers) the column is 24 and still aligned.
    const narrow = names.map((n) => formatProbeLine(probe(n)).indexOf('dns '));
    expect(new Set(narrow).size).toBe(1);
  });
});

/**
 * The HTML report in a real browser (Debian's chromium, headless, driven by playwright-core):
 * it renders without console errors or any network request, the charts are drawn (one
 * latency path per endpoint, with a visible extent), and a screenshot is taken.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithPrereqs } from '../peers/prereqs.js';
import { runCli } from '../support/run-cli.js';

const CHROMIUM = '/usr/bin/chromium';

const SCENARIOS = path.resolve(import.meta.dirname, '../scenarios');

describeWithPrereqs('HTML report in headless Chromium', ['chromium'], () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-html-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['retry-tls-timeout-regional', 'server-errors-5xx', 'healthy'])(
    '%s: renders its charts with no console error and no fetch',
    async (name) => {
      const html = path.join(dir, `${name}.html`);
      const made = await runCli(['report', path.join(SCENARIOS, name, 'session.ndjson'), '-o', html]);
      expect(made.code).toBe(0);

      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`file://${html}`, { waitUntil: 'load' });

      const charts = await page.$$eval('svg.chart', (svgs) =>
        svgs.map((svg) => {
          // No DOM lib in this project's tsconfig: the little of SVG used here, typed by hand.
          const paths = [...svg.querySelectorAll('path.latency')] as unknown as Array<{
            getBBox(): { width: number; height: number };
            getAttribute(n: string): string | null;
          }>;
          const box = paths[0]?.getBBox();
          return {
            paths: paths.length,
            target: paths[0]?.getAttribute('data-target'),
            width: box?.width ?? 0,
            height: box?.height ?? 0,
            markers: svg.querySelectorAll('line.marker').length,
          };
        }),
      );
      const rows = await page.$$eval('h2 + table tbody tr, table tbody tr', (trs) => trs.length);
      const shot = path.join(dir, `${name}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      await page.close();

      expect(problems).toEqual([]);
      expect(requests).toEqual([`file://${html}`]);
      expect(charts.length).toBe(3);
      for (const c of charts) {
        expect(c.paths).toBe(1);
        expect(c.width).toBeGreaterThan(500);
        expect(c.height).toBeGreaterThan(0);
      }
      expect(new Set(charts.map((c) => c.target)).size).toBe(3);
      if (name !== 'healthy') expect(charts[0]!.markers).toBeGreaterThanOrEqual(3);
      expect(rows).toBeGreaterThanOrEqual(3);
      expect(statSync(shot).size).toBeGreaterThan(10_000);
    },
  );
});

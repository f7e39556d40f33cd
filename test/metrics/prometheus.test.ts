/**
 * gcrwatch as a long-lived Prometheus target: its exposition passes `promtool check metrics`,
 * and a real Prometheus 2.x server scrapes it and answers queries for probe_success and a phase
 * histogram of a loopback registry front.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createCa, issueLeaf } from '../../src/sim/pki.js';
import { startRegistryFront, type RegistryFront } from '../../src/sim/registry-front.js';
import { describeWithPrereqs } from '../peers/prereqs.js';
import { startProgram, type Running } from '../support/long-running.js';
import { freePort } from '../support/tinyproxy.js';

let dir: string;
let caFile: string;
let registry: RegistryFront;
let running: Running[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-prom-'));
  const leaf = await issueLeaf(await createCa(), { sans: ['localhost', '127.0.0.1'] });
  caFile = path.join(dir, 'ca.crt');
  writeFileSync(caFile, leaf.caPem);
  registry = await startRegistryFront({ tls: { cert: leaf.chainPem, key: leaf.keyPem } });
});
afterEach(async () => {
  for (const r of running.reverse()) await r.stop();
  running = [];
});
afterAll(async () => {
  await registry?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function startGcrwatch(metrics: string): Promise<{ gcrwatch: Running; url: string; target: string }> {
  const target = `127.0.0.1:${registry.address.port}`;
  const gcrwatch = startProgram([
    '--metrics',
    metrics,
    '--plain',
    '--no-log',
    '--only',
    '--target',
    target,
    '--ca-file',
    caFile,
    '--interval',
    '500ms',
  ]);
  running.push(gcrwatch);
  const [, url] = await gcrwatch.waitFor(/metrics at (http:\/\/\S+)/);
  return { gcrwatch, url: url!, target };
}

async function scrapeWhen(url: string, re: RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const body = await (await fetch(url)).text();
    if (re.test(body)) return body;
    if (Date.now() > deadline) throw new Error(`no ${re} in ${url} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function promtool(input: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = execFile('promtool', ['check', 'metrics'], (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
    });
    child.stdin!.end(input);
  });
}

interface PromVector {
  metric: Record<string, string>;
  value: [number, string];
}

async function promQuery(base: string, query: string): Promise<PromVector[]> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.json()) as { status: string; data?: { result: PromVector[] } };
  return body.status === 'success' ? body.data!.result : [];
}

async function promQueryUntil(
  base: string,
  query: string,
  ok: (v: PromVector[]) => boolean,
  timeoutMs = 30_000,
): Promise<PromVector[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await promQuery(base, query).catch(() => []);
    if (ok(result)) return result;
    if (Date.now() > deadline)
      throw new Error(`Prometheus: ${query} gave ${JSON.stringify(result)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describeWithPrereqs('Prometheus', ['prometheus', 'promtool', 'openssl'], () => {
  it('the exposition passes promtool check metrics', async () => {
    const { url, target } = await startGcrwatch('0');
    const body = await scrapeWhen(url, new RegExp(`probe_success\\{target="${target}"\\} 1`));
    expect(body).toContain(`gcrwatch_probe_phase_duration_seconds_bucket{le="+Inf",target="${target}",phase="tls"}`);
    const checked = await promtool(body);
    expect(checked.out).toBe('');
    expect(checked.code).toBe(0);
  });

  it('binds to 127.0.0.1 unless an address is given', async () => {
    const port = await freePort();
    const { url } = await startGcrwatch(String(port));
    expect(url).toBe(`http://127.0.0.1:${port}/metrics`);
    expect((await fetch(url)).status).toBe(200);
    await expect(fetch(`http://127.0.0.2:${port}/metrics`)).rejects.toThrow();
    const other = await startGcrwatch(`127.0.0.3:${await freePort()}`);
    expect(other.url).toMatch(/^http:\/\/127\.0\.0\.3:\d+\/metrics$/);
    expect((await fetch(other.url)).status).toBe(200);
  });

  it('a real Prometheus scrapes probe_success and a phase histogram of a loopback target', async () => {
    const metricsPort = await freePort();
    const { target } = await startGcrwatch(`127.0.0.1:${metricsPort}`);
    const promPort = await freePort();
    const config = path.join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      [
        'global:',
        '  scrape_interval: 1s',
        '  evaluation_interval: 1s',
        'scrape_configs:',
        '  - job_name: gcrwatch',
        '    static_configs:',
        `      - targets: ['127.0.0.1:${metricsPort}']`,
        '',
      ].join('\n'),
    );
    const prometheus = startProgram(
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${path.join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { command: 'prometheus' },
    );
    running.push(prometheus);
    const base = `http://127.0.0.1:${promPort}`;

    const success = await promQueryUntil(
      base,
      `probe_success{target="${target}"}`,
      (v) => v.length === 1 && v[0]!.value[1] === '1',
    );
    expect(success[0]!.metric).toMatchObject({ job: 'gcrwatch', instance: `127.0.0.1:${metricsPort}`, target });

    const selector = `gcrwatch_probe_phase_duration_seconds_bucket{target="${target}",phase="tls"}`;
    const buckets = await promQueryUntil(
      base,
      selector,
      (v) => v.length > 5 && v.some((b) => b.metric.le === '+Inf' && Number(b.value[1]) >= 2),
    );
    const counts = buckets
      .map((b) => [b.metric.le === '+Inf' ? Infinity : Number(b.metric.le), Number(b.value[1])] as const)
      .sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < counts.length; i++) expect(counts[i]![1]).toBeGreaterThanOrEqual(counts[i - 1]![1]);
    // A loopback TLS handshake takes well under a second: every round is in the 1 s bucket.
    expect(counts.find(([le]) => le === 1)![1]).toBe(counts.at(-1)![1]);

    const p50 = await promQueryUntil(
      base,
      `histogram_quantile(0.5, rate(${selector.replace('_bucket', '_bucket')}[10s]))`,
      (v) => v.length === 1 && Number.isFinite(Number(v[0]!.value[1])),
    );
    expect(Number(p50[0]!.value[1])).toBeGreaterThan(0);
    expect(Number(p50[0]!.value[1])).toBeLessThan(1);
  }, 60_000);
});

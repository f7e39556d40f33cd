import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { missingPrerequisite, startLoopbackRegistry, type LoopbackRegistry } from '../support/loopback-registry.js';
import { runCli } from '../support/run-cli.js';

const missing = missingPrerequisite();
if (missing && process.env.CI === 'true') throw new Error(`doctor tests need ${missing}`);
if (missing) console.warn(`skipping doctor tests: ${missing}`);

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe.skipIf(Boolean(missing))('gcrwatch doctor', () => {
  let registry: LoopbackRegistry;
  beforeEach(async () => { registry = await startLoopbackRegistry(); });
  afterEach(async () => { await registry.close(); });

  const healthyArgs = () => ['doctor', '--only', '--target', `${registry.host}:${registry.port}`, '--resolve', `${registry.host}:${registry.port}:127.0.0.1`, '--ca-file', registry.caFile, '--rounds', '2', '--interval', '200ms'];

  it('exits 0 with "healthy" when every round succeeds', async () => {
    const r = await runCli(healthyArgs());
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('gcrwatch doctor: 1 target(s), 2 round(s) each');
    expect(r.stdout).toContain('No problem found');
    expect(r.stdout.trim().split('\n').pop()).toBe('verdict: healthy');
    expect(r.code).toBe(0);
  });

  it('shows a note (a certificate close to expiry) without failing', async () => {
    const soon = await startLoopbackRegistry('soon.test', 3);
    try {
      const r = await runCli(['doctor', '--only', '--target', `${soon.host}:${soon.port}`, '--resolve', `${soon.host}:${soon.port}:127.0.0.1`, '--ca-file', soon.caFile, '--rounds', '1']);
      expect(r.stdout).toMatch(/notes:\n1\. \[network, low confidence\] The certificate of soon\.test:\d+ expires within 7 days\./);
      expect(r.stdout.trim().split('\n').pop()).toBe('verdict: healthy');
      expect(r.code).toBe(0);
    } finally {
      await soon.close();
    }
  });

  it('exits 1 and names the failing endpoint and phase', async () => {
    const port = await closedPort();
    const r = await runCli(['doctor', '--only', '--target', `127.0.0.1:${port}`, '--rounds', '2', '--interval', '200ms']);
    expect(r.stdout).toContain(`127.0.0.1:${port} fails its probes: TCP connects fail with tcp.refused.`);
    expect(r.stdout).toContain('next step: Connections to');
    expect(r.stdout).toMatch(/verdict: 1 problem\(s\) found; the most likely cause is network \(network\.endpoint_failing\)/);
    expect(r.code).toBe(1);
  });

  it('--json gives the findings and targets as one document', async () => {
    const port = await closedPort();
    const r = await runCli(['doctor', '--json', '--only', '--target', `127.0.0.1:${port}`, '--target', `${registry.host}:${registry.port}`,
      '--resolve', `${registry.host}:${registry.port}:127.0.0.1`, '--ca-file', registry.caFile, '--rounds', '1']);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ ok: false, exitCode: 1, rounds: 1 });
    expect(doc.findings.map((f: { code: string }) => f.code)).toEqual(['network.endpoint_failing']);
    expect(doc.targets.map((t: { target: string; lastOk: boolean }) => [t.target, t.lastOk])).toEqual([[`127.0.0.1:${port}`, false], [`${registry.host}:${registry.port}`, true]]);
    expect(r.code).toBe(1);
  });

  it('exits 2 with one line on bad flags', async () => {
    const r = await runCli(['doctor', '--rounds', 'lots']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('gcrwatch: --rounds: "lots" is not a whole number from 1 to 1000000');
  });
});

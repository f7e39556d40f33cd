import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysFromNow, issueLeaf } from '../../src/sim/pki.js';
import { startFront } from '../support/probe-peers.js';
import { runCli } from '../support/run-cli.js';
import { startTrustedFront, type TrustedFront } from '../support/trusted-front.js';

let healthy: TrustedFront;
let caFile: string;
let target: string;

beforeAll(async () => {
  healthy = await startTrustedFront();
  ({ caFile, target } = healthy);
});
afterAll(async () => {
  await healthy?.close();
});

const env = { ...process.env, NODE_EXTRA_CA_CERTS: '' };

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('gcrwatch doctor', () => {
  it('exits 0 with "healthy" when every round succeeds', async () => {
    const r = await runCli(
      ['doctor', '--only', '--target', target, '--ca-file', caFile, '--rounds', '2', '--interval', '200ms'],
      { env },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('gcrwatch doctor: 1 target(s), 2 round(s) each');
    expect(r.stdout).toContain('No problem found');
    expect(r.stdout.trim().split('\n').pop()).toBe('verdict: healthy');
    expect(r.code).toBe(0);
  });

  it('shows a note (a certificate close to expiry) without failing', async () => {
    const soon = await startFront(await issueLeaf(healthy.pki.ca, { notAfter: daysFromNow(3) }));
    try {
      const r = await runCli(
        ['doctor', '--only', '--target', `127.0.0.1:${soon.address.port}`, '--ca-file', caFile, '--rounds', '1'],
        { env },
      );
      expect(r.stdout).toMatch(
        /notes:\n1\. \[network, high confidence\] The certificate of 127\.0\.0\.1:\d+ expires within 7 days\./,
      );
      expect(r.stdout.trim().split('\n').pop()).toBe('verdict: healthy');
      expect(r.code).toBe(0);
    } finally {
      await soon.close();
    }
  });

  it('exits 1 and names the failing endpoint and phase', async () => {
    const port = await closedPort();
    const r = await runCli(
      ['doctor', '--only', '--target', `127.0.0.1:${port}`, '--rounds', '2', '--interval', '200ms'],
      { env },
    );
    expect(r.stdout).toContain(`127.0.0.1:${port} fails its probes: TCP connects fail with tcp.refused.`);
    expect(r.stdout).toContain('next step: Connections to');
    expect(r.stdout).toMatch(
      /verdict: 1 problem\(s\) found; the most likely cause is network \(network\.endpoint_failing\)/,
    );
    expect(r.code).toBe(1);
  });

  it("names a registry that answers 503 as the registry's side", async () => {
    const down = await startFront(healthy.pki.leaf, { mode: { kind: 'status', status: 503 } });
    try {
      const r = await runCli(
        [
          'doctor',
          '--only',
          '--target',
          `127.0.0.1:${down.address.port}`,
          '--ca-file',
          caFile,
          '--rounds',
          '3',
          '--interval',
          '200ms',
        ],
        { env },
      );
      expect(r.stdout).toMatch(/the most likely cause is registry \(registry\.server_errors\)/);
      expect(r.code).toBe(1);
    } finally {
      await down.close();
    }
  });

  it('--json gives the findings and targets as one document', async () => {
    const port = await closedPort();
    const r = await runCli(
      [
        'doctor',
        '--json',
        '--only',
        '--target',
        `127.0.0.1:${port}`,
        '--target',
        target,
        '--ca-file',
        caFile,
        '--rounds',
        '1',
      ],
      { env },
    );
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ ok: false, exitCode: 1, rounds: 1 });
    expect(doc.findings.map((f: { code: string; problem: boolean }) => [f.code, f.problem])).toEqual([
      ['network.endpoint_failing', true],
    ]);
    expect(doc.targets.map((t: { target: string; lastOk: boolean }) => [t.target, t.lastOk])).toEqual([
      [`127.0.0.1:${port}`, false],
      [target, true],
    ]);
    expect(r.code).toBe(1);
  });

  it('exits 2 with one line on bad flags', async () => {
    const r = await runCli(['doctor', '--rounds', 'lots']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('gcrwatch: --rounds: "lots" is not a whole number from 1 to 1000000');
  });
});

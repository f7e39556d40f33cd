/**
 * The proxy flags end to end, through the built gcrwatch: HTTPS_PROXY from the environment,
 * --proxy, --no-proxy, NO_PROXY and --compare-direct, against tinyproxy and a registry front.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { ProbeEvent, SessionEvent } from '../../src/core/events.js';
import { createCa, issueLeaf } from '../../src/sim/pki.js';
import { startFaultProxy } from '../../src/sim/fault-proxy.js';
import { startRegistryFront, type RegistryFront } from '../../src/sim/registry-front.js';
import { describeWithPrereqs } from '../peers/prereqs.js';
import { runCli } from '../support/run-cli.js';
import { startTinyproxy, type Tinyproxy } from '../support/tinyproxy.js';

let dir: string;
let caFile: string;
let chain: { cert: string; key: string };
let cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  const leaf = await issueLeaf(await createCa(), { sans: ['localhost', '127.0.0.1'] });
  dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-proxycli-'));
  caFile = path.join(dir, 'ca.crt');
  writeFileSync(caFile, leaf.caPem);
  chain = { cert: leaf.chainPem, key: leaf.keyPem };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function world(): Promise<{ registry: RegistryFront; tp: Tinyproxy }> {
  const registry = await startRegistryFront({ tls: chain });
  cleanups.push(() => registry.close());
  const tp = await startTinyproxy();
  cleanups.push(() => tp.stop());
  return { registry, tp };
}

/** Env without the caller's proxies, so the machine running the tests cannot change the answer. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of [
    'HTTPS_PROXY',
    'https_proxy',
    'HTTP_PROXY',
    'http_proxy',
    'NO_PROXY',
    'no_proxy',
    'ALL_PROXY',
    'all_proxy',
  ])
    delete env[k];
  return { ...env, ...extra };
}

async function probes(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ events: ProbeEvent[]; code: number | null; stderr: string }> {
  const r = await runCli(['--json', '--no-log', '--only', '--rounds', '1', '--ca-file', caFile, ...args], { env });
  const events = r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as SessionEvent);
  return { events: events.filter((e): e is ProbeEvent => e.type === 'probe'), code: r.code, stderr: r.stderr };
}

describeWithPrereqs('proxy flags and environment', ['tinyproxy', 'openssl'], () => {
  it('honours HTTPS_PROXY from the environment', async () => {
    const { registry, tp } = await world();
    const { events, code } = await probes(
      ['--target', `127.0.0.1:${registry.address.port}`],
      cleanEnv({ HTTPS_PROXY: tp.url }),
    );
    expect(code).toBe(0);
    expect(events).toHaveLength(1);
    expect(events[0]!.details.proxy).toEqual({ url: tp.url, status: 200 });
    expect(events[0]!.phases.proxy).toBeGreaterThan(0);
  });

  it('plain output shows the CONNECT time as its own column, in lines and in the summary', async () => {
    const { registry, tp } = await world();
    const r = await runCli(
      [
        '--plain',
        '--no-log',
        '--only',
        '--rounds',
        '1',
        '--ca-file',
        caFile,
        '--target',
        `127.0.0.1:${registry.address.port}`,
        '--proxy',
        tp.url,
      ],
      { env: cleanEnv() },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/127\.0\.0\.1:\d+\s+dns\s+[\d.]+\s+tcp\s+[\d.]+\s+proxy\s+[\d.]+\s+tls\s+[\d.]+\s+ttfb/);
    expect(r.stdout).toMatch(/^target\s+rounds\s+loss%\s+dns p50\/p95\s+tcp p50\/p95\s+proxy p50\/p95\s+tls p50\/p95/m);
  });

  it('--no-proxy, NO_PROXY and --proxy-bypass connect directly', async () => {
    const { registry, tp } = await world();
    const target = ['--target', `127.0.0.1:${registry.address.port}`];
    const cases = [
      [['--no-proxy'], { HTTPS_PROXY: tp.url }],
      [[], { https_proxy: tp.url, NO_PROXY: '127.0.0.0/8' }],
      [['--proxy-bypass', 'localhost,127.0.0.1'], { HTTPS_PROXY: tp.url, NO_PROXY: 'elsewhere.example' }],
    ] as const;
    for (const [args, env] of cases) {
      const { events, code } = await probes([...target, ...args], cleanEnv(env));
      expect(code).toBe(0);
      expect(events[0]!.details.proxy).toBeUndefined();
      expect(events[0]!.phases.proxy).toBeUndefined();
    }
    expect(tp.log()).not.toContain('CONNECT 127.0.0.1');
  });

  it('--compare-direct probes through the proxy and directly, and shows the proxy is the slow part', async () => {
    const { registry, tp } = await world();
    // The delay is large beside a loopback round, so the checks hold on a loaded machine: a
    // round that went through the slow proxy cannot be faster than the delay.
    const DELAY = 400;
    const slow = await startFaultProxy({
      upstream: { host: '127.0.0.1', port: tp.port },
      faults: { firstByteDelayMs: DELAY },
    });
    cleanups.push(() => slow.close());
    const id = `127.0.0.1:${registry.address.port}`;
    const { events, code } = await probes(
      ['--target', id, '--proxy', `http://127.0.0.1:${slow.address.port}`, '--compare-direct'],
      cleanEnv(),
    );
    expect(code).toBe(0);
    const byRoute = Object.fromEntries(events.map((e) => [e.details.route, e]));
    expect(byRoute.proxy?.target).toBe(id);
    expect(byRoute.direct?.target).toBe(`${id} (direct)`);
    expect(byRoute.proxy!.phases.proxy!).toBeGreaterThanOrEqual(DELAY - 5);
    expect(byRoute.direct!.phases.proxy).toBeUndefined();
    expect(byRoute.direct!.details.proxy).toBeUndefined();
    expect(byRoute.direct!.phases.total!).toBeLessThan(DELAY);
  });

  it.each([
    [['--proxy', 'socks5://p:1080'], /^gcrwatch: --proxy: socks5:\/\/ proxies are not supported/],
    [['--compare-direct'], /^gcrwatch: --compare-direct: no proxy applies to any target/],
  ])('bad proxy input %j is a one-line usage error', async (args, why) => {
    const r = await runCli(['--no-log', '--only', '--target', '127.0.0.1:9', '--duration', '1s', ...args], {
      env: cleanEnv(),
    });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(why);
  });

  it('a bad HTTPS_PROXY is named, and its password is not printed', async () => {
    const r = await runCli(['--no-log', '--only', '--target', '127.0.0.1:9', '--duration', '1s'], {
      env: cleanEnv({ HTTPS_PROXY: 'https://u:hunter2-secret@p:443' }),
    });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(/^gcrwatch: HTTPS_PROXY: https:\/\/ proxies are not supported/);
    expect(r.stderr).not.toContain('hunter2');
  });
});

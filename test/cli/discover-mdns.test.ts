/**
 * mDNS for real: `discover` (node-dns-sd) in one network namespace lists the registries a DNS-SD
 * responder publishes in another, the two joined by a veth pair with multicast on, as machines
 * on a LAN are. And a `.local` target is resolved over mDNS (gcrwatch's own one-shot querier,
 * not getaddrinfo) in the DNS phase of a round that then completes against TLS, in a namespace
 * whose only interface is a multicast loopback.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { DiscoverEvent, ProbeEvent } from '../../src/core/events.js';
import type { MdnsResponderOptions } from '../../src/sim/mdns-responder.js';
import { createCa, issueLeaf } from '../../src/sim/pki.js';
import { describeWithPrereqs } from '../peers/prereqs.js';
import type { Running } from '../support/long-running.js';
import { createMulticastNetns, createVethPair, type Netns, type VethPair } from '../support/netns.js';
import { BIN } from '../support/run-cli.js';
import { mustRun } from '../peers/processes.js';

const RESPONDER = path.resolve(import.meta.dirname, '../../dist/sim/mdns-responder.js');

const WORLD: MdnsResponderOptions = {
  services: [
    { instance: 'Build Cache', type: '_docker-registry._tcp', host: 'cache.local', port: 5443 },
    { instance: 'Team mirror', type: '_http._tcp', host: 'mirror.local', port: 8080, txt: { path: '/v2/' } },
    { instance: 'Old registry', type: '_registry._tcp', host: 'old.local', port: 5000 },
    { instance: 'Printer', type: '_http._tcp', host: 'printer.local', port: 80, txt: { path: '/' } },
  ],
  hosts: {
    'cache.local': ['127.0.0.5'],
    'mirror.local': ['127.0.0.6', '::1'],
    'old.local': ['127.0.0.7'],
    'printer.local': ['127.0.0.8'],
  },
};

/** What the responder on the other end of the link publishes: addresses of that LAN. */
const LAN: MdnsResponderOptions = {
  services: [
    { instance: 'Build Cache', type: '_docker-registry._tcp', host: 'cache.local', port: 5443 },
    { instance: 'Team mirror', type: '_http._tcp', host: 'mirror.local', port: 8080, txt: { path: '/v2/' } },
    { instance: 'Old registry', type: '_registry._tcp', host: 'old.local', port: 5000 },
    { instance: 'Printer', type: '_http._tcp', host: 'printer.local', port: 80, txt: { path: '/' } },
  ],
  hosts: {
    'cache.local': ['10.213.1.1'],
    'mirror.local': ['10.213.1.1', 'fd00:213::1'],
    'old.local': ['10.213.1.7'],
    'printer.local': ['10.213.1.8'],
  },
};

const events = <T>(stdout: string, type: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T & { type: string })
    .filter((e) => e.type === type);

/** Run to its end in `ns`, killed after `timeoutMs`. */
async function runIn(ns: Netns, args: string[], timeoutMs = 20_000) {
  const r = ns.start(process.execPath, [BIN, ...args]);
  const deadline = setTimeout(() => void r.stop(), timeoutMs);
  const code = await new Promise<number | null>((resolve) => r.child.once('close', (c) => resolve(c)));
  clearTimeout(deadline);
  return { code, stdout: r.stdout(), stderr: r.stderr() };
}

describeWithPrereqs('gcrwatch discover across a veth link', ['root', 'netns'], () => {
  let lan: VethPair;
  let started: Running[] = [];

  beforeAll(async () => {
    lan = await createVethPair();
  });
  afterEach(async () => {
    for (const r of started.reverse()) await r.stop(2000);
    started = [];
  });
  afterAll(async () => {
    await lan?.destroy();
  });

  /** The responder, in namespace a, joined on the link's address. */
  async function responder(options: MdnsResponderOptions): Promise<void> {
    const r = lan.a.start(process.execPath, [
      RESPONDER,
      JSON.stringify({ ...options, interfaceAddress: lan.addressA }),
    ]);
    started.push(r);
    await r.waitFor(/^ready$/m);
  }

  it('lists registries and /v2/ HTTP services, with addresses and ports, and not other services', async () => {
    await responder(LAN);
    const r = await runIn(lan.b, ['discover', '--wait', '1s', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const found = events<DiscoverEvent>(r.stdout, 'discover').map(
      ({ name, service, host, port, addresses, path: p }) => ({ name, service, host, port, addresses, path: p }),
    );
    expect(found).toEqual([
      {
        name: 'Build Cache',
        service: '_docker-registry._tcp',
        host: 'cache.local',
        port: 5443,
        addresses: ['10.213.1.1'],
        path: undefined,
      },
      {
        name: 'Old registry',
        service: '_registry._tcp',
        host: 'old.local',
        port: 5000,
        addresses: ['10.213.1.7'],
        path: undefined,
      },
      {
        name: 'Team mirror',
        service: '_http._tcp',
        host: 'mirror.local',
        port: 8080,
        addresses: ['10.213.1.1', 'fd00:213::1'],
        path: '/v2/',
      },
    ]);

    const table = await runIn(lan.b, ['discover', '--wait', '1s']);
    expect(table.stdout).toMatch(
      /Build Cache\s+_docker-registry\._tcp\s+cache\.local:5443\s+10\.213\.1\.1\s+--target https:\/\/cache\.local:5443/,
    );
    expect(table.stdout).not.toContain('Printer');
  });

  it('asks for SRV, TXT and addresses when the responder sends bare PTR answers', async () => {
    await responder({ ...LAN, bareAnswers: true });
    const r = await runIn(lan.b, ['discover', '--wait', '1s', '--json']);
    const found = events<DiscoverEvent>(r.stdout, 'discover');
    expect(found.map((f) => `${f.host}:${f.port} ${f.addresses.join(',')}`)).toEqual([
      'cache.local:5443 10.213.1.1',
      'old.local:5000 10.213.1.7',
      'mirror.local:8080 10.213.1.1,fd00:213::1',
    ]);
  });

  it('keeps --json stdout NDJSON on a host whose interface has two addresses (node-dns-sd prints then)', async () => {
    await responder(LAN);
    await mustRun('ip', ['-n', lan.b.name, 'address', 'add', '10.213.1.3/24', 'dev', 'vB']);
    try {
      const r = await runIn(lan.b, ['discover', '--wait', '1s', '--json']);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      for (const line of r.stdout.trim().split('\n')) expect(JSON.parse(line)).toMatchObject({ type: 'discover' });
      expect(events(r.stdout, 'discover')).toHaveLength(3);
    } finally {
      await mustRun('ip', ['-n', lan.b.name, 'address', 'del', '10.213.1.3/24', 'dev', 'vB']);
    }
  });

  it('with nobody answering says so, rounding --wait up to whole seconds, and exits 1', async () => {
    const r = await runIn(lan.b, ['discover', '--wait', '300ms']);
    expect(r.code).toBe(1);
    expect(r.stdout.trim()).toBe('no registry answered over mDNS within 1 s');
  });
});

describeWithPrereqs('.local targets over mDNS on a multicast loopback', ['root', 'netns', 'openssl'], () => {
  let ns: Netns;
  let dir: string;
  let started: Running[] = [];

  beforeAll(async () => {
    ns = await createMulticastNetns();
    dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-mdns-'));
  });
  afterEach(async () => {
    for (const r of started.reverse()) await r.stop(2000);
    started = [];
  });
  afterAll(async () => {
    await ns?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function responder(options: MdnsResponderOptions): Promise<void> {
    const r = ns.start(process.execPath, [RESPONDER, JSON.stringify(options)]);
    started.push(r);
    await r.waitFor(/^ready$/m);
  }

  const gcrwatch = (args: string[]) => runIn(ns, args, 15_000);

  it('a .local target is resolved over mDNS in the DNS phase and the round completes over TLS', async () => {
    await responder(WORLD);
    const leaf = await issueLeaf(await createCa(), { sans: ['cache.local'] });
    for (const [name, text] of [
      ['ca.crt', leaf.caPem],
      ['chain.crt', leaf.chainPem],
      ['leaf.key', leaf.keyPem],
    ])
      writeFileSync(path.join(dir, name!), text!);
    const front = ns.start(process.execPath, [
      '-e',
      `
      const fs = require('node:fs');
      require('node:https').createServer({ cert: fs.readFileSync(process.argv[1]), key: fs.readFileSync(process.argv[2]) }, (req, res) => {
        res.writeHead(401, { 'www-authenticate': 'Bearer realm="https://cache.local/token",service="cache.local"', 'docker-distribution-api-version': 'registry/2.0' });
        res.end('{}');
      }).listen(5443, '127.0.0.5', () => console.log('ready'));`,
      path.join(dir, 'chain.crt'),
      path.join(dir, 'leaf.key'),
    ]);
    started.push(front);
    await front.waitFor(/ready/);

    const r = await gcrwatch([
      '--json',
      '--no-log',
      '--only',
      '--target',
      'cache.local:5443',
      '--target',
      'nobody.local',
      '--rounds',
      '1',
      '--timeout',
      '4s',
      '--ca-file',
      path.join(dir, 'ca.crt'),
    ]);
    const probes = events<ProbeEvent>(r.stdout, 'probe');
    const cache = probes.find((p) => p.target === 'cache.local:5443')!;
    expect(cache.error).toBeUndefined();
    expect(cache.ok).toBe(true);
    expect(cache.details.dns).toEqual([
      { resolver: 'mdns', ok: true, ms: cache.phases.dns, v4: ['127.0.0.5'], v6: [] },
    ]);
    expect(cache.phases.dns).toBeGreaterThan(0);
    expect(cache.details.address).toBe('127.0.0.5');
    expect(cache.details.http?.status).toBe(401);

    const nobody = probes.find((p) => p.target === 'nobody.local')!;
    expect(nobody.error).toMatchObject({ code: 'dns.timeout', phase: 'dns' });
    expect(nobody.error?.message).toContain('no mDNS responder answered for nobody.local');
  });
});

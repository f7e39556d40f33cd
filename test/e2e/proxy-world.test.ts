/**
 * The simulated gcr.io world behind a corporate proxy: tinyproxy runs inside the world's
 * namespace and resolves the registry names there, and gcrwatch runs with its default targets
 * and nothing but HTTPS_PROXY / NO_PROXY set, as a user behind a proxy would.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ProbeEvent } from '../../src/core/events.js';
import { DEFAULT_HOSTS } from '../../src/core/targets.js';
import { describeWithPrereqs } from '../peers/prereqs.js';
import { createWorld, WORLD_PREREQS, type World } from '../peers/world.js';
import { BIN } from '../support/run-cli.js';

const PROXY = 'http://127.0.0.1:3128';

describeWithPrereqs('a proxy in the simulated world', [...WORLD_PREREQS, 'tinyproxy'], () => {
  let world: World;

  beforeAll(async () => {
    world = await createWorld({ registry: 'front' });
    const conf = path.join(world.dir, 'tinyproxy.conf');
    writeFileSync(
      conf,
      ['Port 3128', 'Listen 127.0.0.1', 'Timeout 10', 'MaxClients 50', 'LogLevel Error', ''].join('\n'),
    );
    world.spawn('tinyproxy', ['-d', '-c', conf]);
    const up = await world.run('bash', [
      '-c',
      'for i in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/3128) 2>/dev/null && exit 0; sleep 0.05; done; exit 1',
    ]);
    expect(up.code, 'tinyproxy listens in the world').toBe(0);
  }, 180_000);
  afterAll(async () => {
    await world?.close();
  });

  async function probes(args: string[], env: NodeJS.ProcessEnv): Promise<ProbeEvent[]> {
    const r = await world.run(
      process.execPath,
      [BIN, '--json', '--no-log', '--no-config', '--rounds', '1', '--timeout', '4s', ...args],
      { env, timeoutMs: 60_000 },
    );
    expect(r.stderr).toBe('');
    return r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ProbeEvent)
      .filter((e) => e.type === 'probe');
  }

  it('every default target goes through HTTPS_PROXY: connect to the proxy, CONNECT, TLS through the tunnel', async () => {
    const events = await probes([], { HTTPS_PROXY: PROXY });
    expect(events.map((e) => e.target).sort()).toEqual([...DEFAULT_HOSTS].sort());
    for (const e of events) {
      expect(e.error, e.target).toBeUndefined();
      expect(e.details.proxy).toEqual({ url: PROXY, status: 200 });
      expect(e.details.address).toBe('127.0.0.1');
      expect(e.details.tls?.verified).toBe(true);
      expect(e.details.tls?.sans).toContain('*.gcr.io');
      expect(e.details.http?.status).toBe(401);
      expect(e.phases.proxy).toBeGreaterThan(0);
    }
  });

  it('a registry the proxy cannot reach is proxy.error for that host only', async () => {
    await world.proxy('eu.gcr.io').set({ refuse: 'close' });
    try {
      const events = await probes([], { HTTPS_PROXY: PROXY });
      const eu = events.find((e) => e.target === 'eu.gcr.io')!;
      expect(eu.error).toMatchObject({ code: 'proxy.error', phase: 'proxy' });
      expect(eu.details.proxy?.status).toBe(500);
      expect(events.filter((e) => e.target !== 'eu.gcr.io').every((e) => e.ok)).toBe(true);
    } finally {
      await world.proxy('eu.gcr.io').set({});
    }
  });

  it('--compare-direct with NO_PROXY: proxied hosts get a direct twin, excluded hosts go direct once', async () => {
    const events = await probes(['--compare-direct'], { https_proxy: PROXY, NO_PROXY: '.pkg.dev' });
    const gcr = DEFAULT_HOSTS.filter((h) => h.endsWith('gcr.io'));
    const pkg = DEFAULT_HOSTS.filter((h) => h.endsWith('pkg.dev'));
    expect(events.map((e) => e.target).sort()).toEqual([...gcr, ...gcr.map((h) => `${h} (direct)`), ...pkg].sort());
    for (const e of events) {
      expect(e.ok, e.target).toBe(true);
      const proxied = gcr.includes(e.target);
      expect(e.details.route, e.target).toBe(proxied ? 'proxy' : e.target.endsWith('(direct)') ? 'direct' : undefined);
      expect(e.details.proxy !== undefined, e.target).toBe(proxied);
      expect(e.details.address, e.target).toBe(
        proxied ? '127.0.0.1' : world.addressOf(e.target.replace(' (direct)', '')),
      );
    }
  });
});

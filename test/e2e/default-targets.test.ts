/**
 * gcrwatch with its default targets and no test-only flags, inside the simulated world of
 * shared/world.md: gcr.io and friends resolve through the namespace's resolver to loopback
 * registries, and the TLS chain is trusted through NODE_EXTRA_CA_CERTS only.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_HOSTS } from '../../src/core/targets.js';
import type { SessionEndEvent, SessionStartEvent } from '../../src/core/events.js';
import { describeWithPrereqs } from '../peers/prereqs.js';
import { createWorld, WORLD_PREREQS, type World } from '../peers/world.js';
import { BIN } from '../support/run-cli.js';
import { probesOf, readLog } from '../support/session-log.js';

describeWithPrereqs('default targets in the simulated world', WORLD_PREREQS, () => {
  let world: World;
  let dir: string;
  beforeAll(async () => {
    world = await createWorld();
    dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-e2e-'));
  }, 120_000);
  afterAll(async () => {
    await world?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('probes the seven default registries through the world and prints rounds and a summary', async () => {
    const log = path.join(dir, 'healthy.ndjson');
    const run = await world.run('node', [BIN, '--plain', '--duration', '3s', '--interval', '1s', '--log', log]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const host of DEFAULT_HOSTS) {
      expect(run.stdout).toMatch(
        new RegExp(
          `\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  ${host.replace(/\./g, '\\.')} +dns +[\\d.]+ +tcp +[\\d.]+ +tls +[\\d.]+ +ttfb +[\\d.]+ +total +[\\d.]+  401  ok`,
        ),
      );
    }
    expect(run.stdout).toMatch(/^target +rounds +loss%/m);
    const events = readLog(log);
    const start = events[0] as SessionStartEvent;
    expect(start.type).toBe('session.start');
    expect(start.targets.map((t) => t.host)).toEqual([...DEFAULT_HOSTS]);
    const end = events.at(-1) as SessionEndEvent;
    expect(end).toMatchObject({ type: 'session.end', reason: 'duration', exitCode: 0 });
    expect(end.summary).toHaveLength(7);
    for (const host of DEFAULT_HOSTS) {
      const probes = probesOf(events, host);
      expect(probes.length).toBeGreaterThanOrEqual(2);
      const p = probes[0]!;
      expect(p.ok).toBe(true);
      expect(p.details.dns?.[0]).toMatchObject({ resolver: 'system', ok: true, v4: [world.addressOf(host)] });
      expect(p.details.tls).toMatchObject({ verified: true, issuerOrg: 'Google Trust Services LLC' });
      expect(p.details.tls?.interception).toBeUndefined();
      expect(p.details.http).toMatchObject({ status: 401, challenge: { scheme: 'Bearer', realm: world.realm } });
    }
    expect(statSync(log).mode & 0o777).toBe(0o600);
  }, 60_000);

  it('tells DNS, connect and recovery apart, and reports the resolvers side by side', async () => {
    await world.dns.set('eu.gcr.io', { kind: 'servfail' });
    await world.dns.set('asia.gcr.io', { kind: 'nxdomain' });
    await world.dns.set('asia-docker.pkg.dev', { kind: 'nodata' });
    await world.dns.set('europe-docker.pkg.dev', { kind: 'refused' });
    await world.proxy('us.gcr.io').set({ refuse: 'close' });
    const log = path.join(dir, 'faults.ndjson');
    try {
      const run = await world.run('node', [BIN, '--json', '--rounds', '1', '--log', log, '--dns-server', '127.0.0.53']);
      expect(run.code).toBe(1);
      const lines = run.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string });
      expect(lines.length).toBe(readLog(log).length);
      const events = readLog(log);
      const codeOf = (host: string) => probesOf(events, host)[0]?.error?.code;
      expect(codeOf('eu.gcr.io')).toBe('dns.servfail');
      expect(codeOf('asia.gcr.io')).toBe('dns.nxdomain');
      expect(codeOf('asia-docker.pkg.dev')).toBe('dns.no_address');
      expect(codeOf('europe-docker.pkg.dev')).toBe('dns.refused');
      expect(codeOf('us.gcr.io')).toBe('tcp.refused');
      expect(codeOf('gcr.io')).toBeUndefined();
      const direct = probesOf(events, 'gcr.io')[0]!.details.dns!;
      expect(direct.map((d) => d.resolver)).toEqual(['system', '127.0.0.53']);
      expect(direct[1]).toMatchObject({ ok: true, v4: [world.addressOf('gcr.io')] });
      expect(probesOf(events, 'asia.gcr.io')[0]!.details.dns![1]!.error?.code).toBe('dns.nxdomain');
    } finally {
      for (const h of ['eu.gcr.io', 'asia.gcr.io', 'asia-docker.pkg.dev', 'europe-docker.pkg.dev']) {
        await world.dns.set(h, { kind: 'answer', a: [world.addressOf(h)] });
      }
      await world.proxy('us.gcr.io').set({});
    }
    const again = await world.run('node', [BIN, '--plain', '--rounds', '1', '--no-log']);
    expect(again.code).toBe(0);
  }, 60_000);
});

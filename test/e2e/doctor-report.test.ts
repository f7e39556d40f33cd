/**
 * doctor and report in the simulated world of shared/world.md, with gcrwatch's default
 * targets and no test-only flags: a healthy world passes `doctor`; a pull-only credential
 * fails it with the auth finding in the registry's words; a registry endpoint whose TLS
 * handshakes stall is named, with its phase, by `doctor` and by `report` on a session
 * recorded there. (The push scenarios of the corpus get their recorded twins once the push
 * wrapper is on main.)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithPrereqs } from '../peers/prereqs.js';
import { createWorld, WORLD_PREREQS, type World } from '../peers/world.js';
import { mintIdentity, SECRET_SHAPES, type MintedIdentity } from '../support/auth-world.js';
import { HelperBin } from '../support/credential-helpers.js';
import { BIN } from '../support/run-cli.js';

describeWithPrereqs('doctor and report in the simulated world', [...WORLD_PREREQS, 'curl'], () => {
  let world: World;
  let dir: string;
  beforeAll(async () => {
    world = await createWorld();
    dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-e2e-doctor-'));
  }, 120_000);
  afterAll(async () => {
    await world?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('doctor: a healthy world exits 0', async () => {
    const run = await world.run('node', [BIN, 'doctor']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('gcrwatch doctor: 7 target(s), 3 round(s) each');
    expect(run.stdout.trim().split('\n').pop()).toBe('verdict: healthy');
    expect(run.code).toBe(0);
  }, 60_000);

  it("doctor: a pull-only credential is the auth finding, in the registry's words, exit 1; a pusher passes", async () => {
    const bin = new HelperBin();
    try {
      const puller: MintedIdentity = await mintIdentity(
        world,
        'doctor-puller',
        'doctor-puller@proj.iam.gserviceaccount.com',
        'pull',
      );
      const pusher: MintedIdentity = await mintIdentity(
        world,
        'doctor-pusher',
        'doctor-pusher@proj.iam.gserviceaccount.com',
        'push',
      );
      bin.writeDockerConfig({ credHelpers: { 'gcr.io': 'gcloud' } });
      bin.install('gcloud', { kind: 'ok', username: '_dcgcloud_token', secret: puller.accessToken });
      const refused = await world.run(process.execPath, [BIN, 'doctor', '--repo', 'gcr.io/proj/app'], {
        env: bin.env(),
      });
      expect(refused.stdout).toMatch(
        /^1\. \[auth, high confidence\] The registry refuses to let doctor-puller@proj\.iam\.gserviceaccount\.com push to gcr\.io: .*the registry refused to start an upload to proj\/app \(the token lacks push\): UNAUTHORIZED: authentication required/m,
      );
      expect(refused.stdout).toContain(
        'next step: Grant doctor-puller@proj.iam.gserviceaccount.com push rights on the repository',
      );
      expect(refused.stdout).toMatch(
        /verdict: \d problem\(s\) found; the most likely cause is auth \(auth\.push_denied\)/,
      );
      expect(refused.code).toBe(1);

      bin.install('gcloud', { kind: 'ok', username: '_dcgcloud_token', secret: pusher.accessToken });
      const allowed = await world.run(process.execPath, [BIN, 'doctor', '--repo', 'gcr.io/proj/app'], {
        env: bin.env(),
      });
      expect(allowed.stdout.trim().split('\n').pop()).toBe('verdict: healthy');
      expect(allowed.code).toBe(0);
      for (const out of [refused.stdout, refused.stderr, allowed.stdout, allowed.stderr]) {
        for (const secret of [puller.accessToken, pusher.accessToken]) expect(out).not.toContain(secret);
        for (const shape of SECRET_SHAPES) expect(out).not.toMatch(shape);
      }
    } finally {
      bin.cleanup();
    }
  }, 90_000);

  it('doctor and report name the endpoint whose TLS handshakes stall', async () => {
    await world.proxy('us.gcr.io').set({ stall: true });
    try {
      // A round must end (at its 1 s deadline) before the next is due, or the stalled target skips ticks.
      const doctor = await world.run('node', [BIN, 'doctor', '--timeout', '1s', '--interval', '1500ms']);
      expect(doctor.code).toBe(1);
      expect(doctor.stdout).toContain(
        '1. [network, high confidence] us.gcr.io fails its probes: TLS handshakes fail with tls.timeout.',
      );
      expect(doctor.stdout).toMatch(
        /verdict: 1 problem\(s\) found; the most likely cause is network \(network\.endpoint_failing\)/,
      );

      const log = path.join(dir, 'stall.ndjson');
      const session = await world.run('node', [
        BIN,
        '--plain',
        '--rounds',
        '4',
        '--interval',
        '1500ms',
        '--timeout',
        '1s',
        '--log',
        log,
      ]);
      expect(session.code).toBe(1);
      expect(session.stdout).toMatch(/finding network\/\w+ network\.endpoint_failing: us\.gcr\.io fails its probes/);
      const md = path.join(dir, 'stall.md');
      const report = await world.run('node', [BIN, 'report', log, '-o', md]);
      expect(report.code).toBe(0);
      const text = readFileSync(md, 'utf8');
      expect(text).toContain(
        '**Network (network.endpoint_failing, high confidence).** us.gcr.io fails its probes: TLS handshakes fail with tls.timeout.',
      );
      expect(text).toMatch(/\| us\.gcr\.io \| 4 \| 100\.0 \|/);
      expect(text).toMatch(/\| gcr\.io \| 4 \| 0\.0 \|/);
    } finally {
      await world.proxy('us.gcr.io').set({});
    }
  }, 90_000);
});

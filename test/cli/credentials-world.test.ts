/**
 * The credential scenarios end to end: gcrwatch, with its default targets and no test-only
 * flags, in the simulated world (real DNS answers, TLS with a CA trusted through
 * NODE_EXTRA_CA_CERTS, the real docker-registry with token auth, the world's token and OAuth
 * endpoints), with docker config and credential helpers of the test's making. Each scenario
 * asserts the `auth` events and that no secret appears in the log, the --json output or the
 * plain output.
 */
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { SessionEndEvent } from '../../src/core/events.js';
import { describeWithPrereqs } from '../peers/prereqs.js';
import { createWorld, DEFAULT_WORLD_HOSTS, WORLD_CREDENTIALS, WORLD_PREREQS, type World } from '../peers/world.js';
import {
  allOutput,
  mintIdentity,
  runGcrwatchInWorld,
  SECRET_SHAPES,
  type AuthRun,
  type MintedIdentity,
} from '../support/auth-world.js';
import { HelperBin } from '../support/credential-helpers.js';

function expectNoSecret(run: AuthRun, secrets: string[]): void {
  const text = allOutput(run);
  for (const s of secrets) expect(text, `secret ${s.slice(0, 12)}… leaked`).not.toContain(s);
  for (const shape of SECRET_SHAPES) expect(text).not.toMatch(shape);
}

const endOf = (run: AuthRun) => run.events.find((e): e is SessionEndEvent => e.type === 'session.end')!;

describeWithPrereqs('credential scenarios in the simulated world', [...WORLD_PREREQS, 'curl'], () => {
  let world: World;
  let bin: HelperBin;
  let pusher: MintedIdentity;
  let puller: MintedIdentity;
  beforeAll(async () => {
    // asia.gcr.io is a registry front, whose clock can be set off.
    world = await createWorld({
      hosts: DEFAULT_WORLD_HOSTS.map((h) => (h.name === 'asia.gcr.io' ? { ...h, serve: 'front' as const } : h)),
    });
    pusher = await mintIdentity(world, 'pusher', 'ci-pusher@proj.iam.gserviceaccount.com', 'push');
    puller = await mintIdentity(world, 'puller', 'ci-puller@proj.iam.gserviceaccount.com', 'pull');
  });
  afterAll(() => world?.close());
  beforeEach(() => {
    bin = new HelperBin();
  });
  afterEach(() => bin.cleanup());

  const secrets = () => [
    pusher.accessToken,
    pusher.refreshToken,
    puller.accessToken,
    puller.refreshToken,
    ...Object.values(WORLD_CREDENTIALS).map((c) => c.password),
  ];

  it("a valid push credential: docker's helper, its identity and expiry, and push proved without writing", async () => {
    bin.writeDockerConfig({ credHelpers: { 'gcr.io': 'gcloud', 'us.gcr.io': 'gcloud' } });
    bin.install('gcloud', { kind: 'ok', username: '_dcgcloud_token', secret: pusher.accessToken });
    const run = await runGcrwatchInWorld(world, bin, ['--duration', '10s', '--repo', 'gcr.io/proj/app']);
    const docker = run.auth.find((e) => e.view === 'docker' && e.host === 'gcr.io')!;
    expect(docker).toMatchObject({
      ok: true,
      source: 'credHelpers: gcloud',
      kind: 'gcloud-token',
      identity: pusher.email,
      helper: { name: 'docker-credential-gcloud' },
    });
    expect(Date.parse(docker.expiresAt!) - Date.now()).toBeGreaterThan(50 * 60_000);
    const registry = run.auth.find((e) => e.view === 'registry')!;
    expect(registry).toMatchObject({
      ok: true,
      host: 'gcr.io',
      repository: 'proj/app',
      canPush: true,
      identity: pusher.email,
    });
    expect(registry.note).toContain('upload session opened (202) and cancelled; nothing was written');
    expect(run.auth.find((e) => e.view === 'clock')).toMatchObject({ ok: true, host: 'gcr.io' });
    expect(run.auth.find((e) => e.view === 'docker' && e.host === 'asia.gcr.io')).toMatchObject({
      ok: true,
      kind: 'none',
    });
    expect(endOf(run).credentials).toMatchObject({ state: 'ok', canPush: true, identity: pusher.email });
    expect(run.plain).toMatch(
      // One line for the one credential docker uses for both hosts (issue 13).
      /auth docker {3}2 hosts \(gcr\.io, us\.gcr\.io\) {2}credHelpers: gcloud {2}gcloud-token {2}ci-pusher@proj\.iam\.gserviceaccount\.com {2}expires in \d+m/,
    );
    expect(run.plain).toContain(`credentials: ok: push to gcr.io/proj/app allowed as ${pusher.email}`);
    // Asked for push,pull and nothing more.
    const asked = (await world.tokens.stats()).requests.filter((r) => r.scopes.some((s) => s.includes('proj/app')));
    expect(asked.length).toBeGreaterThan(0);
    for (const r of asked) expect(r.scopes).toEqual(['repository:proj/app:push,pull']);
    expectNoSecret(run, secrets());
  }, 60_000);

  it("a pull-only identity is refused before any push, in the registry's words", async () => {
    bin.writeDockerConfig({
      auths: { 'gcr.io': { auth: Buffer.from(`oauth2accesstoken:${puller.accessToken}`).toString('base64') } },
    });
    const run = await runGcrwatchInWorld(world, bin, ['--duration', '3s', '--only', '--repo', 'gcr.io/proj/app']);
    const registry = run.auth.find((e) => e.view === 'registry')!;
    expect(registry).toMatchObject({
      ok: false,
      canPush: false,
      identity: puller.email,
      error: { code: 'auth.denied', category: 'auth' },
    });
    expect(registry.error!.message).toMatch(
      /the registry refused to start an upload to proj\/app \(the token lacks push\): UNAUTHORIZED: authentication required/,
    );
    expect(run.auth.find((e) => e.view === 'docker')).toMatchObject({
      kind: 'access-token',
      identity: puller.email,
      error: { code: 'auth.short_lived' },
    });
    expect(endOf(run).credentials).toMatchObject({
      state: 'failing',
      canPush: false,
      codes: ['auth.denied', 'auth.short_lived'],
    });
    expect(run.plain).toContain('credentials: FAILING: push to gcr.io/proj/app REFUSED');
    expectNoSecret(run, secrets());
  }, 60_000);

  it("an identity without the permission is denied in Artifact Registry's words", async () => {
    const denied = await mintIdentity(world, 'denied', 'ci-denied@proj.iam.gserviceaccount.com', 'denied');
    bin.writeDockerConfig({ credHelpers: { 'europe-west1-docker.pkg.dev': 'gcloud' } });
    bin.install('gcloud', { kind: 'ok', username: '_dcgcloud_token', secret: denied.accessToken });
    const run = await runGcrwatchInWorld(world, bin, [
      '--duration',
      '3s',
      '--only',
      '--repo',
      'europe-west1-docker.pkg.dev/proj/repo/app:1',
    ]);
    expect(run.auth.find((e) => e.view === 'registry')).toMatchObject({
      ok: false,
      canPush: false,
      error: {
        code: 'auth.denied',
        message: expect.stringContaining(
          'DENIED: Permission "artifactregistry.repositories.uploadArtifacts" denied on resource',
        ),
      },
    });
    expectNoSecret(run, [...secrets(), denied.accessToken, denied.refreshToken]);
  }, 60_000);

  it('no helper for the pushed host while one exists for gcr.io: named precisely', async () => {
    bin.writeDockerConfig({ credHelpers: { 'gcr.io': 'gcloud', 'us.gcr.io': 'gcloud', 'eu.gcr.io': 'gcloud' } });
    bin.install('gcloud', { kind: 'ok', username: '_dcgcloud_token', secret: pusher.accessToken });
    const run = await runGcrwatchInWorld(world, bin, [
      '--duration',
      '3s',
      '--repo',
      'europe-west1-docker.pkg.dev/proj/repo/app',
    ]);
    const docker = run.auth.find((e) => e.view === 'docker' && e.host === 'europe-west1-docker.pkg.dev')!;
    expect(docker).toMatchObject({ ok: false, error: { code: 'auth.wrong_host' } });
    expect(docker.error!.message).toContain(
      'it has credentials only for eu.gcr.io, gcr.io, us.gcr.io. Run: gcloud auth configure-docker europe-west1-docker.pkg.dev',
    );
    // Docker would ask anonymously, and the realm says no.
    const registry = run.auth.find((e) => e.view === 'registry')!;
    expect(registry).toMatchObject({ ok: false, source: 'anonymous', error: { code: 'auth.unauthorized' } });
    // Nothing was refused: no credential was sent, and the message must not say otherwise.
    expect(registry.error!.message).toContain(
      'the token endpoint refused an anonymous request (docker had no usable credential for this registry)',
    );
    expect(run.plain).toContain('FAIL auth.wrong_host: docker has no credential for europe-west1-docker.pkg.dev');
    expectNoSecret(run, secrets());
  }, 60_000);

  it('the classic docker-credential-gcloud missing from PATH', async () => {
    bin.writeDockerConfig({ credHelpers: { 'gcr.io': 'gcloud' } });
    const run = await runGcrwatchInWorld(world, bin, ['--duration', '3s', '--only', '--repo', 'gcr.io/proj/app']);
    expect(run.auth.find((e) => e.view === 'docker')).toMatchObject({
      ok: false,
      source: 'credHelpers: gcloud',
      error: { code: 'auth.helper_missing', message: 'docker-credential-gcloud is not on PATH' },
    });
    expect(run.plain).toContain('FAIL auth.helper_missing: docker-credential-gcloud is not on PATH');
    expectNoSecret(run, secrets());
  }, 60_000);

  it('an ADC refresh token that was revoked: invalid_grant', async () => {
    const dev = await mintIdentity(world, 'dev', 'revoked-dev@example.com', 'push');
    const adc = path.join(bin.dir, 'adc.json');
    writeFileSync(
      adc,
      JSON.stringify({
        type: 'authorized_user',
        client_id: 'sim',
        client_secret: 'sim-CANARY-client-secret',
        refresh_token: dev.refreshToken,
      }),
    );
    await world.oauth.revoke(dev.email);
    bin.writeDockerConfig({ credHelpers: { 'gcr.io': 'gcloud' } });
    bin.install('gcloud', { kind: 'ok', username: '_dcgcloud_token', secret: pusher.accessToken });
    const run = await runGcrwatchInWorld(world, bin, ['--duration', '3s', '--only', '--repo', 'gcr.io/proj/app'], {
      GOOGLE_APPLICATION_CREDENTIALS: adc,
    });
    const google = run.auth.find((e) => e.view === 'google')!;
    expect(google).toMatchObject({
      ok: false,
      kind: 'user',
      source: `GOOGLE_APPLICATION_CREDENTIALS (${adc})`,
      error: { code: 'auth.invalid_grant' },
    });
    expect(google.error!.message).toContain('invalid_grant: Token has been expired or revoked.');
    expect(run.plain).toContain('FAIL auth.invalid_grant');
    expectNoSecret(run, [...secrets(), dev.refreshToken, dev.accessToken, 'sim-CANARY-client-secret']);
  }, 60_000);

  it('a working authorized_user ADC: identity, expiry and scopes from Google', async () => {
    const dev = await mintIdentity(world, 'adcdev', 'adc-dev@example.com', 'push');
    const adc = path.join(bin.dir, 'adc.json');
    writeFileSync(
      adc,
      JSON.stringify({
        type: 'authorized_user',
        client_id: 'sim',
        client_secret: 'sim-CANARY-client-secret',
        refresh_token: dev.refreshToken,
      }),
    );
    const run = await runGcrwatchInWorld(world, bin, ['--duration', '3s', '--only', '--target', 'gcr.io'], {
      GOOGLE_APPLICATION_CREDENTIALS: adc,
    });
    const google = run.auth.find((e) => e.view === 'google')!;
    expect(google).toMatchObject({
      ok: true,
      kind: 'user',
      identity: dev.email,
      note: 'token minted; scopes: cloud-platform',
    });
    expect(Date.parse(google.expiresAt!) - Date.now()).toBeGreaterThan(50 * 60_000);
    expectNoSecret(run, [...secrets(), dev.refreshToken, dev.accessToken, 'sim-CANARY-client-secret']);
  }, 60_000);

  it('the reference registry refuses to cancel an upload without `delete`: a note, and push still proved', async () => {
    const plain = await mintIdentity(world, 'nodelete', 'ci-nodelete@proj.iam.gserviceaccount.com', 'push', false);
    bin.writeDockerConfig({ credHelpers: { 'gcr.io': 'gcloud' } });
    bin.install('gcloud', { kind: 'ok', username: '_dcgcloud_token', secret: plain.accessToken });
    const run = await runGcrwatchInWorld(world, bin, ['--duration', '3s', '--only', '--repo', 'gcr.io/proj/app']);
    const registry = run.auth.find((e) => e.view === 'registry')!;
    expect(registry).toMatchObject({ ok: true, canPush: true });
    expect(registry.note).toMatch(
      /push permission proved \(202\); the registry refused to cancel the empty upload session \(UNAUTHORIZED: authentication required\), so it is left to expire; nothing was written/,
    );
    expectNoSecret(run, [...secrets(), plain.accessToken, plain.refreshToken]);
  }, 60_000);

  it('an OAuth endpoint answering HTML, then hanging: findings, and gcrwatch still stops on time', async () => {
    const dev = await mintIdentity(world, 'portal', 'portal-dev@example.com', 'push');
    const adc = path.join(bin.dir, 'adc.json');
    writeFileSync(
      adc,
      JSON.stringify({
        type: 'authorized_user',
        client_id: 'sim',
        client_secret: 'sim',
        refresh_token: dev.refreshToken,
      }),
    );
    try {
      await world.oauth.setFault('html');
      const html = await runGcrwatchInWorld(world, bin, ['--duration', '3s', '--only', '--target', 'gcr.io'], {
        GOOGLE_APPLICATION_CREDENTIALS: adc,
      });
      expect(html.auth.find((e) => e.view === 'google')).toMatchObject({
        ok: false,
        kind: 'user',
        error: { code: 'auth.token_endpoint', message: expect.stringContaining('HTML page') },
      });
      expectNoSecret(html, [...secrets(), dev.refreshToken]);
      await world.oauth.setFault('hang');
      const started = Date.now();
      const hung = await runGcrwatchInWorld(world, bin, ['--duration', '2s', '--only', '--target', 'gcr.io'], {
        GOOGLE_APPLICATION_CREDENTIALS: adc,
      });
      expect(Date.now() - started).toBeLessThan(8000);
      expect(hung.code).toBe(0);
      expect(endOf(hung)).toMatchObject({ reason: 'duration' });
    } finally {
      await world.oauth.setFault('none');
    }
  }, 60_000);

  it('an oauth2accesstoken login whose token lapses: a warning, then auth.token_expired when it lapses', async () => {
    await world.oauth.setExpiresIn(10);
    let paster: MintedIdentity;
    try {
      paster = await mintIdentity(world, 'paster', 'paster@example.com', 'push');
    } finally {
      await world.oauth.setExpiresIn(3599);
    }
    bin.writeDockerConfig({
      auths: { 'gcr.io': { auth: Buffer.from(`oauth2accesstoken:${paster.accessToken}`).toString('base64') } },
    });
    const run = await runGcrwatchInWorld(world, bin, ['--duration', '14s', '--only', '--repo', 'gcr.io/proj/app']);
    const docker = run.auth.filter((e) => e.view === 'docker');
    expect(docker[0]).toMatchObject({
      ok: false,
      kind: 'access-token',
      identity: paster.email,
      error: {
        code: 'auth.short_lived',
        message: expect.stringMatching(/docker's access token for gcr\.io expires in \d+s/),
      },
    });
    // Brought forward to the expiry, well before the 60 s interval.
    expect(docker.at(-1)).toMatchObject({ ok: false, error: { code: 'auth.token_expired' } });
    // One warning, then the expiry; under load tokeninfo may still say "0-1 s left" at the first re-check.
    expect(docker.length).toBeGreaterThanOrEqual(2);
    expect(docker.length).toBeLessThanOrEqual(4);
    expect(run.plain).toMatch(/WARN auth\.short_lived: docker's access token for gcr\.io expires in/);
    expect(run.plain).toMatch(
      /FAIL auth\.token_expired: docker's access token for gcr\.io (is no longer valid|expired \d+s ago)/,
    );
    expect(endOf(run).credentials).toMatchObject({
      state: 'failing',
      codes: expect.arrayContaining(['auth.token_expired']),
    });
    expectNoSecret(run, [...secrets(), paster.accessToken, paster.refreshToken]);
  }, 60_000);

  it("a clock 10 minutes off the registry's", async () => {
    await world.front('asia.gcr.io').setClockSkew(10 * 60_000);
    try {
      bin.writeDockerConfig({ credHelpers: { 'asia.gcr.io': 'gcloud' } });
      bin.install('gcloud', { kind: 'ok', username: '_dcgcloud_token', secret: pusher.accessToken });
      // 8 s: the clock check is a round trip after the token's; a loaded machine took over 3 s.
      const run = await runGcrwatchInWorld(world, bin, [
        '--duration',
        '8s',
        '--only',
        '--repo',
        'asia.gcr.io/proj/app',
      ]);
      const clock = run.auth.find((e) => e.view === 'clock')!;
      expect(clock).toMatchObject({
        ok: false,
        host: 'asia.gcr.io',
        error: { code: 'auth.clock_skew', category: 'local' },
      });
      expect(Math.abs(clock.skewSeconds! - 600)).toBeLessThanOrEqual(1);
      expect(clock.error!.message).toMatch(/this machine's clock is 60\d s behind asia\.gcr\.io's/);
      expect(run.plain).toMatch(/auth clock {4}asia\.gcr\.io {2}clock skew \+60\ds {2}FAIL auth\.clock_skew/);
      expect(run.auth.find((e) => e.view === 'registry')).toMatchObject({ ok: true, canPush: true });
      expectNoSecret(run, secrets());
    } finally {
      await world.front('asia.gcr.io').setClockSkew(0);
    }
  }, 60_000);

  it('a service-account key as ADC: its e-mail, a token minted with a signed JWT', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const adc = path.join(bin.dir, 'sa.json');
    writeFileSync(
      adc,
      JSON.stringify({
        type: 'service_account',
        project_id: 'proj',
        private_key_id: 'CANARYkeyid5150',
        private_key: pem,
        client_email: 'pusher@proj.iam.gserviceaccount.com',
        client_id: '1',
      }),
    );
    const run = await runGcrwatchInWorld(world, bin, ['--duration', '3s', '--only', '--target', 'gcr.io'], {
      GOOGLE_APPLICATION_CREDENTIALS: adc,
    });
    const google = run.auth.find((e) => e.view === 'google')!;
    expect(google).toMatchObject({
      ok: true,
      kind: 'service-account',
      identity: 'pusher@proj.iam.gserviceaccount.com',
      note: 'token minted; scopes: cloud-platform',
    });
    expect(google.fingerprint).toMatch(/^[0-9a-f]{8}$/);
    const text = allOutput(run);
    expect(text).not.toContain(pem.split('\n')[1]!);
    expect(text).not.toContain('PRIVATE KEY');
    expectNoSecret(run, secrets());
  }, 60_000);
});

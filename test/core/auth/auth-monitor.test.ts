/**
 * The credential checks as a session source, against the simulated peers on loopback: bad
 * input and broken endpoints are findings and the checks keep running; --no-push-check
 * writes nothing; the push target of a wrapped push is picked up; the metadata server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearRegisteredSecrets } from '../../../src/core/log/redact.js';
import { resolveProxySettings } from '../../../src/core/proxy/proxy-settings.js';
import { startOAuthServer } from '../../../src/sim/index.js';
import { describeWithPrereqs } from '../../peers/prereqs.js';
import { startTinyproxy } from '../../support/tinyproxy.js';
import { SECRET_SHAPES } from '../../support/auth-world.js';
import { checkSession, startLoopbackRegistry, waitFor, type LoopbackRegistry } from '../../support/auth-loopback.js';
import { HelperBin } from '../../support/credential-helpers.js';

const PASSWORD = 'CANARY-robot-password-27182';
let bin: HelperBin;
let registry: LoopbackRegistry;

beforeEach(async () => {
  bin = new HelperBin();
  registry = await startLoopbackRegistry([
    {
      username: 'robot',
      password: PASSWORD,
      policy: 'push',
      grantDelete: true,
      subject: 'robot@proj.iam.gserviceaccount.com',
    },
  ]);
});
afterEach(async () => {
  await registry.close();
  bin.cleanup();
  clearRegisteredSecrets();
});

const login = () =>
  bin.writeDockerConfig({ auths: { [registry.host]: { auth: Buffer.from(`robot:${PASSWORD}`).toString('base64') } } });

function expectClean(text: string): void {
  expect(text).not.toContain(PASSWORD);
  for (const shape of SECRET_SHAPES) expect(text).not.toMatch(shape);
}

describe('AuthMonitor on loopback', () => {
  it('a malformed config.json is a finding, and the other checks still run', async () => {
    bin.writeDockerConfig('{"auths": {"x": ');
    const run = checkSession(registry, bin.dir, { env: bin.env() });
    run.session.start();
    await waitFor(() => run.auth.some((e) => e.view === 'registry'), 10_000, 'registry view');
    await run.session.stop('duration');
    expect(run.auth[0]).toMatchObject({
      view: 'docker',
      host: registry.host,
      ok: false,
      error: {
        code: 'auth.config_invalid',
        category: 'local',
        message: expect.stringContaining('config.json: is not valid JSON'),
      },
    });
    expect(run.auth.map((e) => e.view)).toEqual(expect.arrayContaining(['google', 'registry', 'clock']));
  });

  it("a token endpoint answering HTML is the endpoint's fault, said plainly", async () => {
    login();
    await registry.tokens.setFault('html');
    const run = checkSession(registry, bin.dir, { env: bin.env() });
    run.session.start();
    await waitFor(() => run.auth.some((e) => e.view === 'registry'), 10_000, 'registry view');
    await run.session.stop('duration');
    expect(run.auth.find((e) => e.view === 'registry')).toMatchObject({
      ok: false,
      error: {
        code: 'auth.token_endpoint',
        message: expect.stringMatching(
          /^token endpoint https:\/\/127\.0\.0\.1:\d+\/v2\/token answered an HTML page instead of a token$/,
        ),
      },
    });
    expectClean(run.allText());
  });

  it('a token endpoint that hangs is cut off at the request deadline', async () => {
    login();
    await registry.tokens.setFault('hang');
    const run = checkSession(registry, bin.dir, { env: bin.env(), requestTimeoutMs: 800 });
    run.session.start();
    const started = Date.now();
    await waitFor(() => run.auth.some((e) => e.view === 'registry'), 10_000, 'registry view');
    await run.session.stop('duration');
    expect(run.auth.find((e) => e.view === 'registry')).toMatchObject({
      ok: false,
      error: { code: 'auth.token_endpoint', message: expect.stringContaining('no answer in time') },
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('--no-push-check opens no upload, and still reads the grant from the token', async () => {
    login();
    const run = checkSession(registry, bin.dir, { env: bin.env(), pushCheck: false });
    run.session.start();
    await waitFor(() => run.auth.some((e) => e.view === 'registry'), 10_000, 'registry view');
    await run.session.stop('duration');
    expect(run.auth.find((e) => e.view === 'registry')).toMatchObject({
      ok: true,
      canPush: true,
      identity: 'robot@proj.iam.gserviceaccount.com',
      note: 'the token grants push; push check off (--no-push-check)',
    });
    expect(registry.front.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('the push check opens an upload and cancels it; the realm is asked for push,pull only', async () => {
    login();
    const run = checkSession(registry, bin.dir, { env: bin.env() });
    run.session.start();
    await waitFor(() => run.auth.some((e) => e.view === 'registry'), 10_000, 'registry view');
    await run.session.stop('duration');
    expect(run.auth.find((e) => e.view === 'registry')).toMatchObject({
      ok: true,
      canPush: true,
      note: expect.stringContaining('opened (202) and cancelled'),
    });
    expect(
      registry.front.requests
        .filter((r) => r.method !== 'GET')
        .map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}$/, 'UUID')}`),
    ).toEqual(['POST /v2/proj/app/blobs/uploads/', 'DELETE /v2/proj/app/blobs/uploads/UUID']);
    expect(registry.tokens.requests.map((r) => r.scopes)).toEqual([['repository:proj/app:push,pull']]);
    expectClean(run.allText());
  });

  it('picks up the push target of a wrapped push at its next check', async () => {
    login();
    const run = checkSession(registry, bin.dir, { env: bin.env(), repo: undefined, intervalMs: 1000 });
    run.session.start();
    await waitFor(() => run.auth.some((e) => e.view === 'clock'), 10_000, 'first run');
    expect(run.auth.some((e) => e.view === 'registry')).toBe(false);
    run.session.bus.emit({
      type: 'push.start',
      argv: ['docker', 'push', `${registry.host}/proj/app:1`],
      tool: 'docker',
      registry: registry.host,
      repository: 'proj/app',
      tag: '1',
    });
    await waitFor(() => run.auth.some((e) => e.view === 'registry'), 10_000, 'registry view after push.start');
    await run.session.stop('duration');
    expect(run.auth.find((e) => e.view === 'registry')).toMatchObject({
      ok: true,
      host: registry.host,
      repository: 'proj/app',
      canPush: true,
    });
  });
});

describeWithPrereqs("the registry's view through a proxy (tinyproxy)", ['tinyproxy'], () => {
  it('asks the realm and opens the upload through HTTPS_PROXY, as docker would', async () => {
    login();
    const tp = await startTinyproxy();
    try {
      const proxy = resolveProxySettings({ env: { HTTPS_PROXY: tp.url } });
      const run = checkSession(registry, bin.dir, { env: bin.env(), proxy, extraCaPems: [registry.caPem] });
      run.session.start();
      await waitFor(() => run.auth.some((e) => e.view === 'registry'), 10_000, 'registry view');
      await run.session.stop('duration');
      expect(run.auth.find((e) => e.view === 'registry')).toMatchObject({ ok: true, canPush: true });
      expect(tp.log()).toContain(`CONNECT 127.0.0.1:${registry.port}`);
      expect(tp.log()).toContain(`CONNECT 127.0.0.1:${registry.tokens.address.port}`);
    } finally {
      await tp.stop();
    }
  });
});

describe('a token that lapses during the session', () => {
  const REFRESH = '1//sim-paster-refresh-CANARY-27182';

  it('warns while it lives and says expired at once when it lapses, not an interval later', async () => {
    // Google's tokeninfo over plain HTTP on loopback: this process cannot add a CA to fetch's trust.
    const oauth = await startOAuthServer({
      expiresIn: 4,
      accounts: [{ email: 'paster@example.com', refreshToken: REFRESH }],
    });
    try {
      const minted = await fetch(`${oauth.url}/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: REFRESH }),
      });
      const accessToken = ((await minted.json()) as { access_token: string }).access_token;
      registry.tokens.setIdentity({
        password: accessToken,
        policy: 'push',
        grantDelete: true,
        subject: 'paster@example.com',
      });
      bin.writeDockerConfig({
        auths: { [registry.host]: { auth: Buffer.from(`oauth2accesstoken:${accessToken}`).toString('base64') } },
      });
      const run = checkSession(registry, bin.dir, { env: bin.env(), tokenInfoUrl: `${oauth.url}/tokeninfo` });
      const docker = () => run.auth.filter((e) => e.view === 'docker');
      run.session.start();
      const started = Date.now();
      await waitFor(() => docker().some((e) => e.error?.code === 'auth.token_expired'), 15_000, 'auth.token_expired');
      const end = await run.session.stop('duration');
      const [first] = docker();
      expect(first).toMatchObject({
        ok: false,
        kind: 'access-token',
        identity: 'paster@example.com',
        error: { code: 'auth.short_lived', message: expect.stringMatching(/expires in \d+s/) },
      });
      const expired = docker().find((e) => e.error?.code === 'auth.token_expired')!;
      expect(Date.parse(expired.t) - started).toBeLessThan(8000);
      expect(Date.parse(expired.t)).toBeGreaterThanOrEqual(Date.parse(first!.expiresAt!));
      expect(end.credentials).toMatchObject({
        state: 'failing',
        codes: expect.arrayContaining(['auth.token_expired']),
      });
      expect(run.allText()).not.toContain(accessToken);
      expect(run.allText()).not.toContain(REFRESH);
    } finally {
      await oauth.close();
    }
  }, 30_000);
});

describe('the metadata server (GCE_METADATA_HOST on loopback)', () => {
  let metadata: http.Server;
  const saved = process.env.GCE_METADATA_HOST;
  afterEach(async () => {
    if (saved === undefined) delete process.env.GCE_METADATA_HOST;
    else process.env.GCE_METADATA_HOST = saved;
    await new Promise<void>((r) => {
      metadata.closeAllConnections();
      metadata.close(() => r());
    });
  });

  it("is timed and names its service account; Google's view mints a token from it", async () => {
    metadata = http.createServer((req, res) => {
      const flavor = req.headers['metadata-flavor'] === 'Google';
      const path = (req.url ?? '').split('?')[0];
      res.setHeader('metadata-flavor', 'Google');
      if (!flavor) return void res.writeHead(403).end('Missing Metadata-Flavor:Google header.');
      if (path === '/computeMetadata/v1/instance/service-accounts/default/email')
        return void res.end('vm-sa@proj.iam.gserviceaccount.com');
      if (path === '/computeMetadata/v1/instance/service-accounts/default/token') {
        res.setHeader('content-type', 'application/json');
        return void res.end(
          JSON.stringify({ access_token: 'ya29.sim-metadata-CANARY-1618', expires_in: 3599, token_type: 'Bearer' }),
        );
      }
      res.writeHead(404).end('not found');
    });
    await new Promise<void>((r) => metadata.listen(0, '127.0.0.1', r));
    const host = `127.0.0.1:${(metadata.address() as AddressInfo).port}`;
    process.env.GCE_METADATA_HOST = host;
    login();
    // tokeninfo is not reachable here (it is Google's): the view says so and goes on.
    const run = checkSession(registry, bin.dir, {
      env: bin.env({ GCE_METADATA_HOST: host }),
      tokenInfoUrl: 'http://127.0.0.1:9/tokeninfo',
      requestTimeoutMs: 1500,
    });
    run.session.start();
    await waitFor(() => run.auth.some((e) => e.view === 'metadata'), 10_000, 'metadata view');
    await run.session.stop('duration');
    expect(run.auth.find((e) => e.view === 'metadata')).toMatchObject({
      ok: true,
      host,
      identity: 'vm-sa@proj.iam.gserviceaccount.com',
      note: expect.stringMatching(/answered in [\d.]+ ms/),
    });
    const google = run.auth.find((e) => e.view === 'google')!;
    expect(google).toMatchObject({ ok: true, kind: 'metadata', source: `metadata server (${host})` });
    expect(Date.parse(google.expiresAt!) - Date.now()).toBeGreaterThan(50 * 60_000);
    expect(run.allText()).not.toContain('sim-metadata-CANARY');
  });
});

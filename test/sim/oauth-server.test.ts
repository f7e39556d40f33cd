import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCa, issueLeaf, writePkiFiles, type TestCa, type TestLeaf } from '../../src/sim/pki.js';
import { startOAuthServer, type OAuthServer } from '../../src/sim/oauth-server.js';
import { fetchOnce } from '../peers/https-get.js';

const run = promisify(execFile);
const USER = { email: 'dev@example.com', refreshToken: '1//canary-refresh' };
const ROBOT = { email: 'pusher@proj.iam.gserviceaccount.com' };

/** google-auth-library in a child, so NODE_EXTRA_CA_CERTS applies as it does for gcrwatch. */
const CLIENT_SCRIPT = `
const { UserRefreshClient } = await import('google-auth-library');
const base = process.env.OAUTH_BASE;
const client = new UserRefreshClient({
  clientId: 'sim-client', clientSecret: 'sim-secret', refreshToken: process.env.REFRESH_TOKEN,
  endpoints: { oauth2TokenUrl: base + '/token', tokenInfoUrl: base + '/tokeninfo' },
});
try {
  const { token } = await client.getAccessToken();
  const info = await client.getTokenInfo(token);
  console.log(JSON.stringify({ prefix: token.slice(0, 9), email: info.email, scopes: info.scopes }));
} catch (error) {
  console.log(JSON.stringify({ error: error.response?.data?.error ?? error.message }));
}
`;

describe('OAuthServer', () => {
  let ca: TestCa;
  let leaf: TestLeaf;
  let dir: string;
  let server: OAuthServer;

  beforeAll(async () => {
    ca = await createCa();
    leaf = await issueLeaf(ca);
    dir = await mkdtemp(join(tmpdir(), 'gcw-oauth-'));
    await writePkiFiles(dir, leaf);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    server = await startOAuthServer({ tls: { cert: leaf.chainPem, key: leaf.keyPem }, accounts: [USER, ROBOT] });
  });
  afterEach(() => server.close());

  async function googleAuth(refreshToken: string): Promise<Record<string, unknown>> {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', CLIENT_SCRIPT], {
      env: {
        ...process.env,
        NODE_EXTRA_CA_CERTS: join(dir, 'ca.crt'),
        OAUTH_BASE: server.url,
        REFRESH_TOKEN: refreshToken,
      },
      timeout: 20_000,
    });
    return JSON.parse(stdout.trim()) as Record<string, unknown>;
  }

  it('refreshes an authorized_user token for google-auth-library, and answers its tokeninfo', async () => {
    expect(await googleAuth(USER.refreshToken)).toEqual({
      prefix: 'ya29.sim-',
      email: USER.email,
      scopes: ['https://www.googleapis.com/auth/cloud-platform'],
    });
    expect(server.requests.map((r) => [r.path, r.outcome])).toEqual([
      ['/token', 'issued'],
      ['/tokeninfo', 'tokeninfo'],
    ]);
  });

  it('answers invalid_grant for a revoked or unknown refresh token', async () => {
    server.revoke(USER.email);
    expect(await googleAuth(USER.refreshToken)).toEqual({ error: 'invalid_grant' });
    expect(await googleAuth('1//unknown')).toEqual({ error: 'invalid_grant' });
  });

  it('grants a service-account JWT assertion by its issuer', async () => {
    const claims = Buffer.from(JSON.stringify({ iss: ROBOT.email, scope: 'x' })).toString('base64url');
    const body = new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: `e30.${claims}.sig`,
    });
    const reply = await fetchOnce({
      url: `${server.url}/token`,
      ca: ca.certPem,
      servername: 'oauth2.googleapis.com',
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
    expect(reply.status).toBe(200);
    const token = (JSON.parse(reply.body) as { access_token: string }).access_token;
    const info = await fetchOnce({
      url: `${server.url}/tokeninfo?access_token=${token}`,
      ca: ca.certPem,
      servername: 'oauth2.googleapis.com',
    });
    expect(JSON.parse(info.body)).toMatchObject({ email: ROBOT.email, email_verified: 'true' });
    const bad = await fetchOnce({
      url: `${server.url}/tokeninfo?access_token=ya29.nope`,
      ca: ca.certPem,
      servername: 'oauth2.googleapis.com',
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(server.stats())).not.toContain(token);
  });

  it('can answer HTML and recover', async () => {
    await server.setFault('html');
    expect((await googleAuth(USER.refreshToken)).error).toBeTruthy();
    await server.setFault('none');
    expect((await googleAuth(USER.refreshToken)).email).toBe(USER.email);
  });
});

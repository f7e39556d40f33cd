import { X509Certificate, verify } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCa, issueLeaf, type TestCa, type TestLeaf } from '../../src/sim/pki.js';
import { startTokenServer, type TokenServer } from '../../src/sim/token-server.js';
import { fetchOnce } from '../peers/https-get.js';

const PUSHER = { username: 'oauth2accesstoken', password: 'ya29.canary-pusher' };
const PULLER = { username: 'oauth2accesstoken', password: 'ya29.canary-puller' };
const DENIED = { username: '_json_key', password: '{"private_key":"canary"}' };

describe('TokenServer', () => {
  let ca: TestCa;
  let leaf: TestLeaf;
  let server: TokenServer;

  beforeAll(async () => {
    ca = await createCa();
    leaf = await issueLeaf(ca);
  });

  beforeEach(async () => {
    server = await startTokenServer({
      tls: { cert: leaf.chainPem, key: leaf.keyPem },
      identities: [
        { ...PUSHER, policy: 'push', subject: 'pusher@proj.iam.gserviceaccount.com', grantDelete: true },
        { ...PULLER, policy: 'pull' },
        { ...DENIED, policy: 'denied' },
      ],
    });
  });
  afterEach(() => server.close());

  function ask(credentials: { username: string; password: string } | undefined, scope?: string, timeoutMs = 2_000) {
    const query = new URLSearchParams({ service: 'gcr.io', ...(scope ? { scope } : {}) });
    const headers: Record<string, string> = credentials
      ? { authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` }
      : {};
    return fetchOnce({ url: `${server.realm}?${query}`, ca: ca.certPem, servername: 'gcr.io', headers, timeoutMs });
  }

  it('issues an ES256 JWT with x5c that verifies against the signer certificate', async () => {
    server.setExpiresIn(120);
    const reply = await ask(PUSHER, 'repository:proj/app:push,pull');
    expect(reply.status).toBe(200);
    const body = JSON.parse(reply.body) as { token: string; expires_in: number };
    expect(body.expires_in).toBe(120);
    const [h, p, s] = body.token.split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg: string; x5c: string[] };
    expect(header.alg).toBe('ES256');
    expect(header.x5c).toEqual([server.signer.x5c]);
    const signerCert = new X509Certificate(Buffer.from(header.x5c[0]!, 'base64'));
    expect(signerCert.toString()).toBe(new X509Certificate(server.signer.certPem).toString());
    const valid = verify(
      'sha256',
      Buffer.from(`${h}.${p}`),
      { key: signerCert.publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(s, 'base64url'),
    );
    expect(valid).toBe(true);
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({
      iss: 'gcrwatch-sim',
      sub: 'pusher@proj.iam.gserviceaccount.com',
      aud: 'gcr.io',
      access: [{ type: 'repository', name: 'proj/app', actions: ['push', 'pull', 'delete'] }],
    });
    expect(claims.exp).toBe((claims.iat as number) + 120);
    expect(server.requests.at(-1)).toMatchObject({
      outcome: 'granted',
      granted: { 'proj/app': ['push', 'pull', 'delete'] },
    });
  });

  it('applies each identity policy, in the registry words docker prints', async () => {
    const pull = JSON.parse((await ask(PULLER, 'repository:proj/app:push,pull')).body) as { token: string };
    const pullClaims = JSON.parse(Buffer.from(pull.token.split('.')[1]!, 'base64url').toString()) as {
      access: unknown;
    };
    expect(pullClaims.access).toEqual([{ type: 'repository', name: 'proj/app', actions: ['pull'] }]);

    const denied = await ask(DENIED, 'repository:proj/app:push,pull');
    expect(denied.status).toBe(403);
    expect(JSON.parse(denied.body)).toMatchObject({
      errors: [
        {
          code: 'DENIED',
          message: expect.stringMatching(
            /^Permission "artifactregistry\.repositories\.uploadArtifacts" denied on resource/,
          ),
        },
      ],
    });
    expect((await ask(DENIED, 'repository:proj/app:pull')).status).toBe(200);

    const stranger = await ask({ username: 'oauth2accesstoken', password: 'ya29.unknown' }, 'repository:proj/app:pull');
    expect(stranger.status).toBe(401);
    expect(JSON.parse(stranger.body)).toEqual({ errors: [{ code: 'UNAUTHORIZED', message: 'Not Authorized.' }] });
    expect((await ask(undefined, 'repository:proj/app:pull')).status).toBe(401);
    // A login check (no scope) with good credentials gets a token with no access.
    expect((await ask(PUSHER)).status).toBe(200);
    expect(server.requests.map((r) => r.outcome)).toEqual([
      'granted',
      'denied',
      'granted',
      'unauthorized',
      'unauthorized',
      'granted',
    ]);
  });

  it('never keeps the credentials in its records', async () => {
    await ask(PUSHER, 'repository:proj/app:push,pull');
    await ask(DENIED, 'repository:proj/app:push');
    const recorded = JSON.stringify(server.stats());
    expect(recorded).not.toContain('canary');
  });

  it('can be down, answer HTML, hang, and recover', async () => {
    await server.setFault('down');
    expect((await ask(PUSHER, 'repository:proj/app:pull')).error?.code).toBe('ECONNREFUSED');
    await server.setFault('html');
    const html = await ask(PUSHER, 'repository:proj/app:pull');
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toContain('text/html');
    await server.setFault('hang');
    expect((await ask(PUSHER, 'repository:proj/app:pull', 300)).error?.code).toBe('TIMEOUT');
    await server.setFault('none');
    expect((await ask(PUSHER, 'repository:proj/app:pull')).status).toBe(200);
  });
});

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCa, issueLeaf, writePkiFiles, type TestCa, type TestLeaf } from '../../src/sim/pki.js';
import { startRegistryFront, type RegistryFront } from '../../src/sim/registry-front.js';
import { fetchOnce, handshake } from '../peers/https-get.js';
import { itWithPrereqs } from '../peers/prereqs.js';

const run = promisify(execFile);

describe('RegistryFront', () => {
  let ca: TestCa;
  let leaf: TestLeaf;
  let front: RegistryFront;
  let dir: string;

  beforeAll(async () => {
    ca = await createCa();
    leaf = await issueLeaf(ca);
    dir = await mkdtemp(join(tmpdir(), 'gcw-front-'));
    await writePkiFiles(dir, leaf);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    front = await startRegistryFront({
      tls: { cert: leaf.chainPem, key: leaf.keyPem },
      realm: 'https://auth.gcr.io/v2/token',
    });
  });
  afterEach(() => front.close());

  const get = (path = '/v2/', extra: Partial<Parameters<typeof fetchOnce>[0]> = {}) =>
    fetchOnce({ url: `${front.url}${path}`, ca: ca.certPem, servername: 'gcr.io', timeoutMs: 1_000, ...extra });

  itWithPrereqs('answers curl with a Bearer challenge, like a token-auth registry', ['curl'], async () => {
    const { port } = front.address;
    const { stdout } = await run('curl', [
      '-sS',
      '-i',
      '--max-time',
      '5',
      '--cacert',
      join(dir, 'ca.crt'),
      '--resolve',
      `gcr.io:${port}:127.0.0.1`,
      `https://gcr.io:${port}/v2/`,
    ]);
    expect(stdout).toMatch(/^HTTP\/1\.1 401/);
    expect(stdout).toMatch(
      /^www-authenticate: Bearer realm="https:\/\/auth\.gcr\.io\/v2\/token",service="gcr\.io"\r$/im,
    );
    expect(stdout).toMatch(/^docker-distribution-api-version: registry\/2\.0\r$/im);
    expect(front.requests).toMatchObject([{ method: 'GET', path: '/v2/', auth: 'none' }]);
  });

  it('accepts a Bearer token, an upload and its cancellation', async () => {
    const bearer = { authorization: 'Bearer sim-token' };
    expect((await get('/v2/', { headers: bearer })).status).toBe(200);
    const unauthenticated = await get('/v2/proj/app/blobs/uploads/', { method: 'POST' });
    expect(unauthenticated.headers['www-authenticate']).toContain('scope="repository:proj/app:pull,push"');
    const started = await get('/v2/proj/app/blobs/uploads/', { method: 'POST', headers: bearer });
    expect(started.status).toBe(202);
    const location = String(started.headers.location);
    expect(location).toMatch(/^\/v2\/proj\/app\/blobs\/uploads\/[0-9a-f-]{36}$/);
    expect((await get(location, { method: 'DELETE', headers: bearer })).status).toBe(204);
    expect(front.requestCount).toBe(4);
  });

  it('answers 5xx and 429 with Retry-After, a 401 without challenge, and a non-registry 200', async () => {
    front.setMode({ kind: 'status', status: 503, retryAfter: 7 });
    expect(await get()).toMatchObject({ status: 503, headers: { 'retry-after': '7' } });
    front.setMode({ kind: 'status', status: 429, retryAfter: 30 });
    const limited = await get();
    expect(limited).toMatchObject({ status: 429, headers: { 'retry-after': '30' } });
    expect(limited.body).toContain('TOOMANYREQUESTS');
    front.setMode({ kind: 'status', status: 502 });
    expect((await get()).status).toBe(502);
    front.setMode({ kind: 'no-challenge' });
    const bare = await get();
    expect(bare.status).toBe(401);
    expect(bare.headers['www-authenticate']).toBeUndefined();
    front.setMode({ kind: 'not-registry' });
    const html = await get();
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.headers['docker-distribution-api-version']).toBeUndefined();
  });

  it('can skew its Date header', async () => {
    front.setClockSkew(-600_000);
    const skew = Date.parse(String((await get()).headers.date)) - Date.now();
    expect(skew).toBeGreaterThan(-602_000);
    expect(skew).toBeLessThan(-598_000);
  });

  it('can hold its answers, as a registry slow to process a request', async () => {
    front.setAnswerDelay(120);
    const started = Date.now();
    expect((await get()).status).toBe(401);
    const held = Date.now() - started;
    expect(held).toBeGreaterThanOrEqual(115);
    front.setAnswerDelay(0);
    const quick = Date.now();
    expect((await get()).status).toBe(401);
    expect(Date.now() - quick).toBeLessThan(held);
  });

  it('never sends headers, or never ends the body', async () => {
    front.setMode({ kind: 'no-headers' });
    expect((await get('/v2/', { timeoutMs: 300 })).error?.code).toBe('TIMEOUT');
    front.setMode({ kind: 'endless-body' });
    const endless = await get('/v2/', { timeoutMs: 400 });
    expect(endless).toMatchObject({ status: 200, bodyIncomplete: true });
    expect(endless.body.length).toBeGreaterThan(1);
  });

  it('switches transport: handshake stall, plain HTTP on the TLS port, TLS 1.0 only', async () => {
    const target = {
      host: '127.0.0.1',
      port: front.address.port,
      servername: 'gcr.io',
      ca: ca.certPem,
      timeoutMs: 300,
    };
    front.setTransport('handshake-stall');
    expect((await handshake(target)).error?.code).toBe('TIMEOUT');

    front.setTransport('http');
    expect((await handshake(target)).error?.code).toBe('ERR_SSL_WRONG_VERSION_NUMBER');
    expect((await fetchOnce({ url: `http://127.0.0.1:${front.address.port}/v2/` })).status).toBe(401);

    front.setTransport('tls1.0');
    expect((await handshake(target)).error?.code).toMatch(
      /^ERR_SSL_(UNSUPPORTED_PROTOCOL|TLSV1_ALERT_PROTOCOL_VERSION)$/,
    );
    const legacyClient = { ...target, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' } as const;
    expect(await handshake(legacyClient)).toMatchObject({ ok: true, protocol: 'TLSv1' });

    front.setTransport('https');
    expect(await handshake(target)).toMatchObject({ ok: true, protocol: 'TLSv1.3' });
  });

  it('close() ends hanging requests and frees the port; it is idempotent', async () => {
    front.setMode({ kind: 'no-headers' });
    const pending = get('/v2/', { timeoutMs: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await front.close();
    expect((await pending).error?.code).toBe('ECONNRESET');
    await front.close();
    const { port } = front.address;
    front = await startRegistryFront({ port });
    expect(front.address.port).toBe(port);
  });
});

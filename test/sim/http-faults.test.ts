import { once } from 'node:events';
import { createServer, request, type Server } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../src/sim/fault-proxy.js';
import { listen, stopListening } from '../../src/sim/lifecycle.js';
import { createCa, issueLeaf, type TestLeaf } from '../../src/sim/pki.js';

describe('FaultProxy http faults', () => {
  let leaf: TestLeaf;
  let registry: Server;
  let proxy: FaultProxy;
  const seen: string[] = [];

  beforeAll(async () => {
    leaf = await issueLeaf(await createCa());
    // A stand-in registry: answers every request 202 with what it received, and the SNI it was asked for.
    registry = createServer({ cert: leaf.chainPem, key: leaf.keyPem }, (req, res) => {
      let bytes = 0;
      req.on('data', (c: Buffer) => (bytes += c.length));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${bytes} ${(req.socket as { servername?: string }).servername}`);
        res.writeHead(202, { 'Docker-Upload-Uuid': 'u1' }).end('relayed');
      });
    });
    const upstream = await listen(registry as unknown as import('node:net').Server, '127.0.0.1', 0);
    proxy = await startFaultProxy({ upstream, tls: { cert: leaf.chainPem, key: leaf.keyPem, ca: leaf.caPem } });
  });

  afterAll(async () => {
    await proxy?.close();
    registry?.closeAllConnections();
    await stopListening(registry as unknown as import('node:net').Server);
  });

  /** A request through the proxy as a registry client makes it (SNI and Host gcr.io). */
  async function send(method: string, path: string, body = '') {
    const req = request({
      host: proxy.address.host,
      port: proxy.address.port,
      method,
      path,
      servername: 'gcr.io',
      headers: { host: 'gcr.io', 'content-length': Buffer.byteLength(body) },
      ca: leaf.caPem,
      agent: false,
    });
    req.end(body);
    const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage];
    let text = '';
    for await (const chunk of res) text += String(chunk);
    return { status: res.statusCode, headers: res.headers, text };
  }

  it('answers the first N matching requests with the registry error, and relays the rest and all others', async () => {
    await proxy.set({
      http: [{ method: 'PATCH', path: '/blobs/uploads/', count: 2, status: 503 }],
    });
    const upload = '/v2/proj/app/blobs/uploads/u1?_state=x';
    const first = await send('PATCH', upload, 'x'.repeat(100_000));
    expect(first.status).toBe(503);
    expect(JSON.parse(first.text)).toEqual({ errors: [{ code: 'UNAVAILABLE', message: 'service unavailable' }] });
    expect((await send('PATCH', upload, 'abc')).status).toBe(503);
    const third = await send('PATCH', upload, 'abcd');
    expect([third.status, third.text]).toEqual([202, 'relayed']);
    expect((await send('GET', '/v2/')).status).toBe(202);
    // The faulted bodies were read and dropped; relayed requests kept their path, body and SNI.
    expect(seen.slice(-2)).toEqual([`PATCH ${upload} 4 gcr.io`, 'GET /v2/ 0 gcr.io']);
    expect(proxy.stats().http.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'PATCH /v2/proj/app/blobs/uploads/u1 503',
      'PATCH /v2/proj/app/blobs/uploads/u1 503',
    ]);
  });

  it('sends Retry-After with 429 and the Bearer challenge with 401, on the method and path asked', async () => {
    const challenge =
      'Bearer realm="https://auth.gcr.io/v2/token",service="gcr.io",scope="repository:proj/app:push,pull"';
    await proxy.set({
      http: [
        { method: 'PATCH', path: '/blobs/uploads/', count: 1, status: 429, retryAfterSeconds: 30 },
        { method: 'PUT', path: '/manifests/', count: 1, status: 500 },
        { method: 'POST', path: '/blobs/uploads/$', count: 1, status: 401, challenge },
      ],
    });
    expect((await send('PUT', '/v2/proj/app/blobs/uploads/u1?digest=sha256:1')).status).toBe(202);
    const limited = await send('PATCH', '/v2/proj/app/blobs/uploads/u1');
    expect([limited.status, limited.headers['retry-after'], JSON.parse(limited.text).errors[0].code]).toEqual([
      429,
      '30',
      'TOOMANYREQUESTS',
    ]);
    const broken = await send('PUT', '/v2/proj/app/manifests/v1', '{}');
    expect([broken.status, JSON.parse(broken.text).errors[0].code]).toEqual([500, 'UNKNOWN']);
    const refused = await send('POST', '/v2/proj/app/blobs/uploads/');
    expect([refused.status, refused.headers['www-authenticate']]).toEqual([401, challenge]);
    expect(JSON.parse(refused.text).errors[0]).toEqual({ code: 'UNAUTHORIZED', message: 'authentication required' });
  });

  it('refuses http faults on a proxy started without a certificate', async () => {
    const bare = await startFaultProxy({ upstream: proxy.address });
    try {
      await expect(bare.set({ http: [] })).rejects.toThrow('http faults need the proxy to be started with tls');
    } finally {
      await bare.close();
    }
  });
});

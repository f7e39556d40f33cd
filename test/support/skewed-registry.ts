/**
 * A registry front whose clock is off: it answers like a token-auth registry (`GET /v2/` 401
 * with a Bearer challenge, uploads opened with 202 and cancelled with 204) and dates every
 * answer `skewMs` away from this machine's clock, as a registry seen from a machine whose
 * clock is wrong would. HTTPS on 127.0.0.1, port 0. Close it after the test.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestLeaf } from '../../src/sim/index.js';

/** A running skewed front. */
export interface SkewedRegistry {
  port: number;
  close(): Promise<void>;
}

/** Start the front; `realm` is announced in the challenge. */
export async function startSkewedRegistry(leaf: TestLeaf, realm: string, skewMs: number): Promise<SkewedRegistry> {
  const server = https.createServer({ cert: leaf.chainPem, key: leaf.keyPem }, (req, res) => {
    req.resume();
    res.sendDate = false;
    res.setHeader('date', new Date(Date.now() + skewMs).toUTCString());
    res.setHeader('docker-distribution-api-version', 'registry/2.0');
    const bearer = /^Bearer /.test(req.headers.authorization ?? '');
    if (req.method === 'POST' && /\/blobs\/uploads\/$/.test(req.url ?? '') && bearer) {
      res.writeHead(202, { location: `${req.url}0b1c2d3e`, 'content-length': '0' }).end();
    } else if (req.method === 'DELETE' && bearer) {
      res.writeHead(204).end();
    } else {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${realm}",service="gcr.io"`, 'content-type': 'application/json' })
        .end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

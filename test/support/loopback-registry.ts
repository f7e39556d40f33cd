/**
 * A registry front on loopback for CLI tests: HTTPS on 127.0.0.1, port 0, with a test CA
 * made by the openssl CLI at test time; `GET /v2/` answers 401 with a Bearer challenge, as
 * gcr.io does. Without openssl the tests skip (CI installs it; with CI=true a missing
 * openssl fails them).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Why the loopback registry cannot be made here, or undefined when it can. */
export function missingPrerequisite(): string | undefined {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'openssl (Debian package openssl) is not installed';
  }
}

/** A running front: its port, the CA file to trust, and `close`. */
export interface LoopbackRegistry {
  host: string;
  port: number;
  caFile: string;
  close(): Promise<void>;
}

/** Make a CA and a leaf for `host` valid `leafDays` days, then serve /v2/ on 127.0.0.1. */
export async function startLoopbackRegistry(host = 'registry.test', leafDays = 30): Promise<LoopbackRegistry> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-reg-'));
  const f = (n: string) => path.join(dir, n);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '60', '-subj', '/CN=gcrwatch test CA');
  ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('leaf.key'), '-out', f('leaf.csr'), '-subj', `/CN=${host}`);
  writeFileSync(f('ext.cnf'), `subjectAltName=DNS:${host}\n`);
  ssl('x509', '-req', '-in', f('leaf.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('leaf.pem'), '-days', String(leafDays), '-extfile', f('ext.cnf'));
  const server = https.createServer({ key: readFileSync(f('leaf.key')), cert: readFileSync(f('leaf.pem')) }, (req, res) => {
    if (req.url?.startsWith('/v2/')) {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="https://${host}/v2/token",service="${host}"`, 'docker-distribution-api-version': 'registry/2.0', 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host, port, caFile: f('ca.pem'),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
      rmSync(dir, { recursive: true, force: true });
    }),
  };
}

/**
 * Stand-ins for the shared loopback peers (`src/sim/`, branch `peers`) until they are merged:
 * a test PKI made with the openssl CLI, an HTTPS registry front answering `GET /v2/` with a
 * Bearer challenge, and a TCP relay that holds the first bytes back (the fault proxy's
 * `firstByteDelayMs`). Same option names as the shared peers, so switching is an import change.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A leaf, its key, and the CA that signed it (PEM). */
export interface TestLeaf {
  certPem: string;
  keyPem: string;
  chainPem: string;
  caPem: string;
}

/** Host and port a peer listens on. */
export interface PeerAddress {
  host: string;
  port: number;
}

/** Make a CA and a leaf for `sans` (DNS names and IP addresses) with openssl. */
export function makeTestLeaf(sans: string[] = ['localhost', '127.0.0.1']): TestLeaf {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-pki-'));
  const f = (name: string) => path.join(dir, name);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  try {
    ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('ca.key'),
      '-out', f('ca.crt'), '-days', '30', '-subj', '/CN=gcrwatch fleet test CA/O=gcrwatch tests');
    ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('leaf.key'),
      '-out', f('leaf.csr'), '-subj', `/CN=${sans[0]}`);
    const alt = sans.map((s) => (net.isIP(s) ? `IP:${s}` : `DNS:${s}`)).join(',');
    writeFileSync(f('ext.cnf'), `subjectAltName=${alt}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
    ssl('x509', '-req', '-in', f('leaf.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial',
      '-out', f('leaf.crt'), '-days', '20', '-extfile', f('ext.cnf'));
    const certPem = readFileSync(f('leaf.crt'), 'utf8');
    const caPem = readFileSync(f('ca.crt'), 'utf8');
    return { certPem, keyPem: readFileSync(f('leaf.key'), 'utf8'), chainPem: certPem + caPem, caPem };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A running peer. */
export interface Peer {
  address: PeerAddress;
  close(): Promise<void>;
}

function listen(server: net.Server, host = '127.0.0.1'): Promise<PeerAddress> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      const a = server.address() as net.AddressInfo;
      resolve({ host, port: a.port });
    });
  });
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return () => new Promise((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
}

function track(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  return sockets;
}

/** An HTTPS registry front: `GET /v2/` answers 401 with a Bearer challenge, like gcr.io. */
export async function startRegistryFront(options: { tls: { cert: string; key: string } }): Promise<Peer> {
  const server = https.createServer({ cert: options.tls.cert, key: options.tls.key }, (req, res) => {
    res.writeHead(401, {
      'www-authenticate': 'Bearer realm="https://gcr.io/v2/token",service="gcr.io"',
      'docker-distribution-api-version': 'registry/2.0',
      'content-type': 'application/json',
    });
    res.end('{"errors":[{"code":"UNAUTHORIZED","message":"Unauthorized access."}]}');
  });
  const sockets = track(server);
  const address = await listen(server);
  return { address, close: closer(server, sockets) };
}

/** A relay to `upstream` holding the first upstream->client bytes back `firstByteDelayMs`. */
export async function startFaultProxy(options: { upstream: PeerAddress; faults: { firstByteDelayMs?: number } }): Promise<Peer> {
  const delay = options.faults.firstByteDelayMs ?? 0;
  const server = net.createServer((client) => {
    const upstream = net.connect(options.upstream.port, options.upstream.host);
    let first = true;
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => {
      if (!first) { client.write(d); return; }
      first = false;
      upstream.pause();
      setTimeout(() => { client.write(d); upstream.resume(); }, delay);
    });
    const end = () => { client.destroy(); upstream.destroy(); };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  const sockets = track(server);
  const address = await listen(server);
  return { address, close: closer(server, sockets) };
}

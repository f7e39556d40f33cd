import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCa,
  daysFromNow,
  GOOGLE_TRUST_SERVICES,
  issueLeaf,
  writePkiFiles,
  type TestCa,
  type TestLeaf,
} from '../../src/sim/pki.js';
import { listen, SocketSet, stopListening } from '../../src/sim/lifecycle.js';
import { handshake } from '../peers/https-get.js';
import { itWithPrereqs } from '../peers/prereqs.js';

const run = promisify(execFile);

describe('pki', () => {
  let google: TestCa;
  let leaf: TestLeaf;

  beforeAll(async () => {
    google = await createCa({ commonName: 'WR2', organization: GOOGLE_TRUST_SERVICES });
    leaf = await issueLeaf(google);
  });

  it('makes a CA and a leaf that node:crypto parses, with the requested names', () => {
    const ca = new X509Certificate(google.certPem);
    const cert = new X509Certificate(leaf.certPem);
    expect(ca.ca).toBe(true);
    expect(ca.subject).toContain(`O=${GOOGLE_TRUST_SERVICES}`);
    expect(cert.ca).toBe(false);
    expect(cert.issuer).toBe(ca.subject);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.subjectAltName).toBe(
      'DNS:gcr.io, DNS:*.gcr.io, DNS:*.pkg.dev, DNS:oauth2.googleapis.com, DNS:localhost, IP Address:127.0.0.1',
    );
    expect(cert.checkHost('us-docker.pkg.dev')).toBe('*.pkg.dev');
    expect(cert.checkHost('example.com')).toBeUndefined();
    expect(leaf.chainPem).toBe(leaf.certPem + google.certPem);
  });

  describe('over TLS', () => {
    let server: Server;
    const sockets = new SocketSet();
    let port: number;

    beforeAll(async () => {
      server = createServer({ cert: leaf.chainPem, key: leaf.keyPem });
      server.on('secureConnection', (socket) => sockets.add(socket));
      server.on('tlsClientError', () => {});
      port = (await listen(server, '127.0.0.1', 0)).port;
    });
    afterAll(async () => {
      sockets.destroyAll();
      await stopListening(server);
    });

    const connectAs = (servername: string, ca: string) => handshake({ host: '127.0.0.1', port, servername, ca });

    it('verifies for every Google name when the CA is trusted', async () => {
      for (const name of ['gcr.io', 'eu.gcr.io', 'europe-west1-docker.pkg.dev', 'oauth2.googleapis.com']) {
        expect(await connectAs(name, google.certPem)).toMatchObject({ ok: true, protocol: 'TLSv1.3' });
      }
    });

    it('fails with the error a client would see for each bad certificate', async () => {
      const other = await createCa({ commonName: 'Corp Proxy CA', organization: 'Corp Proxy CA' });
      // The server sends leaf + its CA, so an untrusted issuer shows up as a self-signed root in the chain.
      expect((await connectAs('gcr.io', other.certPem)).error?.code).toBe('SELF_SIGNED_CERT_IN_CHAIN');
      expect((await connectAs('docker.io', google.certPem)).error?.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');

      const expired = await issueLeaf(google, { notBefore: daysFromNow(-30), notAfter: daysFromNow(-1) });
      const future = await issueLeaf(google, { notBefore: daysFromNow(2), notAfter: daysFromNow(30) });
      const wrongHost = await issueLeaf(google, { sans: ['wrong.example'] });
      const cases: Array<[TestLeaf, string]> = [
        [expired, 'CERT_HAS_EXPIRED'],
        [future, 'CERT_NOT_YET_VALID'],
        [wrongHost, 'ERR_TLS_CERT_ALTNAME_INVALID'],
      ];
      for (const [bad, code] of cases) {
        server.setSecureContext({ cert: bad.chainPem, key: bad.keyPem });
        expect((await connectAs('gcr.io', google.certPem)).error?.code).toBe(code);
      }
      server.setSecureContext({ cert: leaf.chainPem, key: leaf.keyPem });
    });

    it('passes as an interception proxy when its unrelated CA is trusted', async () => {
      const corp = await createCa({ commonName: 'Corp Proxy CA', organization: 'Corp Proxy CA' });
      const intercept = await issueLeaf(corp);
      server.setSecureContext({ cert: intercept.chainPem, key: intercept.keyPem });
      expect(await connectAs('gcr.io', corp.certPem)).toMatchObject({ ok: true });
      expect(new X509Certificate(intercept.certPem).issuer).toContain('O=Corp Proxy CA');
      server.setSecureContext({ cert: leaf.chainPem, key: leaf.keyPem });
    });
  });

  it('writes the files a server and a client need', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gcw-pki-'));
    try {
      const files = await writePkiFiles(dir, leaf, 'gcr');
      expect(await readFile(files.caFile, 'utf8')).toBe(google.certPem);
      expect(await readFile(files.chainFile, 'utf8')).toBe(leaf.chainPem);
      expect((await stat(files.keyFile)).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // The DER is written by hand (der.ts): OpenSSL's strict checks read it as a CA does.
  itWithPrereqs(
    'writes certificates OpenSSL verifies under -x509_strict, with every extension',
    ['openssl'],
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'gcw-pki-'));
      try {
        const v6 = await issueLeaf(google, { sans: ['gcr.io', '::1', '127.0.0.1'] });
        const files = await writePkiFiles(dir, v6, 'gcr');
        const { stdout } = await run('openssl', ['verify', '-x509_strict', '-CAfile', files.caFile, files.certFile]);
        expect(stdout).toBe(`${files.certFile}: OK\n`);
        const text = (await run('openssl', ['x509', '-in', files.certFile, '-noout', '-text'])).stdout;
        expect(text).toContain('DNS:gcr.io, IP Address:0:0:0:0:0:0:0:1, IP Address:127.0.0.1');
        expect(text).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
        expect(text).toMatch(/Key Usage: critical\s+Digital Signature\n/);
        expect(text).toContain('TLS Web Server Authentication, TLS Web Client Authentication');
        expect(text).toMatch(/Authority Key Identifier:\s+[0-9A-F:]{59}/);
        const ca = (await run('openssl', ['x509', '-in', files.caFile, '-noout', '-text'])).stdout;
        expect(ca).toMatch(/Basic Constraints: critical\s+CA:TRUE/);
        expect(ca).toContain('Digital Signature, Certificate Sign, CRL Sign');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  it('writes dates after 2049 as GeneralizedTime and keeps serials positive', async () => {
    const far = await issueLeaf(google, { notAfter: new Date('2051-02-03T04:05:06Z') });
    const cert = new X509Certificate(far.certPem);
    expect(new Date(cert.validTo).toISOString()).toBe('2051-02-03T04:05:06.000Z');
    for (let i = 0; i < 20; i++) {
      const serial = new X509Certificate((await issueLeaf(google)).certPem).serialNumber;
      expect(serial).toMatch(/^[0-7][0-9A-F]{31}$/);
    }
  });
});

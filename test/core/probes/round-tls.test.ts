import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { createCa, daysFromNow, issueLeaf } from '../../../src/sim/pki.js';
import { frontForFile, roundAsGcr, startFront } from '../../support/probe-peers.js';

const shared = frontForFile();

describe('a healthy round', () => {
  it('measures every phase and describes the certificate and the challenge', async () => {
    const r = await roundAsGcr(shared.front.address.port, shared.pki.trust);
    expect(r.error).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.details.pinned).toBe(true);
    expect(r.phases.dns).toBe(0);
    for (const p of ['connect', 'tls', 'ttfb', 'transfer', 'total'] as const)
      expect(r.phases[p]).toBeGreaterThanOrEqual(0);
    // The total is the sum rounded to microseconds; the parts' float sum may differ in the 15th digit.
    expect(r.phases.total! + 1e-9).toBeGreaterThanOrEqual(r.phases.connect! + r.phases.tls! + r.phases.ttfb!);
    expect(r.details.tls).toMatchObject({
      verified: true,
      protocol: 'TLSv1.3',
      alpn: 'http/1.1',
      issuerOrg: 'Google Trust Services LLC',
    });
    expect(r.details.tls?.sans).toContain('*.gcr.io');
    expect(r.details.tls?.daysLeft).toBe(Math.floor((shared.pki.leaf.notAfter.getTime() - Date.now()) / 86_400_000));
    expect(r.details.tls?.interception).toBeUndefined();
    expect(r.details.http).toMatchObject({
      status: 401,
      registryHeader: 'registry/2.0',
      challenge: { scheme: 'Bearer', realm: 'https://gcr.io/v2/token', service: 'gcr.io' },
    });
    expect(r.details.tcp).toEqual([expect.objectContaining({ family: 4, address: '127.0.0.1', ok: true })]);
  });

  it('uses a fresh connection and a cold handshake every round', async () => {
    const before = shared.front.requestCount;
    const a = await roundAsGcr(shared.front.address.port, shared.pki.trust);
    const b = await roundAsGcr(shared.front.address.port, shared.pki.trust);
    expect(a.ok && b.ok).toBe(true);
    expect(shared.front.requestCount - before).toBe(2);
    // Resumption would make the second handshake markedly cheaper; both verify the full chain.
    expect(b.details.tls?.verified).toBe(true);
    expect(b.details.tls?.chain?.length).toBe(a.details.tls?.chain?.length);
  });
});

describe('certificate problems are reported, never bypassed', () => {
  const cases = [
    [
      'expired',
      'tls.expired',
      () => issueLeaf(shared.pki.ca, { notBefore: daysFromNow(-30), notAfter: daysFromNow(-1) }),
    ],
    [
      'not yet valid',
      'tls.not_yet_valid',
      () => issueLeaf(shared.pki.ca, { notBefore: daysFromNow(2), notAfter: daysFromNow(30) }),
    ],
    ['for another host', 'tls.hostname_mismatch', () => issueLeaf(shared.pki.ca, { sans: ['registry.example.org'] })],
    ['from an unknown CA', 'tls.untrusted', async () => issueLeaf(await createCa({ organization: 'Somebody Else' }))],
  ] as const;

  it.each(cases)('a leaf %s -> %s, and nothing is requested', async (_name, code, makeLeaf) => {
    const leaf = await makeLeaf();
    const bad = await startFront(leaf);
    try {
      const r = await roundAsGcr(bad.address.port, shared.pki.trust);
      expect(r.ok).toBe(false);
      expect(r.error).toMatchObject({ code, category: 'network', phase: 'tls' });
      // The probe lets Node keep a rejected socket open to read its chain; the words stay Node's own.
      expect(r.error?.message).toBe(await nodesOwnRejection(bad.address.port, shared.pki.trust));
      expect(r.details.tls?.verified).toBe(false);
      expect(r.details.tls?.subject).toBeTruthy();
      expect(bad.requestCount).toBe(0);
    } finally {
      await bad.close();
    }
  });

  it("flags a chain that is not Google's on a Google host as interception, naming the issuer", async () => {
    const corp = await createCa({ organization: 'Corp Proxy CA', commonName: 'Corp TLS Inspection' });
    const leaf = await issueLeaf(corp);
    const mitm = await startFront(leaf);
    const tlsModule = await import('node:tls');
    const trustCorp = tlsModule.createSecureContext({ ca: [...tlsModule.rootCertificates, corp.certPem] });
    try {
      const r = await roundAsGcr(mitm.address.port, trustCorp);
      expect(r.ok).toBe(true);
      expect(r.details.tls?.interception).toBe('Corp Proxy CA');
      const untrusted = await roundAsGcr(mitm.address.port, shared.pki.trust);
      expect(untrusted.error?.code).toBe('tls.untrusted');
      expect(untrusted.details.tls?.interception).toBe('Corp Proxy CA');
    } finally {
      await mitm.close();
    }
  });
});

describe('transport problems in the TLS phase', () => {
  it.each([
    ['handshake-stall', 'tls.timeout'],
    ['http', 'tls.protocol'],
    ['tls1.0', 'tls.protocol'],
  ] as const)('%s -> %s', async (transport, code) => {
    const odd = await startFront(shared.pki.leaf, { transport });
    try {
      const r = await roundAsGcr(odd.address.port, shared.pki.trust, { timeoutMs: 800 });
      expect(r.ok).toBe(false);
      expect(r.error).toMatchObject({ code, phase: 'tls' });
      expect(r.phases.connect).toBeGreaterThanOrEqual(0);
    } finally {
      await odd.close();
    }
  });
});

/** The message of the error Node's own tls.connect (rejecting unauthorized servers) ends with for gcr.io on `port`. */
function nodesOwnRejection(port: number, secureContext: tls.SecureContext): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'gcr.io', secureContext });
    socket.once('secureConnect', () => (socket.destroy(), reject(new Error('Node accepted the server'))));
    socket.once('error', (err) => (socket.destroy(), resolve(err.message)));
  });
}

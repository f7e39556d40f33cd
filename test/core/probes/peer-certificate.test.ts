/**
 * What makes a TLS round cheap must not make it less true: the session's one trust context
 * never turns rounds into resumed handshakes; the chain read once per leaf is still checked
 * against each round's host; a new certificate is seen at the next round; and Node's own
 * getPeerCertificate is handed back after the handshake.
 */
import net from 'node:net';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { probeTls } from '../../../src/core/probes/tls.js';
import { daysFromNow, issueLeaf } from '../../../src/sim/pki.js';
import { frontForFile, probeOptions, roundAgainst, roundAsGcr } from '../../support/probe-peers.js';

const shared = frontForFile();

describe('the certificate of a round', () => {
  it('every round is a full handshake, though the trust context is shared', async () => {
    const reused: boolean[] = [];
    // A server that issues session tickets: a client that kept one would resume.
    const server = tls.createServer({ cert: shared.pki.leaf.chainPem, key: shared.pki.leaf.keyPem }, (socket) => {
      reused.push(socket.isSessionReused());
      socket.once('data', () =>
        socket.end(
          'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm="https://gcr.io/v2/token",service="gcr.io"\r\nContent-Length: 2\r\n\r\n{}',
        ),
      );
      socket.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as net.AddressInfo).port;
      for (let i = 0; i < 3; i++) expect((await roundAsGcr(port, shared.pki.trust)).ok).toBe(true);
      expect(reused).toEqual([false, false, false]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('a known leaf is still checked against the host of each round', async () => {
    const pins = new Map([
      [`registry.example.org:${shared.front.address.port}`, '127.0.0.1'],
      [`eu.gcr.io:${shared.front.address.port}`, '127.0.0.1'],
    ]);
    const options = probeOptions({ pins, secureContext: shared.pki.trust });
    expect((await roundAsGcr(shared.front.address.port, shared.pki.trust)).ok).toBe(true);
    expect((await roundAgainst('eu.gcr.io', shared.front.address.port, options)).ok).toBe(true);
    const other = await roundAgainst('registry.example.org', shared.front.address.port, options);
    expect(other.error).toMatchObject({ code: 'tls.hostname_mismatch', phase: 'tls' });
    expect(other.details.tls?.subject).toContain('gcr.io');
  });

  it('a new certificate is reported at the next round', async () => {
    const before = await roundAsGcr(shared.front.address.port, shared.pki.trust);
    const renewed = await issueLeaf(shared.pki.ca, { notAfter: daysFromNow(400) });
    shared.front.setCertificate({ cert: renewed.chainPem, key: renewed.keyPem });
    try {
      const after = await roundAsGcr(shared.front.address.port, shared.pki.trust);
      expect(after.details.tls?.daysLeft).toBeGreaterThan(398);
      expect(after.details.tls?.validTo).not.toBe(before.details.tls?.validTo);
    } finally {
      shared.front.setCertificate({ cert: shared.pki.leaf.chainPem, key: shared.pki.leaf.keyPem });
    }
  });

  it("hands Node's own getPeerCertificate back after the handshake", async () => {
    const socket = await new Promise<net.Socket>((resolve) => {
      const s = net.connect(shared.front.address.port, '127.0.0.1', () => resolve(s));
    });
    const {
      value: { socket: secure, details },
    } = await probeTls(socket, { host: 'gcr.io', secureContext: shared.pki.trust }, AbortSignal.timeout(2000));
    try {
      expect(details.chain).toEqual(['gcr.io', 'GTS test root']);
      expect(Object.hasOwn(secure, 'getPeerCertificate')).toBe(false);
      expect(secure.getPeerCertificate(true).issuerCertificate?.subject?.CN).toBe('GTS test root');
    } finally {
      secure.destroy();
    }
  });
});

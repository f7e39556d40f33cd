/**
 * What makes a TLS round cheap must not make it less true: the session's one trust context
 * never turns rounds into resumed handshakes; the chain read once per leaf is still checked
 * against each round's host; a new certificate is seen at the next round; the socket's own
 * methods are left alone; and rounds that show the same handshake share one frozen
 * description instead of each building (and every output copying) its own.
 */
import net from 'node:net';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock.js';
import { phaseContext } from '../../../src/core/probes/run-phase.js';
import { probeTls } from '../../../src/core/probes/tls.js';
import { makeTarget } from '../../../src/core/targets.js';
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

  it("leaves the socket's own methods alone", async () => {
    const socket = await new Promise<net.Socket>((resolve) => {
      const s = net.connect(shared.front.address.port, '127.0.0.1', () => resolve(s));
    });
    const ctx = phaseContext(makeTarget('gcr.io', shared.front.address.port, 'flag'), 2000, systemClock);
    const outcome = await probeTls(ctx, { socket, host: 'gcr.io', secureContext: shared.pki.trust });
    if (!outcome.ok) throw new Error(outcome.error.message);
    const { socket: secure, details } = outcome.value;
    try {
      expect(details.chain).toEqual(['gcr.io', 'GTS test root']);
      const own = Object.getOwnPropertyNames(secure).filter((k) => typeof (secure as never)[k] === 'function');
      expect(own).toEqual([]);
      expect(secure.getPeerCertificate).toBe(tls.TLSSocket.prototype.getPeerCertificate);
      expect(secure.write).toBe(tls.TLSSocket.prototype.write);
    } finally {
      secure.destroy();
    }
  });

  it('rounds that show the same handshake share one frozen description; a new leaf makes a new one', async () => {
    const first = await roundAsGcr(shared.front.address.port, shared.pki.trust);
    const second = await roundAsGcr(shared.front.address.port, shared.pki.trust);
    expect(second.details.tls).toBe(first.details.tls);
    expect(Object.isFrozen(first.details.tls)).toBe(true);
    expect(Object.isFrozen(first.details.tls?.sans)).toBe(true);
    expect(() => first.details.tls!.sans!.push('evil.example')).toThrow(TypeError);
    const renewed = await issueLeaf(shared.pki.ca, { notAfter: daysFromNow(300) });
    shared.front.setCertificate({ cert: renewed.chainPem, key: renewed.keyPem });
    try {
      const third = await roundAsGcr(shared.front.address.port, shared.pki.trust);
      expect(third.details.tls).not.toBe(first.details.tls);
      expect(third.details.tls?.daysLeft).not.toBe(first.details.tls?.daysLeft);
    } finally {
      shared.front.setCertificate({ cert: shared.pki.leaf.chainPem, key: shared.pki.leaf.keyPem });
    }
  });
});

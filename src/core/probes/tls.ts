/**
 * The TLS phase: a handshake on an open TCP socket, cold every round (no session
 * resumption), SNI = the target host, full verification. A verification failure ends the
 * round: nothing is ever sent on an unverified connection.
 */
import net from 'node:net';
import tls from 'node:tls';
import { classifyTlsError } from '../classify.js';
import type { TlsDetails } from '../events.js';
import { defaultTrust } from '../trust.js';
import { readHandshake, tlsDetails, type HandshakeSeen } from './peer-certificate.js';
import { PhaseFailure, runPhase } from './run-phase.js';
import type { PhaseContext, PhaseResult } from './types.js';

/** The verified TLS socket and what the handshake showed. */
export interface TlsOutcome {
  socket: tls.TLSSocket;
  details: Readonly<TlsDetails>;
}

/** The handshake: on `socket`, with `host` (SNI and the name checked); `secureContext` carries the trust (trust.ts). */
export interface TlsHandshake {
  socket: net.Socket;
  host: string;
  secureContext?: tls.SecureContext;
  alpn?: string[];
  /** Wall-clock time for the days left (default `Date.now`). */
  now?: () => number;
}

/**
 * Perform a TLS handshake over `socket`, timed from the ClientHello handed to the socket (a
 * connected socket's tls.connect writes it before returning) to the end of the handshake
 * ('secure'): Node's set-up of the TLS socket before it (0.2-0.6 ms of JavaScript), its
 * verification and describing the certificate after it are this process's time, not the network's.
 * Fails with the precise code (`tls.expired`, `tls.untrusted`, `tls.hostname_mismatch`, ...)
 * and, as `partial`, what the certificate showed. Both sockets are destroyed on failure.
 */
export function probeTls(ctx: PhaseContext, hs: TlsHandshake): Promise<PhaseResult<TlsOutcome, Readonly<TlsDetails>>> {
  return runPhase<TlsOutcome, Readonly<TlsDetails>>(ctx, 'tls', (end) => {
    const secure = tls.connect({
      socket: hs.socket,
      servername: net.isIP(hs.host) ? undefined : hs.host,
      host: hs.host,
      rejectUnauthorized: true,
      // Without a context tls.connect makes one per connection (~0.6 ms of CPU each).
      secureContext: hs.secureContext ?? defaultTrust(),
      ALPNProtocols: hs.alpn ?? ['http/1.1'],
    });
    const startedAt = ctx.clock.now();
    let handshakeMs = 0;
    let seen: HandshakeSeen | undefined;
    const details = (verified: boolean) =>
      seen ? tlsDetails(seen, hs.host, verified, (hs.now ?? Date.now)()) : { verified };
    // 'secure' comes after the handshake and before Node's own verification, which destroys a
    // rejected socket: the only moment the certificate of a rejected server can be read.
    secure.prependOnceListener('secure', () => {
      handshakeMs = ctx.clock.now() - startedAt;
      seen = readHandshake(secure);
    });
    const onError = (err: Error) => {
      secure.destroy();
      hs.socket.destroy();
      end.fail(new PhaseFailure(classifyTlsError(err), err), details(false));
    };
    secure.once('error', onError);
    secure.once('secureConnect', () => {
      secure.off('error', onError);
      // Errors after the handshake belong to the HTTP phase, which listens for them itself.
      secure.on('error', ignore);
      end.ok({ socket: secure, details: details(true) }, handshakeMs);
    });
    return () => {
      secure.destroy();
      hs.socket.destroy();
    };
  });
}

function ignore(): void {}

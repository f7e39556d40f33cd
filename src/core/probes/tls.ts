/**
 * TLS handshake on an open TCP socket: a cold handshake every round (no session
 * resumption), SNI = the target host, full verification. A verification failure ends the
 * probe: nothing is ever sent on an unverified connection.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import { classifyTlsError } from '../classify.js';
import type { TlsDetails } from '../events.js';
import { defaultTrust } from '../trust.js';
import { Measured, PhaseFailure } from './run-phase.js';
import { detectInterception } from './interception.js';
import {
  certificateDetails,
  readPeerCertificate,
  releasePeerCertificate,
  type PeerCertificate,
} from './peer-certificate.js';

/** The verified TLS socket and what the handshake showed. */
export interface TlsOutcome {
  socket: tls.TLSSocket;
  details: TlsDetails;
}

/** Handshake options. `secureContext` carries extra trust (see `trust.ts`); built once per session. */
export interface TlsProbeOptions {
  host: string;
  secureContext?: tls.SecureContext;
  alpn?: string[];
  now?: () => number;
}

/**
 * Perform a TLS handshake over `socket`. Resolves with the verified socket and details,
 * measured from the start of the TLS set-up to the end of the handshake ('secure'), as
 * curl's appconnect − connect brackets it (curl's includes its own set-up too): describing
 * the certificate afterwards is this process's time, not the network's or the server's.
 * Rejects with `PhaseFailure` carrying the precise code (`tls.expired`, `tls.untrusted`,
 * `tls.hostname_mismatch`, ...) and whatever the certificate showed, for the report.
 */
export function probeTls(
  socket: net.Socket,
  opts: TlsProbeOptions,
  signal: AbortSignal,
): Promise<Measured<TlsOutcome>> {
  return new Promise((resolve, reject) => {
    const servername = net.isIP(opts.host) ? undefined : opts.host;
    const startedAt = performance.now();
    const secure = tls.connect({
      socket,
      servername,
      host: opts.host,
      rejectUnauthorized: true,
      // Without a context tls.connect makes one per connection (~0.6 ms of CPU each).
      secureContext: opts.secureContext ?? defaultTrust(),
      ALPNProtocols: opts.alpn ?? ['http/1.1'],
    });
    let handshakeMs = 0;
    let seen: TlsDetails | undefined;
    // 'secure' fires after the handshake and before Node's own verification may destroy the
    // socket: the only moment the certificate of a rejected server can still be read.
    secure.prependOnceListener('secure', () => {
      handshakeMs = performance.now() - startedAt;
      const cert = readPeerCertificate(secure);
      if (cert) seen = describePeer(secure, cert, opts);
    });
    const onAbort = () => {
      secure.destroy();
      reject(signal.reason);
    };
    const cleanup = () => signal.removeEventListener('abort', onAbort);
    signal.addEventListener('abort', onAbort, { once: true });
    secure.once('secureConnect', () => {
      cleanup();
      releasePeerCertificate(secure);
      secure.removeAllListeners('error');
      secure.on('error', () => undefined);
      const details = seen ?? { verified: false };
      details.verified = true;
      resolve(new Measured({ socket: secure, details }, handshakeMs));
    });
    secure.once('error', (err) => {
      cleanup();
      releasePeerCertificate(secure);
      secure.destroy();
      reject(new PhaseFailure(classifyTlsError(err), seen));
    });
  });
}

/** The negotiated parameters and the peer's chain. */
function describePeer(secure: tls.TLSSocket, cert: PeerCertificate, opts: TlsProbeOptions): TlsDetails {
  const details: TlsDetails = { verified: false };
  const protocol = secure.getProtocol();
  if (protocol) details.protocol = protocol;
  if (secure.alpnProtocol) details.alpn = secure.alpnProtocol;
  const cipher = secure.getCipher();
  if (cipher?.name) details.cipher = cipher.standardName ?? cipher.name;
  Object.assign(details, certificateDetails(cert, (opts.now ?? Date.now)()));
  const interception = detectInterception(opts.host, cert.issuerOrgs);
  if (interception) details.interception = interception;
  return details;
}

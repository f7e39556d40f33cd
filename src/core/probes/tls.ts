/**
 * TLS handshake on an open TCP socket: a cold handshake every round (no session
 * resumption), SNI = the target host, full verification. A verification failure ends the
 * probe: nothing is ever sent on an unverified connection.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import tls, { type PeerCertificate, type DetailedPeerCertificate } from 'node:tls';
import { classifyTlsError } from '../classify.js';
import type { TlsDetails } from '../events.js';
import { PhaseFailure } from './run-phase.js';
import { detectInterception } from './interception.js';

/** The verified TLS socket and what the handshake showed. */
export interface TlsOutcome {
  socket: tls.TLSSocket;
  details: TlsDetails;
  /** `performance.now()` at the end of the handshake. */
  doneAt: number;
}

const DAY_MS = 86_400_000;

/** Handshake options. `secureContext` carries extra trust (see `trust.ts`); built once per session. */
export interface TlsProbeOptions {
  host: string;
  secureContext?: tls.SecureContext;
  alpn?: string[];
  now?: () => number;
}

/**
 * Perform a TLS handshake over `socket`. Resolves with the verified socket and details;
 * rejects with `PhaseFailure` carrying the precise code (`tls.expired`, `tls.untrusted`,
 * `tls.hostname_mismatch`, ...) and whatever the certificate showed, for the report.
 */
export function probeTls(socket: net.Socket, opts: TlsProbeOptions, signal: AbortSignal): Promise<TlsOutcome> {
  return new Promise((resolve, reject) => {
    const servername = net.isIP(opts.host) ? undefined : opts.host;
    const secure = tls.connect({
      socket,
      servername,
      host: opts.host,
      rejectUnauthorized: true,
      secureContext: opts.secureContext,
      ALPNProtocols: opts.alpn ?? ['http/1.1'],
    });
    let seen: TlsDetails | undefined;
    // 'secure' fires after the handshake and before Node's own verification may destroy the
    // socket: the only moment the certificate of a rejected server can still be read.
    secure.prependOnceListener('secure', () => { seen = describePeer(secure, opts); });
    const onAbort = () => { secure.destroy(); reject(signal.reason); };
    const cleanup = () => signal.removeEventListener('abort', onAbort);
    signal.addEventListener('abort', onAbort, { once: true });
    secure.once('secureConnect', () => {
      const doneAt = performance.now();
      cleanup();
      secure.removeAllListeners('error');
      secure.on('error', () => undefined);
      const details = seen ?? describePeer(secure, opts);
      details.verified = true;
      resolve({ socket: secure, details, doneAt });
    });
    secure.once('error', (err) => {
      cleanup();
      secure.destroy();
      reject(new PhaseFailure(classifyTlsError(err), seen));
    });
  });
}

/** Read the negotiated parameters and the peer's chain. */
function describePeer(secure: tls.TLSSocket, opts: TlsProbeOptions): TlsDetails {
  const now = opts.now ?? Date.now;
  const details: TlsDetails = { verified: false };
  const protocol = secure.getProtocol();
  if (protocol) details.protocol = protocol;
  if (secure.alpnProtocol) details.alpn = secure.alpnProtocol;
  const cipher = secure.getCipher();
  if (cipher?.name) details.cipher = cipher.standardName ?? cipher.name;
  const leaf = secure.getPeerCertificate(true) as DetailedPeerCertificate;
  if (!leaf || !leaf.subject) return details;
  details.subject = formatName(leaf.subject);
  details.issuer = formatName(leaf.issuer);
  const org = firstValue(leaf.issuer?.O);
  if (org) details.issuerOrg = org;
  details.sans = parseSans(leaf.subjectaltname);
  details.chain = chainOf(leaf);
  details.validFrom = new Date(leaf.valid_from).toISOString();
  details.validTo = new Date(leaf.valid_to).toISOString();
  details.daysLeft = Math.floor((Date.parse(leaf.valid_to) - now()) / DAY_MS);
  const interception = detectInterception(opts.host, chainOrgs(leaf));
  if (interception) details.interception = interception;
  return details;
}

function firstValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function formatName(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  return Object.entries(name).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`).join(', ');
}

function parseSans(raw: string | undefined): string[] {
  if (!raw) return [];
  return raw.split(', ').map((s) => s.replace(/^(DNS|IP Address):/, ''));
}

function* walkChain(leaf: DetailedPeerCertificate): Generator<DetailedPeerCertificate> {
  const seen = new Set<string>();
  let cert: DetailedPeerCertificate | undefined = leaf;
  while (cert && cert.fingerprint256 && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    yield cert;
    cert = cert.issuerCertificate;
  }
}

function chainOf(leaf: DetailedPeerCertificate): string[] {
  return [...walkChain(leaf)].map((c) => firstValue(c.subject?.CN) ?? formatName(c.subject));
}

function chainOrgs(leaf: DetailedPeerCertificate): string[] {
  return [...walkChain(leaf)].slice(1).map((c) => firstValue(c.subject?.O) ?? firstValue(c.subject?.CN) ?? '')
    .concat(firstValue(leaf.issuer?.O) ?? firstValue(leaf.issuer?.CN) ?? '');
}

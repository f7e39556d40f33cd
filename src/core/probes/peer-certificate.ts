/**
 * What a TLS probe reports of the server's certificate chain. Reading certificates is the
 * costliest JavaScript part of a handshake: `getPeerCertificate(true)` converts the whole
 * chain, with three fingerprints, the raw DER and the public key of every certificate
 * (~0.6 ms of CPU a call), and Node's own hostname check made a second call. So each round
 * reads only the leaf (~0.1 ms), and the chain is read once per leaf (by its SHA-256
 * fingerprint) and kept; only the days left are computed every round.
 */
import type { DetailedPeerCertificate, PeerCertificate as NodePeerCertificate, TLSSocket } from 'node:tls';
import type { TlsDetails } from '../events.js';

/** What a chain says, the same in every round that presents the same leaf. */
export interface PeerCertificate {
  subject: string;
  issuer: string;
  issuerOrg?: string;
  sans: string[];
  /** Common names (or whole subjects) from the leaf up. */
  chain: string[];
  /** Organisations of the issuers above the leaf, then the leaf's issuer's. */
  issuerOrgs: string[];
  validFrom: string;
  validTo: string;
  validToMs: number;
}

const DAY_MS = 86_400_000;
/** Leaves seen recently; a session sees a handful, so the bound only guards against churn. */
const MAX_CACHED = 256;
const cache = new Map<string, PeerCertificate>();

/**
 * Read (or recall) the chain `secure` was shown; call it on 'secure', before Node's own
 * hostname check (the next listener), and call `releasePeerCertificate` when the handshake
 * has ended. That check calls `getPeerCertificate(true)`: it is handed the certificate read
 * here instead of converting the chain again (it reads only the leaf's subject and names).
 */
export function readPeerCertificate(secure: TLSSocket): PeerCertificate | undefined {
  const leaf = secure.getPeerCertificate(false);
  if (!leaf?.fingerprint256) return undefined;
  let known = cache.get(leaf.fingerprint256);
  let forCheck: NodePeerCertificate = leaf;
  if (!known) {
    const full = secure.getPeerCertificate(true);
    known = describeChain(full);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(leaf.fingerprint256, known);
    forCheck = full;
  }
  Object.defineProperty(secure, 'getPeerCertificate', { value: () => forCheck, configurable: true, writable: true });
  return known;
}

/** Give `secure` back Node's own `getPeerCertificate`. */
export function releasePeerCertificate(secure: TLSSocket): void {
  if (Object.hasOwn(secure, 'getPeerCertificate'))
    delete (secure as { getPeerCertificate?: unknown }).getPeerCertificate;
}

/** The certificate part of a round's `TlsDetails`, as of `nowMs`. */
export function certificateDetails(cert: PeerCertificate, nowMs: number): Omit<TlsDetails, 'verified'> {
  const details: Omit<TlsDetails, 'verified'> = { subject: cert.subject, issuer: cert.issuer };
  if (cert.issuerOrg) details.issuerOrg = cert.issuerOrg;
  details.sans = [...cert.sans];
  details.chain = [...cert.chain];
  details.validFrom = cert.validFrom;
  details.validTo = cert.validTo;
  details.daysLeft = Math.floor((cert.validToMs - nowMs) / DAY_MS);
  return details;
}

function describeChain(leaf: DetailedPeerCertificate): PeerCertificate {
  const validToMs = Date.parse(leaf.valid_to);
  const out: PeerCertificate = {
    subject: formatName(leaf.subject),
    issuer: formatName(leaf.issuer),
    sans: parseSans(leaf.subjectaltname),
    chain: [...walkChain(leaf)].map((c) => firstValue(c.subject?.CN) ?? formatName(c.subject)),
    issuerOrgs: [...walkChain(leaf)]
      .slice(1)
      .map((c) => firstValue(c.subject?.O) ?? firstValue(c.subject?.CN) ?? '')
      .concat(firstValue(leaf.issuer?.O) ?? firstValue(leaf.issuer?.CN) ?? ''),
    validFrom: new Date(leaf.valid_from).toISOString(),
    validTo: new Date(validToMs).toISOString(),
    validToMs,
  };
  const org = firstValue(leaf.issuer?.O);
  if (org) out.issuerOrg = org;
  return out;
}

function firstValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function formatName(name: NodePeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}

function parseSans(raw: string | undefined): string[] {
  if (!raw) return [];
  return raw.split(', ').map((s) => s.replace(/^(DNS|IP Address):/, ''));
}

/** The leaf and the issuers Node found for it, each once (a root is its own issuer). */
function* walkChain(leaf: DetailedPeerCertificate): Generator<DetailedPeerCertificate> {
  const seen = new Set<string>();
  let cert: DetailedPeerCertificate | undefined = leaf;
  while (cert && cert.fingerprint256 && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    yield cert;
    cert = cert.issuerCertificate;
  }
}

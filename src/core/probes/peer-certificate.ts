/**
 * What a TLS round reports of the handshake and the server's chain, built only when it
 * changes. Converting the whole chain (`getPeerCertificate(true)`: every certificate with its
 * fingerprints, raw DER and public key) costs ~0.4 ms of CPU, the leaf alone ~0.02 ms; so each
 * round reads the leaf, and the chain is described once per leaf (by its SHA-256
 * fingerprint). A round whose leaf, protocol, cipher, ALPN and days left are those of an
 * earlier one gets that round's very `TlsDetails` object: frozen, shared by every event that
 * shows it, never copied (the session log writes it once; redaction checks it once).
 */
import type { DetailedPeerCertificate, PeerCertificate as NodePeerCertificate, TLSSocket } from 'node:tls';
import type { TlsDetails } from '../events.js';
import { detectInterception } from './interception.js';

/** What a chain says, the same in every round that presents the same leaf. */
export interface PeerCertificate {
  readonly subject: string;
  readonly issuer: string;
  readonly issuerOrg?: string;
  readonly sans: readonly string[];
  /** Common names (or whole subjects) from the leaf up. */
  readonly chain: readonly string[];
  /** Organisations of the issuers above the leaf, then the leaf's issuer's. */
  readonly issuerOrgs: readonly string[];
  readonly validFrom: string;
  readonly validTo: string;
  readonly validToMs: number;
}

/** What one handshake showed, read on 'secure' (before Node's own checks may end the socket). */
export interface HandshakeSeen {
  fingerprint: string;
  cert: PeerCertificate;
  protocol?: string;
  cipher?: string;
  alpn?: string;
}

const DAY_MS = 86_400_000;
/** Leaves and descriptions kept; a session sees a handful, so the bound only guards against churn. */
const MAX_CACHED = 256;
const chains = new Map<string, PeerCertificate>();
const described = new Map<string, Readonly<TlsDetails>>();

/**
 * Read what `secure` was shown: the leaf each time, the chain only for a leaf not seen
 * before. Call it on 'secure' (documented: emitted when the handshake completes, before
 * Node's verification may destroy a rejected socket). Undefined when no certificate was sent.
 */
export function readHandshake(secure: TLSSocket): HandshakeSeen | undefined {
  const leaf = secure.getPeerCertificate(false);
  const fingerprint = leaf?.fingerprint256;
  if (!fingerprint) return undefined;
  let cert = chains.get(fingerprint);
  if (!cert) {
    cert = describeChain(secure.getPeerCertificate(true));
    remember(chains, fingerprint, cert);
  }
  const seen: HandshakeSeen = { fingerprint, cert };
  const protocol = secure.getProtocol();
  if (protocol) seen.protocol = protocol;
  const cipher = secure.getCipher();
  if (cipher?.name) seen.cipher = cipher.standardName ?? cipher.name;
  if (secure.alpnProtocol) seen.alpn = secure.alpnProtocol;
  return seen;
}

/**
 * The round's `TlsDetails` for what `seen` showed on `host`, as of `nowMs`: the same frozen
 * object as every earlier round with the same leaf, parameters, days left and verdict.
 */
export function tlsDetails(seen: HandshakeSeen, host: string, verified: boolean, nowMs: number): Readonly<TlsDetails> {
  const daysLeft = Math.floor((seen.cert.validToMs - nowMs) / DAY_MS);
  const key = `${seen.fingerprint} ${seen.protocol} ${seen.cipher} ${seen.alpn} ${daysLeft} ${verified} ${host}`;
  const known = described.get(key);
  if (known) return known;
  const details = Object.freeze(buildDetails(seen, host, verified, daysLeft));
  remember(described, key, details);
  return details;
}

function buildDetails(seen: HandshakeSeen, host: string, verified: boolean, daysLeft: number): TlsDetails {
  const { cert } = seen;
  const details: TlsDetails = { verified };
  if (seen.protocol) details.protocol = seen.protocol;
  if (seen.alpn) details.alpn = seen.alpn;
  if (seen.cipher) details.cipher = seen.cipher;
  details.subject = cert.subject;
  details.issuer = cert.issuer;
  if (cert.issuerOrg) details.issuerOrg = cert.issuerOrg;
  details.sans = cert.sans as string[];
  details.chain = cert.chain as string[];
  details.validFrom = cert.validFrom;
  details.validTo = cert.validTo;
  details.daysLeft = daysLeft;
  const interception = detectInterception(host, cert.issuerOrgs);
  if (interception) details.interception = interception;
  return details;
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= MAX_CACHED) map.clear();
  map.set(key, value);
}

function describeChain(leaf: DetailedPeerCertificate): PeerCertificate {
  const validToMs = Date.parse(leaf.valid_to);
  const walked = [...walkChain(leaf)];
  const org = firstValue(leaf.issuer?.O);
  return Object.freeze({
    subject: formatName(leaf.subject),
    issuer: formatName(leaf.issuer),
    ...(org ? { issuerOrg: org } : {}),
    sans: Object.freeze(parseSans(leaf.subjectaltname)),
    chain: Object.freeze(walked.map((c) => firstValue(c.subject?.CN) ?? formatName(c.subject))),
    issuerOrgs: Object.freeze(
      walked
        .slice(1)
        .map((c) => firstValue(c.subject?.O) ?? firstValue(c.subject?.CN) ?? '')
        .concat(firstValue(leaf.issuer?.O) ?? firstValue(leaf.issuer?.CN) ?? ''),
    ),
    validFrom: new Date(leaf.valid_from).toISOString(),
    validTo: new Date(validToMs).toISOString(),
    validToMs,
  });
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

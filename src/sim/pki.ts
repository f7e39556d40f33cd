/**
 * A throw-away PKI for the simulated world: a CA, leaves it signs, and files to hand to servers
 * and clients. ECDSA P-256 keys from node:crypto; the certificates are DER written by `der.ts`
 * (the demo ships with the package: an X.509 library would be a runtime dependency for it alone).
 *
 * Everything is PEM text; nothing here touches the network or the trust store of the machine.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import {
  bitString,
  explicit,
  namedBits,
  octetString,
  oid,
  sequence,
  set,
  tlv,
  TRUE,
  unsignedInteger,
  utf8,
  time,
} from './der.js';

const DAY_MS = 86_400_000;

/** Names a Google TLS front presents: what a leaf needs to pass for every default target. */
export const GOOGLE_SANS: readonly string[] = [
  'gcr.io',
  '*.gcr.io',
  '*.pkg.dev',
  'oauth2.googleapis.com',
  'localhost',
  '127.0.0.1',
];

/** Organisation of Google's real issuing CAs; a CA with this name looks genuine to gcrwatch. */
export const GOOGLE_TRUST_SERVICES = 'Google Trust Services LLC';

/** A validity window; see {@link daysFromNow} for dates relative to now. */
export interface Validity {
  notBefore?: Date;
  notAfter?: Date;
}

/** Options for {@link createCa}. */
export interface CaOptions extends Validity {
  /** Common name; default `gcrwatch test CA`. */
  commonName?: string;
  /** Organisation (`O=`); e.g. {@link GOOGLE_TRUST_SERVICES} or `Corp Proxy CA`. */
  organization?: string;
}

/** A CA that can sign leaves. `certPem` is what a client adds to its trust (NODE_EXTRA_CA_CERTS). */
export interface TestCa {
  certPem: string;
  keyPem: string;
  /** The subject as `CN=..., O=...`. */
  subject: string;
  /** Base64 DER of the certificate (the form a JWT `x5c` header carries). */
  derBase64: string;
  /** @internal the encoded subject, key identifier and key, for signing leaves. */
  readonly issuer: { name: Buffer; keyId: Buffer; privateKey: KeyObject };
}

/** Options for {@link issueLeaf}. */
export interface LeafOptions extends Validity {
  /** DNS names and IP addresses for the SAN extension; default {@link GOOGLE_SANS}. */
  sans?: readonly string[];
  /** Common name; default the first SAN. */
  commonName?: string;
  /** Organisation of the leaf subject (`O=`), default `Google LLC`. */
  organization?: string;
}

/** A server certificate and its key, with the chain a server should send. */
export interface TestLeaf {
  certPem: string;
  keyPem: string;
  /** Leaf followed by the issuing CA: what a TLS server sends (`cert` for node:tls). */
  chainPem: string;
  /** The issuing CA's certificate: what a client must trust. */
  caPem: string;
  subject: string;
  issuer: string;
  sans: string[];
  notBefore: Date;
  notAfter: Date;
}

/** Paths written by {@link writePkiFiles}. */
export interface PkiFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
  chainFile: string;
}

/** Creates a self-signed CA certificate (CA:true, keyCertSign) valid from an hour ago for 10 years by default. */
export async function createCa(options: CaOptions = {}): Promise<TestCa> {
  const keys = generateKeys();
  const subject = distinguishedName(options.commonName ?? 'gcrwatch test CA', options.organization);
  const name = encodeName(options.commonName ?? 'gcrwatch test CA', options.organization);
  const keyId = keyIdentifier(keys.publicKey);
  const der = certificate({
    issuer: name,
    subject: name,
    notBefore: options.notBefore ?? new Date(Date.now() - 3_600_000),
    notAfter: options.notAfter ?? new Date(Date.now() + 3650 * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    extensions: [
      extension(EXT.basicConstraints, sequence(TRUE), true),
      extension(EXT.keyUsage, namedBits([KEY_USAGE.digitalSignature, KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign]), true),
      extension(EXT.subjectKeyIdentifier, octetString(keyId)),
    ],
  });
  return {
    certPem: pem(der, 'CERTIFICATE'),
    keyPem: privateKeyPem(keys.privateKey),
    subject,
    derBase64: der.toString('base64'),
    issuer: { name, keyId, privateKey: keys.privateKey },
  };
}

/**
 * Issues a TLS server leaf signed by `ca`. By default valid from an hour ago for 30 days, with
 * {@link GOOGLE_SANS}. Give `notAfter` in the past for an expired leaf, `notBefore` in the future
 * for a not-yet-valid one, and other `sans` for a wrong-host leaf.
 */
export async function issueLeaf(ca: TestCa, options: LeafOptions = {}): Promise<TestLeaf> {
  const keys = generateKeys();
  const sans = [...(options.sans ?? GOOGLE_SANS)];
  if (sans.length === 0) throw new Error('issueLeaf: a leaf needs at least one SAN');
  const commonName = options.commonName ?? sans[0]!;
  const organization = options.organization ?? 'Google LLC';
  const notBefore = options.notBefore ?? new Date(Date.now() - 3_600_000);
  const notAfter = options.notAfter ?? new Date(Date.now() + 30 * DAY_MS);
  const der = certificate({
    issuer: ca.issuer.name,
    subject: encodeName(commonName, organization),
    notBefore,
    notAfter,
    publicKey: keys.publicKey,
    signingKey: ca.issuer.privateKey,
    extensions: [
      extension(EXT.basicConstraints, sequence(), true),
      extension(EXT.keyUsage, namedBits([KEY_USAGE.digitalSignature]), true),
      extension(EXT.extKeyUsage, sequence(oid(KEY_PURPOSE.serverAuth), oid(KEY_PURPOSE.clientAuth))),
      extension(EXT.subjectAltName, sequence(...sans.map(generalName))),
      extension(EXT.subjectKeyIdentifier, octetString(keyIdentifier(keys.publicKey))),
      extension(EXT.authorityKeyIdentifier, sequence(tlv(0x80, ca.issuer.keyId))),
    ],
  });
  const certPem = pem(der, 'CERTIFICATE');
  return {
    certPem,
    keyPem: privateKeyPem(keys.privateKey),
    chainPem: certPem + ca.certPem,
    caPem: ca.certPem,
    subject: distinguishedName(commonName, organization),
    issuer: ca.subject,
    sans,
    notBefore,
    notAfter,
  };
}

/** A date `days` days from now (negative: in the past); for validity windows. */
export function daysFromNow(days: number): Date {
  return new Date(Date.now() + days * DAY_MS);
}

/**
 * Writes `<name>.crt` (leaf only), `<name>.key` (mode 0600), `<name>-chain.crt` (leaf + CA) and
 * `ca.crt` (the issuing CA) into `dir`, creating it. Returns the paths.
 */
export async function writePkiFiles(dir: string, leaf: TestLeaf, name = 'leaf'): Promise<PkiFiles> {
  await mkdir(dir, { recursive: true });
  const files: PkiFiles = {
    caFile: join(dir, 'ca.crt'),
    certFile: join(dir, `${name}.crt`),
    keyFile: join(dir, `${name}.key`),
    chainFile: join(dir, `${name}-chain.crt`),
  };
  await writeFile(files.caFile, leaf.caPem);
  await writeFile(files.certFile, leaf.certPem);
  await writeFile(files.keyFile, leaf.keyPem, { mode: 0o600 });
  await writeFile(files.chainFile, leaf.chainPem);
  return files;
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
};
const EXT = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
};
const KEY_USAGE = { digitalSignature: 0, keyCertSign: 5, cRLSign: 6 };
const KEY_PURPOSE = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2' };

interface CertificateFields {
  issuer: Buffer;
  subject: Buffer;
  notBefore: Date;
  notAfter: Date;
  publicKey: KeyObject;
  signingKey: KeyObject;
  extensions: Buffer[];
}

/** An X.509 v3 certificate (RFC 5280 §4.1), signed ECDSA with SHA-256. */
function certificate(f: CertificateFields): Buffer {
  const algorithm = sequence(oid(OID.ecdsaWithSha256));
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.from([2]))),
    unsignedInteger(serialNumber()),
    algorithm,
    f.issuer,
    sequence(time(f.notBefore), time(f.notAfter)),
    f.subject,
    f.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...f.extensions)),
  );
  return sequence(tbs, algorithm, bitString(sign('sha256', tbs, f.signingKey)));
}

function extension(id: string, value: Buffer, critical = false): Buffer {
  return critical ? sequence(oid(id), TRUE, octetString(value)) : sequence(oid(id), octetString(value));
}

/** A SAN entry: dNSName [2] or iPAddress [7] (the address's bytes). */
function generalName(value: string): Buffer {
  const family = isIP(value);
  if (family === 4) return tlv(0x87, Buffer.from(value.split('.').map(Number)));
  if (family === 6) return tlv(0x87, ipv6Bytes(value));
  return tlv(0x82, Buffer.from(value, 'ascii'));
}

function ipv6Bytes(address: string): Buffer {
  const [head, tail] = address.split('::') as [string, string | undefined];
  const groups = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const front = groups(head);
  const back = groups(tail);
  const all =
    tail === undefined ? front : [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

/** `CN=..., O=...` as an X.501 Name, CN first. */
function encodeName(commonName: string, organization?: string): Buffer {
  const rdn = (type: string, value: string) => set(sequence(oid(type), utf8(value)));
  const parts = [rdn(OID.commonName, commonName)];
  if (organization) parts.push(rdn(OID.organization, organization));
  return sequence(...parts);
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // P-256 SPKI: a 26-byte header, then the BIT STRING's unused-bits byte and the 65-byte point.
  return createHash('sha1')
    .update(spki.subarray(spki.length - 65))
    .digest();
}

function generateKeys(): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

function privateKeyPem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

function pem(der: Buffer, label: string): string {
  const lines = der.toString('base64').match(/.{1,64}/g)!;
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function distinguishedName(commonName: string, organization?: string): string {
  const escape = (value: string) => value.replace(/([,+"\\<>;=])/g, '\\$1');
  return organization ? `CN=${escape(commonName)}, O=${escape(organization)}` : `CN=${escape(commonName)}`;
}

/** A positive 16-byte serial (RFC 5280: at most 20 bytes, positive). */
function serialNumber(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes;
}

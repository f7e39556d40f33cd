/**
 * A throw-away PKI for the simulated world: a CA, leaves it signs, and files to hand to servers
 * and clients. ECDSA P-256 via WebCrypto, so a CA plus a leaf costs a few milliseconds.
 *
 * Everything is PEM text; nothing here touches the network or the trust store of the machine.
 */
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { mkdir, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const DAY_MS = 86_400_000;
const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

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
  /** @internal the parsed certificate and key, for signing leaves. */
  readonly certificate: x509.X509Certificate;
  /** @internal */
  readonly privateKey: CryptoKey;
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
  const keys = await generateKeys();
  const subject = distinguishedName(options.commonName ?? 'gcrwatch test CA', options.organization);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: subject,
    keys,
    notBefore: options.notBefore ?? new Date(Date.now() - 3_600_000),
    notAfter: options.notAfter ?? new Date(Date.now() + 3650 * DAY_MS),
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    certPem: certificate.toString('pem') + '\n',
    keyPem: await privateKeyPem(keys.privateKey),
    subject,
    derBase64: Buffer.from(certificate.rawData).toString('base64'),
    certificate,
    privateKey: keys.privateKey,
  };
}

/**
 * Issues a TLS server leaf signed by `ca`. By default valid from an hour ago for 30 days, with
 * {@link GOOGLE_SANS}. Give `notAfter` in the past for an expired leaf, `notBefore` in the future
 * for a not-yet-valid one, and other `sans` for a wrong-host leaf.
 */
export async function issueLeaf(ca: TestCa, options: LeafOptions = {}): Promise<TestLeaf> {
  const keys = await generateKeys();
  const sans = [...(options.sans ?? GOOGLE_SANS)];
  if (sans.length === 0) throw new Error('issueLeaf: a leaf needs at least one SAN');
  const subject = distinguishedName(options.commonName ?? sans[0]!, options.organization ?? 'Google LLC');
  const notBefore = options.notBefore ?? new Date(Date.now() - 3_600_000);
  const notAfter = options.notAfter ?? new Date(Date.now() + 30 * DAY_MS);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject,
    issuer: ca.certificate.subjectName,
    notBefore,
    notAfter,
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension(
        sans.map((value) => ({ type: isIP(value) ? 'ip' : 'dns', value }) as x509.JsonGeneralName),
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.certificate),
    ],
  });
  const certPem = certificate.toString('pem') + '\n';
  return {
    certPem,
    keyPem: await privateKeyPem(keys.privateKey),
    chainPem: certPem + ca.certPem,
    caPem: ca.certPem,
    subject,
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

async function generateKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY') + '\n';
}

function distinguishedName(commonName: string, organization?: string): string {
  const escape = (value: string) => value.replace(/([,+"\\<>;=])/g, '\\$1');
  return organization ? `CN=${escape(commonName)}, O=${escape(organization)}` : `CN=${escape(commonName)}`;
}

/** A positive 16-byte serial: DER integers with the high bit set would read as negative. */
function serialNumber(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return Buffer.from(bytes).toString('hex');
}

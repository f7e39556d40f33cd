/**
 * The trust store for TLS probes: Node's bundled roots, plus NODE_EXTRA_CA_CERTS, plus every
 * `--ca-file`. Built once per session, because parsing ~150 roots per handshake would cost
 * tens of milliseconds of CPU and distort the TLS phase time.
 */
import { readFileSync } from 'node:fs';
import tls from 'node:tls';

/** Thrown when a CA file cannot be read or holds no certificate; names the file. */
export class TrustError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrustError';
  }
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Read the PEM certificates of `file`; throws `TrustError` naming the file on any problem. */
export function readCaFile(file: string, label = '--ca-file'): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new TrustError(`${label} ${file}: cannot read it (${code})`);
  }
  const certs = text.match(PEM_CERT) ?? [];
  if (!certs.length) throw new TrustError(`${label} ${file}: no PEM certificate in it`);
  return certs;
}

/**
 * A secure context trusting Node's roots, NODE_EXTRA_CA_CERTS and `caFiles`. Always built, once
 * per session, even when there is nothing to add: `tls.connect` without a context makes a new
 * one for every connection, which cost ~0.6 ms of CPU per handshake (bench/watch-cost.mjs).
 * Reusing a context does not resume sessions: a client resumes only when handed a session.
 */
export function buildTrust(caFiles: string[], env: NodeJS.ProcessEnv = process.env): tls.SecureContext {
  if (!caFiles.length) return defaultTrust();
  const extra = caFiles.flatMap((f) => readCaFile(f));
  const envFile = env.NODE_EXTRA_CA_CERTS;
  const fromEnv = envFile ? safeRead(envFile) : [];
  try {
    return tls.createSecureContext({ ca: [...tls.rootCertificates, ...fromEnv, ...extra] });
  } catch (err) {
    throw new TrustError(`--ca-file: a certificate could not be loaded (${(err as Error).message})`);
  }
}

let shared: tls.SecureContext | undefined;

/**
 * Node's roots and NODE_EXTRA_CA_CERTS (a context made without `ca` holds them, as
 * `tls.connect`'s own does), made once per process and shared.
 */
export function defaultTrust(): tls.SecureContext {
  shared ??= tls.createSecureContext();
  return shared;
}

function safeRead(file: string): string[] {
  try {
    return readCaFile(file, 'NODE_EXTRA_CA_CERTS');
  } catch {
    return [];
  }
}

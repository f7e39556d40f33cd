/**
 * The real registry of the world: `docker-registry` 2.8 (Debian's distribution build) with TLS and
 * token auth configured as gcr.io behaves — `/v2/` answers 401 with a Bearer challenge naming the
 * world's token realm, and only tokens signed by the world's token signer are accepted.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where and how the registry runs. Paths are absolute; `listen` is inside the namespace. */
export interface RegistrySettings {
  dir: string;
  listen: string;
  chainFile: string;
  keyFile: string;
  realm: string;
  service: string;
  issuer: string;
  /** PEM of the token signer's certificate (the JWT `x5c`). */
  signerCertPem: string;
}

/** Writes reg.yml (and the signer bundle and storage folder) into `settings.dir`; returns its path. */
export async function writeRegistryConfig(settings: RegistrySettings): Promise<string> {
  const storage = join(settings.dir, 'storage');
  const bundle = join(settings.dir, 'token-signer.crt');
  await mkdir(storage, { recursive: true });
  await writeFile(bundle, settings.signerCertPem);
  const yaml = [
    'version: 0.1',
    'log:',
    '  level: info',
    '  formatter: text',
    '  accesslog:',
    '    disabled: false',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storage}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${settings.listen}`,
    '  secret: gcrwatch-sim-not-a-secret',
    '  tls:',
    `    certificate: ${settings.chainFile}`,
    `    key: ${settings.keyFile}`,
    'auth:',
    '  token:',
    `    realm: ${settings.realm}`,
    `    service: ${settings.service}`,
    `    issuer: ${settings.issuer}`,
    `    rootcertbundle: ${bundle}`,
    '',
  ].join('\n');
  const file = join(settings.dir, 'reg.yml');
  await writeFile(file, yaml);
  return file;
}

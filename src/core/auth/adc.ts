/**
 * Where Application Default Credentials come from, found in google-auth-library's order:
 * `GOOGLE_APPLICATION_CREDENTIALS`, then gcloud's well-known file
 * (`$CLOUDSDK_CONFIG/application_default_credentials.json`, else
 * `~/.config/gcloud/...`), then the metadata server on Google Cloud.
 *
 * One deliberate difference: the library pings the metadata server whenever no file is
 * found, which off Google Cloud costs seconds and sends packets to 169.254.169.254. Here the
 * metadata server is a candidate only when this machine looks like Google Cloud
 * (gcp-metadata's residency check: GCE BIOS, Cloud Run/Functions environment) or when
 * `GCE_METADATA_HOST`/`GCE_METADATA_IP` names one.
 * Secret fields of the file are registered with `registerSecret` as soon as it is read.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gcpMetadata } from '../lazy-require.js';
import { registerSecretFields } from '../log/redact.js';

/** A credentials file, read. */
export interface AdcFile {
  source: 'GOOGLE_APPLICATION_CREDENTIALS' | 'gcloud ADC file';
  path: string;
  json: Record<string, unknown>;
  /** The file's `type`: authorized_user, service_account, external_account, ... */
  type: string;
  /** The identity the file names itself, when it does (a service account's e-mail). */
  identity?: string;
}

/** Where ADC come from, or why they cannot be used. */
export type AdcLocation =
  | { kind: 'file'; file: AdcFile }
  | { kind: 'metadata'; host: string }
  | { kind: 'none'; searched: string[] }
  | { kind: 'invalid'; source: string; path: string; why: string };

/** gcloud's ADC file for this environment. */
export function wellKnownAdcPath(env: NodeJS.ProcessEnv): string | undefined {
  const dir = env.CLOUDSDK_CONFIG || (env.HOME ? path.join(env.HOME, '.config', 'gcloud') : undefined);
  return dir ? path.join(dir, 'application_default_credentials.json') : undefined;
}

/** The metadata server's host as gcp-metadata would use it. */
export function metadataHost(env: NodeJS.ProcessEnv): string {
  return env.GCE_METADATA_HOST || env.GCE_METADATA_IP || '169.254.169.254';
}

/** Find ADC in `env`. Reads files; does not touch the network. */
export function locateAdc(env: NodeJS.ProcessEnv = process.env): AdcLocation {
  const fromEnv = env.GOOGLE_APPLICATION_CREDENTIALS;
  if (fromEnv) return readAdcFile('GOOGLE_APPLICATION_CREDENTIALS', fromEnv, true);
  const known = wellKnownAdcPath(env);
  if (known) {
    const found = readAdcFile('gcloud ADC file', known, false);
    if (found.kind !== 'none') return found;
  }
  const explicitMetadata =
    env.GCE_METADATA_HOST || env.GCE_METADATA_IP || env.METADATA_SERVER_DETECTION === 'assume-present';
  if (explicitMetadata || gcpMetadata().getGCPResidency()) return { kind: 'metadata', host: metadataHost(env) };
  return {
    kind: 'none',
    searched: [
      'GOOGLE_APPLICATION_CREDENTIALS (unset)',
      known ?? '~/.config/gcloud (no HOME)',
      'metadata server (not on Google Cloud)',
    ],
  };
}

function readAdcFile(source: AdcFile['source'], file: string, required: boolean): AdcLocation {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (!required && code === 'ENOENT') return { kind: 'none', searched: [file] };
    return {
      kind: 'invalid',
      source,
      path: file,
      why: code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'invalid', source, path: file, why: 'is not valid JSON' };
  }
  if (!json || typeof json !== 'object' || Array.isArray(json))
    return { kind: 'invalid', source, path: file, why: 'is not a JSON object' };
  const o = json as Record<string, unknown>;
  registerSecretFields(o);
  if (typeof o.type !== 'string')
    return { kind: 'invalid', source, path: file, why: 'has no "type" (authorized_user, service_account, ...)' };
  const adc: AdcFile = { source, path: file, json: o, type: o.type };
  const identity =
    typeof o.client_email === 'string' ? o.client_email : impersonatedEmail(o.service_account_impersonation_url);
  if (identity) adc.identity = identity;
  return { kind: 'file', file: adc };
}

function impersonatedEmail(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  return /serviceAccounts\/([^/:]+):generateAccessToken/.exec(url)?.[1];
}

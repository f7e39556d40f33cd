/**
 * What kind of credential a docker username stands for on Google's registries, and who it
 * is, as far as the credential itself says without asking anyone:
 *
 * | username            | kind                   | what it is                                         |
 * | ------------------- | ---------------------- | -------------------------------------------------- |
 * | `oauth2accesstoken` | `access-token`         | an access token pasted at `docker login`: ~1 hour, never refreshed |
 * | `_dcgcloud_token`   | `gcloud-token`         | docker-credential-gcloud: an access token minted per docker call |
 * | `_dcgcr_…_token`    | `dcgcr-token`          | docker-credential-gcr: the same, from the standalone helper |
 * | `_json_key`         | `service-account-key`  | a service-account key file as the password         |
 * | `_json_key_base64`  | `service-account-key`  | the same, base64-encoded                           |
 * | `<token>` / none    | `identity-token`       | an OAuth refresh token docker exchanges itself     |
 * | anything else       | `basic`                | a user name and password                           |
 */
import { registerSecretFields } from '../log/redact.js';

/** Credential kinds as reported in `auth` events. */
export type CredentialKind =
  'access-token' | 'gcloud-token' | 'dcgcr-token' | 'service-account-key' | 'identity-token' | 'basic';

/** The kind, and whether the secret is a Google OAuth access token (which expires). */
export interface KindInfo {
  kind: CredentialKind;
  /** The secret is a Google access token: tokeninfo can tell its identity and expiry. */
  googleAccessToken: boolean;
  /** Nothing refreshes it: docker sends the same token until it lapses. */
  neverRefreshed: boolean;
}

/** Classify a docker username (and whether an identity token is present). */
export function credentialKind(username: string | undefined, hasIdentityToken = false): KindInfo {
  const u = username ?? '';
  if (u === 'oauth2accesstoken') return { kind: 'access-token', googleAccessToken: true, neverRefreshed: true };
  if (u === '_dcgcloud_token') return { kind: 'gcloud-token', googleAccessToken: true, neverRefreshed: false };
  if (/^_dcgcr_[A-Za-z0-9_.]*_token$/.test(u))
    return { kind: 'dcgcr-token', googleAccessToken: true, neverRefreshed: false };
  if (u === '_json_key' || u === '_json_key_base64')
    return { kind: 'service-account-key', googleAccessToken: false, neverRefreshed: false };
  if (u === '<token>' || (hasIdentityToken && !u))
    return { kind: 'identity-token', googleAccessToken: false, neverRefreshed: false };
  return { kind: 'basic', googleAccessToken: false, neverRefreshed: false };
}

/** What a service-account key file says about itself. */
export interface ServiceAccountKey {
  clientEmail?: string;
  projectId?: string;
}

/**
 * Read the service-account e-mail out of a `_json_key` / `_json_key_base64` password.
 * Registers the key's secret fields first. Returns undefined when the password is not a key.
 */
export function readServiceAccountKey(username: string, password: string): ServiceAccountKey | undefined {
  const text = username === '_json_key_base64' ? Buffer.from(password, 'base64').toString('utf8') : password;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!json || typeof json !== 'object') return undefined;
  const key = json as Record<string, unknown>;
  registerSecretFields(key);
  const out: ServiceAccountKey = {};
  if (typeof key.client_email === 'string') out.clientEmail = key.client_email;
  if (typeof key.project_id === 'string') out.projectId = key.project_id;
  return out;
}

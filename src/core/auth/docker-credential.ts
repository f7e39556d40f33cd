/**
 * The credential docker would send for a registry host: config.json's choice of store
 * (`docker-config.ts`), then the helper's answer (`credential-helper.ts`) or the file's
 * entry, read the way docker's nativeStore reads it (a `<token>` username means the secret
 * is an identity token). Secrets stay in memory, registered for redaction; callers put only
 * the kind, the identity and a fingerprint into events.
 */
import { failure, type ProbeErrorInfo } from '../errors.js';
import { credentialKind, readServiceAccountKey, type KindInfo } from './credential-kind.js';
import { DEFAULT_HELPER_LIMITS, helperProgram, runCredentialHelper, type HelperLimits } from './credential-helper.js';
import { credentialSourceFor, dockerConfigKey, type DockerConfig } from './docker-config.js';

/** docker's credential for one host. */
export interface DockerCredential {
  host: string;
  /** `credHelpers: gcloud`, `credsStore: desktop`, or `config.json auths`. */
  source: string;
  username: string;
  /** Password or access token (docker's `Password`). */
  password?: string;
  /** OAuth refresh token docker exchanges at the realm (docker's `IdentityToken`). */
  identityToken?: string;
  /** A registry token used as-is (docker's `RegistryToken`). */
  registryToken?: string;
  kind: KindInfo;
  /** Who the credential says it is, when it says so itself (a key's client_email, a user name). */
  identity?: string;
  helper?: { name: string; ms: number; stderr?: string };
}

/** The lookup's outcome: a credential, none at all, or a failure on the way. */
export type DockerLookup =
  | { status: 'found'; credential: DockerCredential }
  | { status: 'none'; host: string; source?: string; helper?: { name: string; ms: number } }
  | { status: 'failed'; host: string; source: string; helper?: { name: string; ms: number }; error: ProbeErrorInfo };

/** Look up docker's credential for `host` in `config`, running the helper if one is configured. */
export async function lookupDockerCredential(
  config: DockerConfig,
  host: string,
  limits: HelperLimits = DEFAULT_HELPER_LIMITS,
  signal?: AbortSignal,
): Promise<DockerLookup> {
  const where = credentialSourceFor(config, host);
  if (where.kind === 'none') return { status: 'none', host };
  if (where.kind === 'file') {
    const e = where.entry;
    return {
      status: 'found',
      credential: describe({
        host,
        source: 'config.json auths',
        username: e.username ?? '',
        password: e.password,
        identityToken: e.identityToken,
        registryToken: e.registryToken,
      }),
    };
  }
  const source = `${where.via}: ${where.helper}`;
  const outcome = await runCredentialHelper(where.helper, dockerConfigKey(host), limits, signal);
  const helper = { name: helperProgram(where.helper), ms: outcome.ms };
  if (outcome.ok) {
    // docker's nativeStore: the username `<token>` marks the secret as an identity token.
    const identity = outcome.username === '<token>' ? { identityToken: outcome.secret } : { password: outcome.secret };
    return {
      status: 'found',
      credential: describe({
        host,
        source,
        username: outcome.username,
        ...identity,
        helper: { ...helper, ...(outcome.stderr ? { stderr: outcome.stderr } : {}) },
      }),
    };
  }
  if (outcome.reason === 'not_found') return { status: 'none', host, source, helper };
  const code =
    outcome.reason === 'missing'
      ? 'auth.helper_missing'
      : outcome.reason === 'aborted'
        ? 'auth.error'
        : 'auth.helper_failed';
  return { status: 'failed', host, source, helper, error: failure(code, outcome.message, 'auth') };
}

function describe(c: Omit<DockerCredential, 'kind'>): DockerCredential {
  const kind = credentialKind(c.username, Boolean(c.identityToken));
  const credential: DockerCredential = { ...c, kind };
  if (kind.kind === 'service-account-key' && c.password) {
    const key = readServiceAccountKey(c.username, c.password);
    if (key?.clientEmail) credential.identity = key.clientEmail;
  } else if (kind.kind === 'basic' && c.username) {
    credential.identity = c.username;
  }
  return credential;
}

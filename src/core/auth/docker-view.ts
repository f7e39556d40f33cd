/**
 * Docker's view of one registry host: which credential docker would send, where it comes
 * from (credHelpers, credsStore, config.json), what kind it is, whose it is and when it
 * expires (tokeninfo, for Google access tokens), and what is wrong with it: no credential
 * for the pushed host (named precisely when other hosts have one), a helper missing, failing
 * or slow, an expired or short-lived token.
 */
import { performance } from 'node:perf_hooks';
import { failure, type ProbeErrorInfo } from '../errors.js';
import type { HelperLimits } from './credential-helper.js';
import { lookupDockerCredential, type DockerCredential } from './docker-credential.js';
import { hostsWithCredentials, type DockerConfig } from './docker-config.js';
import { judgeExpiry } from './expiry.js';
import { fingerprint } from './fingerprint.js';
import type { TokenInfo } from './tokeninfo.js';
import { roundMs, type AuthInput } from './types.js';

/** What the docker view needs for one host. */
export interface DockerViewInput {
  host: string;
  /** The host pushes go to: a missing credential is a finding here, a note elsewhere. */
  pushTarget: boolean;
  config: DockerConfig;
  helperLimits: HelperLimits;
  /** A helper slower than this is reported (docker runs it before every push). */
  slowHelperMs: number;
  /** tokeninfo for an access token (the monitor caches it per run). */
  tokenInfo: (accessToken: string) => Promise<TokenInfo>;
  now: () => number;
  pushRemainingMs?: number;
  signal?: AbortSignal;
}

/** The check's event, and the credential itself for the registry's view (never emitted). */
export interface DockerViewResult {
  event: AuthInput;
  credential?: DockerCredential;
}

/** Run docker's view of `input.host`. Never throws. */
export async function checkDockerView(input: DockerViewInput): Promise<DockerViewResult> {
  const started = performance.now();
  const lookup = await lookupDockerCredential(input.config, input.host, input.helperLimits, input.signal);
  const base: AuthInput = { type: 'auth', view: 'docker', host: input.host, ok: true };
  const finish = (e: AuthInput): AuthInput => ({ ...e, ms: roundMs(performance.now() - started) });
  if (lookup.status === 'failed') {
    return {
      event: finish({
        ...base,
        source: lookup.source,
        ...(lookup.helper ? { helper: lookup.helper } : {}),
        ok: false,
        error: lookup.error,
      }),
    };
  }
  if (lookup.status === 'none') {
    const e: AuthInput = {
      ...base,
      kind: 'none',
      ...(lookup.source ? { source: lookup.source } : {}),
      ...(lookup.helper ? { helper: lookup.helper } : {}),
    };
    if (!input.pushTarget)
      return {
        event: finish({
          ...e,
          note: `no credential${lookup.source ? ` in ${lookup.source}` : ''}: docker would pull anonymously`,
        }),
      };
    return { event: finish({ ...e, ok: false, error: missingCredential(input.config, input.host, lookup.source) }) };
  }
  const c = lookup.credential;
  const e: AuthInput = {
    ...base,
    source: c.source,
    kind: c.kind.kind,
    ...(c.identity ? { identity: c.identity } : {}),
  };
  if (c.helper) e.helper = { name: c.helper.name, ms: c.helper.ms };
  const secret = c.password ?? c.identityToken ?? c.registryToken;
  if (secret) e.fingerprint = fingerprint(secret);
  const findings: ProbeErrorInfo[] = [];
  if (c.kind.googleAccessToken && c.password) await addTokenFacts(e, findings, c, input);
  if (c.helper && c.helper.ms > input.slowHelperMs) {
    findings.push(
      failure(
        'auth.helper_slow',
        `${c.helper.name} took ${Math.round(c.helper.ms)} ms to answer (docker runs it before every push)`,
        'auth',
      ),
    );
  }
  // The first finding is the weightiest (token facts before helper speed); the rest become notes.
  if (findings.length) {
    e.ok = false;
    e.error = findings[0];
    const rest = findings.slice(1).map((f) => f.message);
    if (rest.length) e.note = [e.note, ...rest].filter(Boolean).join('; ');
  }
  return { event: finish(e), credential: c };
}

async function addTokenFacts(
  e: AuthInput,
  findings: ProbeErrorInfo[],
  c: DockerCredential,
  input: DockerViewInput,
): Promise<void> {
  const label = `docker's ${c.kind.kind === 'access-token' ? 'access token' : `token from ${c.helper?.name ?? c.source}`} for ${c.host}`;
  const info = await input.tokenInfo(c.password!);
  if (!info.ok) {
    if (info.invalid)
      findings.push(
        failure(
          'auth.token_expired',
          `${label} is no longer valid: ${info.error.message} (expired or revoked)`,
          'auth',
        ),
      );
    else e.note = `identity and expiry unknown: ${info.error.message}`;
    if (!info.invalid && c.kind.neverRefreshed) {
      findings.push(
        failure(
          'auth.short_lived',
          `${label} is an access token pasted at docker login: it lasts at most an hour and nothing refreshes it (use a credential helper: gcloud auth configure-docker)`,
          'auth',
        ),
      );
    }
    return;
  }
  if (info.email) e.identity = info.email;
  if (info.expiresAt === undefined) return;
  e.expiresAt = new Date(info.expiresAt).toISOString();
  const finding = judgeExpiry(info.expiresAt, {
    now: input.now(),
    label,
    neverRefreshed: c.kind.neverRefreshed,
    ...(input.pushRemainingMs !== undefined ? { pushRemainingMs: input.pushRemainingMs } : {}),
  });
  if (finding) findings.push(finding);
}

/** The command that gives docker a credential for `host`. */
export function loginCommand(host: string): string {
  return host.endsWith('.pkg.dev') || host.endsWith('gcr.io')
    ? `gcloud auth configure-docker ${host}`
    : `docker login ${host}`;
}

/** `auth.wrong_host` when docker has credentials for other hosts, else `auth.no_credentials`. */
export function missingCredential(config: DockerConfig, host: string, source?: string): ProbeErrorInfo {
  const others = hostsWithCredentials(config).filter((h) => h !== host);
  const fix = loginCommand(host);
  const where = source
    ? `${source} has none`
    : config.exists
      ? `nothing in ${config.path}`
      : `${config.path} does not exist`;
  if (others.length) {
    return failure(
      'auth.wrong_host',
      `docker has no credential for ${host} (${where}); it has credentials only for ${others.join(', ')}. Run: ${fix}`,
      'auth',
    );
  }
  return failure(
    'auth.no_credentials',
    `docker has no credential for ${host} (${where}); a push would be refused. Run: ${fix}`,
    'auth',
  );
}

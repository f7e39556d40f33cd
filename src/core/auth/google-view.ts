/**
 * Google's view: Application Default Credentials with google-auth-library. Which kind
 * (user, service account, workload identity, metadata server), which identity, whether a
 * token can be minted now, when it expires, and the identity and scopes tokeninfo reports.
 *
 * The client is built from the file with `GoogleAuth.fromJSON` rather than
 * `getApplicationDefault()`: the latter also looks up a project id, which runs
 * `gcloud config config-helper` and asks the metadata server, neither of which the
 * credential check needs. Every request has a deadline and follows the check's abort signal.
 */
import { performance } from 'node:perf_hooks';
import type { AuthClient } from 'google-auth-library';
import { googleAuth } from '../lazy-require.js';
import { isDeadline, messageOf } from '../classify.js';
import { failure, type ProbeErrorInfo } from '../errors.js';
import { registerSecret } from '../log/redact.js';
import { locateAdc, type AdcFile } from './adc.js';
import { fingerprint } from './fingerprint.js';
import { looksHtml, type TokenInfo } from './tokeninfo.js';
import { roundMs, type AuthInput } from './types.js';

const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';

/** What Google's view needs. */
export interface GoogleViewInput {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  tokenInfo: (accessToken: string) => Promise<TokenInfo>;
  signal?: AbortSignal;
}

/** Kinds of ADC as reported in events. */
const KIND_OF_TYPE: Record<string, string> = {
  authorized_user: 'user',
  service_account: 'service-account',
  external_account: 'workload-identity',
  external_account_authorized_user: 'workforce-user',
  impersonated_service_account: 'impersonated-service-account',
  gdch_service_account: 'gdch-service-account',
};

/** Run Google's view. Never throws. */
export async function checkGoogleView(input: GoogleViewInput): Promise<AuthInput> {
  const started = performance.now();
  const e: AuthInput = { type: 'auth', view: 'google', ok: true };
  const done = (x: AuthInput): AuthInput => ({ ...x, ms: roundMs(performance.now() - started) });
  const where = locateAdc(input.env);
  if (where.kind === 'none')
    return done({
      ...e,
      kind: 'none',
      note: 'no Application Default Credentials (gcloud auth application-default login sets them up)',
    });
  if (where.kind === 'invalid')
    return done({
      ...e,
      source: where.source,
      ok: false,
      error: failure(
        'auth.config_invalid',
        `${where.source === 'GOOGLE_APPLICATION_CREDENTIALS' ? 'GOOGLE_APPLICATION_CREDENTIALS=' : ''}${where.path} ${where.why}`,
        'auth',
      ),
    });
  const transporterOptions = { timeout: input.timeoutMs, ...(input.signal ? { signal: input.signal } : {}) };
  let client: AuthClient;
  if (where.kind === 'metadata') {
    Object.assign(e, { source: `metadata server (${where.host})`, kind: 'metadata' });
    client = new (googleAuth().Compute)({ scopes: [CLOUD_PLATFORM], transporterOptions });
  } else {
    Object.assign(e, describeFile(where.file));
    try {
      client = new (googleAuth().GoogleAuth)({ scopes: [CLOUD_PLATFORM] }).fromJSON(where.file.json as never, {
        transporterOptions,
      });
    } catch (err) {
      return done({
        ...e,
        ok: false,
        error: failure('auth.config_invalid', `${where.file.path}: ${messageOf(err)}`, 'auth'),
      });
    }
  }
  const minted = await mintToken(client, input.timeoutMs);
  if (!minted.ok) return done({ ...e, ok: false, error: minted.error });
  e.fingerprint = fingerprint(minted.token);
  if (minted.expiresAt) e.expiresAt = new Date(minted.expiresAt).toISOString();
  const info = await input.tokenInfo(minted.token);
  if (info.ok) {
    if (info.email) e.identity = info.email;
    e.note = `token minted; scopes: ${info.scopes.map((s) => s.replace('https://www.googleapis.com/auth/', '')).join(' ') || 'none'}`;
  } else {
    e.note = `token minted; identity unknown: ${info.error.message}`;
  }
  return done(e);
}

function describeFile(file: AdcFile): Partial<AuthInput> {
  const out: Partial<AuthInput> = {
    source: `${file.source} (${file.path})`,
    kind: KIND_OF_TYPE[file.type] ?? file.type,
  };
  if (file.identity) out.identity = file.identity;
  return out;
}

type Minted = { ok: true; token: string; expiresAt?: number } | { ok: false; error: ProbeErrorInfo };

async function mintToken(client: AuthClient, timeoutMs: number): Promise<Minted> {
  try {
    const { token } = await client.getAccessToken();
    if (!token)
      return {
        ok: false,
        error: failure('auth.token_endpoint', 'google-auth-library returned no access token', 'auth'),
      };
    const expiry = client.credentials.expiry_date;
    registerSecret(token, typeof expiry === 'number' ? { validForMs: Math.max(0, expiry - Date.now()) } : {});
    return { ok: true, token, ...(typeof expiry === 'number' ? { expiresAt: expiry } : {}) };
  } catch (err) {
    return { ok: false, error: classifyMintError(err, timeoutMs) };
  }
}

/** Map what google-auth-library threw while minting onto the closed set. */
export function classifyMintError(err: unknown, timeoutMs: number): ProbeErrorInfo {
  const response = (err as { response?: { status?: number; data?: unknown } }).response;
  const data = response?.data;
  const body = typeof data === 'string' ? data : JSON.stringify(data ?? '');
  const oauth =
    typeof data === 'object' && data ? (data as { error?: unknown; error_description?: unknown }) : undefined;
  if (oauth?.error === 'invalid_grant' || /invalid_grant/.test(messageOf(err))) {
    const why = typeof oauth?.error_description === 'string' ? oauth.error_description : 'revoked or expired';
    return failure(
      'auth.invalid_grant',
      `Google refused to refresh the credential (invalid_grant: ${why}); run: gcloud auth application-default login`,
      'auth',
    );
  }
  if (response?.status) {
    const what = looksHtml(body) ? 'an HTML page' : typeof oauth?.error === 'string' ? oauth.error : 'no OAuth error';
    const code = response.status === 401 || response.status === 403 ? 'auth.unauthorized' : 'auth.token_endpoint';
    return failure(code, `the OAuth token endpoint answered ${response.status}: ${what}`, 'auth');
  }
  if (isDeadline(err) || /timeout|timed out/i.test(messageOf(err)))
    return failure(
      'auth.token_endpoint',
      `the OAuth token endpoint did not answer within ${timeoutMs / 1000} s`,
      'auth',
    );
  // A 200 with a page (a captive portal) reaches the library as a string it then fails to use
  // ("Cannot create property 'refresh_token' on string '<!DOCTYPE html>...'").
  if (/<(!doctype|html|head|body)\b/i.test(messageOf(err)))
    return failure(
      'auth.token_endpoint',
      'the OAuth token endpoint answered an HTML page instead of a token (a captive portal or proxy page?)',
      'auth',
    );
  return failure('auth.token_endpoint', `minting a token failed: ${messageOf(err)}`, 'auth');
}

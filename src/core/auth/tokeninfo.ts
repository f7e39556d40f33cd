/**
 * Google's tokeninfo endpoint: who an access token belongs to, its scopes and when it
 * expires. Asked the way google-auth-library's `getTokenInfo` asks (POST, the token in an
 * `Authorization: Bearer` header, never in the URL), through the library's own transport so
 * that trust and proxies behave as in the rest of Google's view, but with a time limit and
 * no retries, and with the answer judged here: `invalid_token` is a finding, an HTML page or
 * a hang is the endpoint's trouble, not the token's.
 */
import { performance } from 'node:perf_hooks';
import { googleAuth } from '../lazy-require.js';
import { isDeadline, messageOf } from '../classify.js';
import { failure, type ProbeErrorInfo } from '../errors.js';

/** The default endpoint, as google-auth-library has it. */
export const TOKENINFO_URL = 'https://oauth2.googleapis.com/tokeninfo';

/** What tokeninfo said about a token. */
export type TokenInfo =
  | { ok: true; email?: string; scopes: string[]; expiresAt?: number; ms: number }
  | {
      ok: false;
      ms: number;
      error: ProbeErrorInfo;
      /** Google answered that the token is not valid. */ invalid: boolean;
    };

/** Options of one tokeninfo request. */
export interface TokenInfoOptions {
  url?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  now?: () => number;
}

/** Ask tokeninfo about `accessToken`. Never throws. */
export async function fetchTokenInfo(accessToken: string, opts: TokenInfoOptions): Promise<TokenInfo> {
  const client = new (googleAuth().OAuth2Client)({
    transporterOptions: { timeout: opts.timeoutMs, signal: opts.signal },
  });
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const res = await client.transporter.request<string>({
      url: opts.url ?? TOKENINFO_URL,
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
        authorization: `Bearer ${accessToken}`,
      },
      responseType: 'text',
      retry: false,
    });
    return readInfo(String(res.data), ms(), opts.now ?? Date.now);
  } catch (err) {
    const response = (err as { response?: { status?: number; data?: unknown } }).response;
    if (response?.status && response.status >= 400 && response.status < 500) {
      const said = oauthError(String(response.data ?? ''));
      if (said)
        return {
          ok: false,
          ms: ms(),
          invalid: true,
          error: failure('auth.unauthorized', `tokeninfo refused the token (${said})`, 'auth'),
        };
    }
    const why = response?.status
      ? `answered ${response.status}${looksHtml(String(response.data ?? '')) ? ' with an HTML page' : ''}`
      : isDeadline(err) || /timeout/i.test(messageOf(err))
        ? `did not answer within ${opts.timeoutMs / 1000} s`
        : `failed: ${messageOf(err)}`;
    return { ok: false, ms: ms(), invalid: false, error: failure('auth.token_endpoint', `tokeninfo ${why}`, 'auth') };
  }
}

function readInfo(body: string, ms: number, now: () => number): TokenInfo {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return {
      ok: false,
      ms,
      invalid: false,
      error: failure(
        'auth.token_endpoint',
        `tokeninfo answered ${looksHtml(body) ? 'an HTML page' : 'something that is not JSON'}`,
        'auth',
      ),
    };
  }
  const info: TokenInfo = {
    ok: true,
    ms,
    scopes: typeof data.scope === 'string' ? data.scope.split(' ').filter(Boolean) : [],
  };
  if (typeof data.email === 'string') info.email = data.email;
  // expires_in is relative to Google's clock and so immune to a skewed local clock; exp is not.
  const expiresIn = Number(data.expires_in);
  const exp = Number(data.exp);
  if (Number.isFinite(expiresIn)) info.expiresAt = now() + expiresIn * 1000;
  else if (Number.isFinite(exp)) info.expiresAt = exp * 1000;
  return info;
}

/** `invalid_token: Invalid Value` from an OAuth error body, or undefined. */
export function oauthError(body: string): string | undefined {
  try {
    const o = JSON.parse(body) as { error?: unknown; error_description?: unknown };
    if (typeof o.error !== 'string') return undefined;
    return typeof o.error_description === 'string' ? `${o.error}: ${o.error_description}` : o.error;
  } catch {
    return undefined;
  }
}

/** True for a body that is an HTML page (a portal, a proxy's error page). */
export function looksHtml(body: string): boolean {
  return /^\s*<(!doctype|html|head|body)/i.test(body);
}

/**
 * A minimal `oauth2.googleapis.com`: `POST /token` for the grants google-auth-library sends
 * (authorized_user refresh, service-account JWT bearer) and `/tokeninfo` for the identity and
 * scopes behind an access token. Served under the real host name (through the world's DNS and a
 * test CA in NODE_EXTRA_CA_CERTS), google-auth-library uses it with no configuration change.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerFault, HttpHost, readBody, sendJson, type CertificatePair } from './http-host.js';
import { TokenService } from './token-service.js';

/** An account the server knows: a user (by refresh token) or a service account (by e-mail). */
export interface OAuthAccount {
  email: string;
  /** For `authorized_user` credentials. Omit for a service account. */
  refreshToken?: string;
  /** Granted scopes; default cloud-platform. */
  scopes?: string[];
  /**
   * Access tokens this account already holds (as if minted earlier and pasted into a docker
   * login); tokeninfo knows them for the server's token lifetime from when they are set.
   */
  accessTokens?: string[];
  /** A revoked account answers `invalid_grant`. */
  revoked?: boolean;
}

/** One request to the server. Tokens are never kept in the record. */
export interface OAuthRequestRecord {
  at: number;
  path: string;
  grantType?: string;
  outcome: 'issued' | 'invalid_grant' | 'tokeninfo' | 'invalid_token' | 'fault' | 'not_found';
  email?: string;
}

/** Options for {@link startOAuthServer}. */
export interface OAuthServerOptions {
  host?: string;
  port?: number;
  tls?: CertificatePair;
  accounts?: OAuthAccount[];
  /** Access-token lifetime in seconds; default 3599 (as Google). */
  expiresIn?: number;
}

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';

interface IssuedToken {
  email: string;
  scopes: string[];
  expiresAt: number;
}

/** A running OAuth endpoint. Create it with {@link startOAuthServer}. */
export class OAuthServer extends TokenService<OAuthRequestRecord> {
  private readonly accounts: OAuthAccount[] = [];
  private readonly issued = new Map<string, IssuedToken>();

  private constructor(host: HttpHost, options: OAuthServerOptions) {
    super(host, options.expiresIn ?? 3599);
    for (const account of options.accounts ?? []) this.setAccount(account);
  }

  /** @internal use {@link startOAuthServer}. */
  static async start(options: OAuthServerOptions = {}): Promise<OAuthServer> {
    let server: OAuthServer | undefined;
    const host = await HttpHost.start({ ...options, handler: (req, res) => void server!.handle(req, res) });
    server = new OAuthServer(host, options);
    return server;
  }

  /** Adds or replaces an account (matched on e-mail). */
  setAccount(account: OAuthAccount): void {
    const index = this.accounts.findIndex((known) => known.email === account.email);
    if (index >= 0) this.accounts[index] = { ...account };
    else this.accounts.push({ ...account });
    const scopes = account.scopes ?? [CLOUD_PLATFORM];
    for (const token of account.accessTokens ?? []) {
      this.issued.set(token, { email: account.email, scopes, expiresAt: Date.now() + this.expiresIn * 1000 });
    }
  }

  /** Revokes an account: its refresh grant answers `invalid_grant`, its access tokens stop working. */
  revoke(email: string): void {
    for (const account of this.accounts) if (account.email === email) account.revoked = true;
    for (const [token, info] of this.issued) if (info.email === email) this.issued.delete(token);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://oauth2.invalid');
    const record = this.record({ at: Date.now(), path: url.pathname, outcome: 'fault' });
    const body = new URLSearchParams(await readBody(req));
    if (answerFault(this.fault, res)) return;
    if (url.pathname === '/token' && req.method === 'POST') return this.token(body, record, res);
    if (url.pathname === '/tokeninfo') return this.tokenInfo(req, url, body, record, res);
    record.outcome = 'not_found';
    sendJson(res, 404, { error: 'not_found' });
  }

  private token(body: URLSearchParams, record: OAuthRequestRecord, res: ServerResponse): void {
    const grantType = body.get('grant_type') ?? '';
    record.grantType = grantType;
    let account: OAuthAccount | undefined;
    if (grantType === 'refresh_token') {
      account = this.accounts.find(
        (known) => known.refreshToken !== undefined && known.refreshToken === body.get('refresh_token'),
      );
    } else if (grantType === JWT_BEARER) {
      const email = assertionIssuer(body.get('assertion') ?? '');
      account = this.accounts.find((known) => known.email === email);
    }
    if (!account || account.revoked) {
      record.outcome = 'invalid_grant';
      sendJson(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
      return;
    }
    const scopes = account.scopes ?? [CLOUD_PLATFORM];
    const accessToken = `ya29.sim-${randomBytes(24).toString('base64url')}`;
    this.issued.set(accessToken, { email: account.email, scopes, expiresAt: Date.now() + this.expiresIn * 1000 });
    if (this.issued.size > 10_000) this.issued.delete(this.issued.keys().next().value!);
    record.outcome = 'issued';
    record.email = account.email;
    sendJson(res, 200, {
      access_token: accessToken,
      expires_in: this.expiresIn,
      scope: scopes.join(' '),
      token_type: 'Bearer',
    });
  }

  /** Accepts the token as `?access_token=`, in a form body, or as `Authorization: Bearer` (google-auth-library). */
  private tokenInfo(
    req: IncomingMessage,
    url: URL,
    body: URLSearchParams,
    record: OAuthRequestRecord,
    res: ServerResponse,
  ): void {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = url.searchParams.get('access_token') ?? body.get('access_token') ?? bearer ?? '';
    const info = this.issued.get(token);
    if (!info || info.expiresAt <= Date.now()) {
      record.outcome = 'invalid_token';
      sendJson(res, 400, { error: 'invalid_token', error_description: 'Invalid Value' });
      return;
    }
    record.outcome = 'tokeninfo';
    record.email = info.email;
    const expiresIn = Math.max(0, Math.floor((info.expiresAt - Date.now()) / 1000));
    sendJson(res, 200, {
      azp: '32555940559.apps.googleusercontent.com',
      aud: '32555940559.apps.googleusercontent.com',
      sub: numericId(info.email),
      scope: info.scopes.join(' '),
      exp: String(Math.floor(info.expiresAt / 1000)),
      expires_in: expiresIn,
      email: info.email,
      email_verified: 'true',
      access_type: 'offline',
    });
  }
}

/** Starts an OAuth endpoint (HTTPS when `tls` is given). Close it with `close()`. */
export function startOAuthServer(options: OAuthServerOptions = {}): Promise<OAuthServer> {
  return OAuthServer.start(options);
}

/** The `iss` of a JWT assertion, unverified (the simulated server trusts its callers' keys). */
function assertionIssuer(assertion: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      iss?: unknown;
    };
    return typeof payload.iss === 'string' ? payload.iss : undefined;
  } catch {
    return undefined;
  }
}

/** A stable 21-digit id for an e-mail, shaped like Google's numeric subject ids. */
function numericId(email: string): string {
  const hex = createHash('sha256').update(email).digest('hex').slice(0, 15);
  return `1${BigInt(`0x${hex}`).toString().padStart(20, '0').slice(0, 20)}`;
}

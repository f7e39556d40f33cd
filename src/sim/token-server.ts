/**
 * The registry token endpoint (the `realm` of a Bearer challenge), as gcr.io and Artifact Registry
 * run it: `GET realm?service=S&scope=repository:NAME:push,pull` with Basic credentials answers
 * `{"token": JWT, "expires_in": N}`. The JWT is ES256 with an `x5c` header, which the reference
 * registry (docker-registry 2.8, `auth: token:` with `rootcertbundle` = the signer's certificate)
 * accepts. Each identity has a policy: push, pull only, denied in Artifact Registry's words, or
 * unauthorized; and the endpoint can be switched down, to an HTML answer, or to hang.
 */
import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerFault, basicCredentials, HttpHost, sendJson, type CertificatePair } from './http-host.js';
import { createCa } from './pki.js';
import { TokenService } from './token-service.js';

/**
 * What an identity may do. `push`: every requested pull/push (plus `delete` when the identity has
 * `grantDelete`); `pull`: pull only, push silently dropped (the registry then refuses the push);
 * `denied`: a push scope gets 403 DENIED as Artifact Registry words it, pull is granted;
 * `unauthorized`: 401 UNAUTHORIZED for everything.
 */
export type GrantPolicy = 'push' | 'pull' | 'denied' | 'unauthorized';

/** Credentials the endpoint knows, matched on password (and username when given). */
export interface TokenIdentity {
  username?: string;
  password: string;
  policy: GrantPolicy;
  /** `sub` of the token; default the username. */
  subject?: string;
  /** Add `delete` beside a granted `push`, as Google's registries let a pusher cancel its upload. */
  grantDelete?: boolean;
}

/** The key and certificate that sign tokens; `certPem` is the registry's `rootcertbundle`. */
export interface TokenSigner {
  certPem: string;
  keyPem: string;
  /** Base64 DER of the certificate, as carried in the JWT `x5c` header. */
  x5c: string;
}

/** One token request. The credentials themselves are never kept. */
export interface TokenRequestRecord {
  at: number;
  username?: string;
  service?: string;
  scopes: string[];
  outcome: 'granted' | 'denied' | 'unauthorized' | 'fault';
  /** Actions granted per repository, e.g. `{"proj/app": ["pull","push"]}`. */
  granted: Record<string, string[]>;
}

/** Options for {@link startTokenServer}. */
export interface TokenServerOptions {
  host?: string;
  port?: number;
  tls?: CertificatePair;
  /** Path of the realm; default `/v2/token` (as gcr.io). */
  path?: string;
  /** Default: a fresh ECDSA signer from {@link createTokenSigner}. */
  signer?: TokenSigner;
  /** `iss` claim; must equal the registry's `auth.token.issuer`. Default `gcrwatch-sim`. */
  issuer?: string;
  /** `aud` when the request names no service; default `gcr.io`. */
  service?: string;
  /** Token lifetime in seconds; default 3600. */
  expiresIn?: number;
  identities?: TokenIdentity[];
  /** Policy for requests without credentials; default `unauthorized`. */
  anonymous?: GrantPolicy;
}

/** A running token endpoint. Create it with {@link startTokenServer}. */
export class TokenServer extends TokenService<TokenRequestRecord> {
  readonly signer: TokenSigner;
  readonly issuer: string;
  private readonly identities = new Map<string, TokenIdentity>();
  private readonly key: KeyObject;

  private constructor(
    host: HttpHost,
    private readonly options: TokenServerOptions & { signer: TokenSigner },
  ) {
    super(host, options.expiresIn ?? 3600);
    this.signer = options.signer;
    this.key = createPrivateKey(options.signer.keyPem);
    this.issuer = options.issuer ?? 'gcrwatch-sim';
    for (const identity of options.identities ?? []) this.setIdentity(identity);
  }

  /** @internal use {@link startTokenServer}. */
  static async start(options: TokenServerOptions = {}): Promise<TokenServer> {
    const signer = options.signer ?? (await createTokenSigner());
    let server: TokenServer | undefined;
    const host = await HttpHost.start({ ...options, handler: (req, res) => server!.handle(req, res) });
    server = new TokenServer(host, { ...options, signer });
    return server;
  }

  /** The realm URL on this listener's own address, e.g. `https://127.0.0.1:4431/v2/token`. */
  get realm(): string {
    return `${this.host.url}${this.options.path ?? '/v2/token'}`;
  }

  /** Adds or replaces an identity (matched on its password). */
  setIdentity(identity: TokenIdentity): void {
    this.identities.set(identity.password, identity);
  }

  /** Forgets the identity with this password (it then gets the `unauthorized` answer). */
  removeIdentity(password: string): void {
    this.identities.delete(password);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const url = new URL(req.url ?? '/', 'https://token.invalid');
    const credentials = basicCredentials(req);
    const scopes = url.searchParams
      .getAll('scope')
      .flatMap((scope) => scope.split(' '))
      .filter(Boolean);
    const service = url.searchParams.get('service') ?? undefined;
    const record = this.record({
      at: Date.now(),
      username: credentials?.username,
      service,
      scopes,
      outcome: 'fault',
      granted: {},
    });
    if (answerFault(this.fault, res)) return;
    if (url.pathname !== (this.options.path ?? '/v2/token')) {
      sendJson(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'Not found.' }] });
      return;
    }
    const identity = credentials ? this.identities.get(credentials.password) : undefined;
    const known = identity && (identity.username === undefined || identity.username === credentials?.username);
    const policy = credentials
      ? known
        ? identity.policy
        : 'unauthorized'
      : (this.options.anonymous ?? 'unauthorized');
    if (policy === 'unauthorized') {
      record.outcome = 'unauthorized';
      sendJson(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'Not Authorized.' }] });
      return;
    }
    const access = scopes.map(parseScope).filter((scope) => scope !== undefined);
    const refused = policy === 'denied' ? access.find((scope) => scope.actions.includes('push')) : undefined;
    if (refused) {
      record.outcome = 'denied';
      const message =
        `Permission "artifactregistry.repositories.uploadArtifacts" denied on resource ` +
        `"projects/${refused.name.split('/')[0]}/locations/us/repositories/${refused.name}" (or it may not exist)`;
      sendJson(res, 403, { errors: [{ code: 'DENIED', message }] });
      return;
    }
    for (const scope of access)
      scope.actions = grantedActions(policy, scope.actions, known ? identity.grantDelete : false);
    record.outcome = 'granted';
    record.granted = Object.fromEntries(access.map((scope) => [scope.name, scope.actions]));
    const subject =
      (known ? (identity.subject ?? identity.username) : undefined) ?? credentials?.username ?? 'anonymous';
    const token = signRegistryToken(this.signer, this.key, {
      iss: this.issuer,
      sub: subject,
      aud: service ?? this.options.service ?? 'gcr.io',
      expiresIn: this.expiresIn,
      access,
    });
    sendJson(res, 200, { token, expires_in: this.expiresIn, issued_at: new Date().toISOString() });
  }
}

/** Starts a token endpoint (HTTPS when `tls` is given). Close it with `close()`. */
export function startTokenServer(options: TokenServerOptions = {}): Promise<TokenServer> {
  return TokenServer.start(options);
}

/** Makes a fresh token-signing key and self-signed certificate (the registry's `rootcertbundle`). */
export async function createTokenSigner(): Promise<TokenSigner> {
  const ca = await createCa({ commonName: 'gcrwatch sim token signer', organization: 'gcrwatch sim' });
  return { certPem: ca.certPem, keyPem: ca.keyPem, x5c: ca.derBase64 };
}

/** One entry of the `access` claim. */
export interface AccessEntry {
  type: string;
  name: string;
  actions: string[];
}

/** Claims for {@link signRegistryToken}. */
export interface RegistryTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  expiresIn: number;
  access: AccessEntry[];
}

/**
 * Signs a registry token: ES256 JWT with `x5c` = the signer's certificate, claims iss, sub, aud,
 * exp, nbf, iat, jti and access. `key` is the signer's key (pass it to avoid re-parsing the PEM).
 */
export function signRegistryToken(
  signer: TokenSigner,
  key: KeyObject | undefined,
  claims: RegistryTokenClaims,
): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'ES256', typ: 'JWT', x5c: [signer.x5c] };
  const payload = {
    iss: claims.iss,
    sub: claims.sub,
    aud: claims.aud,
    exp: now + claims.expiresIn,
    nbf: now - 10,
    iat: now,
    jti: randomUUID(),
    access: claims.access,
  };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = sign('sha256', Buffer.from(signingInput), {
    key: key ?? createPrivateKey(signer.keyPem),
    dsaEncoding: 'ieee-p1363',
  });
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** `repository:proj/app:push,pull` -> entry; names may not contain ':' but types may carry `(class)`. */
function parseScope(scope: string): AccessEntry | undefined {
  const parts = scope.split(':');
  if (parts.length < 3) return undefined;
  const type = parts[0]!.replace(/\(.*\)$/, '');
  return { type, name: parts.slice(1, -1).join(':'), actions: parts.at(-1)!.split(',').filter(Boolean) };
}

function grantedActions(
  policy: Exclude<GrantPolicy, 'unauthorized'>,
  requested: string[],
  grantDelete = false,
): string[] {
  const allowed = policy === 'push' ? ['pull', 'push'] : ['pull'];
  const granted = requested.filter((action) => allowed.includes(action));
  if (policy === 'push' && grantDelete && granted.includes('push') && !granted.includes('delete'))
    granted.push('delete');
  return granted;
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

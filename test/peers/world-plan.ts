/**
 * The layout of a simulated world, computed before anything starts: which host name gets which
 * loopback address, what answers behind it, and the credentials the world knows. Pure data.
 *
 * Addresses (all inside the namespace):
 *   127.0.0.53      resolver (node DNS peer or dnsmasq)
 *   127.0.1.N:443   host N's fault proxy (what the name resolves to)
 *   127.0.2.1:443   the registry (docker-registry 2.8, or a shared registry front)
 *   127.0.3.N:443   host N's own registry front (hosts with serve: 'front')
 *   127.0.4.1:443   token endpoint; 127.0.4.2:443 OAuth endpoint
 */
import type { DnsBehaviour, OAuthAccount, TokenIdentity } from '../../src/sim/index.js';
import type { PeerHostConfig } from './peer-host.js';

/** What answers behind a host's fault proxy. */
export type HostRole = 'registry' | 'front' | 'token' | 'oauth';

/** A host name of the world and what serves it. */
export interface WorldHostSpec {
  name: string;
  serve: HostRole;
}

/** A planned host: its name, role and the address it resolves to. */
export interface WorldHost extends WorldHostSpec {
  address: string;
}

/** Options for `createWorld`. */
export interface WorldOptions {
  /** Host names and their roles; default {@link DEFAULT_WORLD_HOSTS}. Needs one `token` host. */
  hosts?: WorldHostSpec[];
  /** `node` (default): the DNS peer, switchable per name via `world.dns`. `dnsmasq`: static answers. */
  resolver?: 'node' | 'dnsmasq';
  /** `docker-registry` (default): the real registry. `front`: a registry front (no package needed). */
  registry?: 'docker-registry' | 'front';
  /** Start dockerd too (needs the dockerd and docker prerequisites). */
  docker?: boolean;
  /** Registry token identities; default {@link WORLD_IDENTITIES}. */
  identities?: TokenIdentity[];
  /** OAuth accounts; default {@link WORLD_ACCOUNTS}. */
  accounts?: OAuthAccount[];
  /** Registry service name (`aud` of tokens); default `gcr.io`. */
  service?: string;
}

/** The plan a world is built from. */
export interface WorldPlan {
  hosts: WorldHost[];
  resolver: 'node' | 'dnsmasq';
  registry: 'docker-registry' | 'front';
  registryAddress: string;
  realm: string;
  service: string;
  /** Every loopback address to add to `lo`. */
  addresses: string[];
  /** The peer-host config without files, secrets and sockets. */
  peers: Pick<PeerHostConfig, 'dns' | 'proxies' | 'fronts'> & {
    token: { listen: { host: string; port: number }; issuer: string; service: string };
    oauth: { listen: { host: string; port: number } };
  };
}

const REGISTRY_NAMES = [
  'gcr.io',
  'us.gcr.io',
  'eu.gcr.io',
  'asia.gcr.io',
  'us-docker.pkg.dev',
  'europe-docker.pkg.dev',
  'asia-docker.pkg.dev',
  'europe-west1-docker.pkg.dev',
];

/** gcrwatch's default targets plus europe-west1-docker.pkg.dev, the token realm host and OAuth. */
export const DEFAULT_WORLD_HOSTS: readonly WorldHostSpec[] = [
  ...REGISTRY_NAMES.map((name) => ({ name, serve: 'registry' as const })),
  { name: 'auth.gcr.io', serve: 'token' },
  { name: 'oauth2.googleapis.com', serve: 'oauth' },
];

/** Docker credentials the world's token endpoint knows (passwords are canaries for leak tests). */
export const WORLD_CREDENTIALS = {
  pusher: { username: 'oauth2accesstoken', password: 'ya29.sim-pusher-CANARY-7f3a9c' },
  puller: { username: 'oauth2accesstoken', password: 'ya29.sim-puller-CANARY-41d2e8' },
  denied: { username: 'oauth2accesstoken', password: 'ya29.sim-denied-CANARY-b5c071' },
} as const;

/** Default token policies: pusher may push (and cancel uploads), puller only pull, denied gets 403 DENIED. */
export const WORLD_IDENTITIES: TokenIdentity[] = [
  { ...WORLD_CREDENTIALS.pusher, policy: 'push', grantDelete: true, subject: 'pusher@proj.iam.gserviceaccount.com' },
  { ...WORLD_CREDENTIALS.puller, policy: 'pull', subject: 'puller@proj.iam.gserviceaccount.com' },
  { ...WORLD_CREDENTIALS.denied, policy: 'denied', subject: 'denied@proj.iam.gserviceaccount.com' },
];

/** Default OAuth accounts: a user with a refresh token (authorized_user ADC) and a service account. */
export const WORLD_ACCOUNTS: OAuthAccount[] = [
  { email: 'dev@example.com', refreshToken: '1//sim-refresh-CANARY-9e8d7c' },
  { email: 'pusher@proj.iam.gserviceaccount.com', accessTokens: [WORLD_CREDENTIALS.pusher.password] },
  { email: 'puller@proj.iam.gserviceaccount.com', accessTokens: [WORLD_CREDENTIALS.puller.password] },
  { email: 'denied@proj.iam.gserviceaccount.com', accessTokens: [WORLD_CREDENTIALS.denied.password] },
];

/** Lays out a world: addresses, peers and the realm. Throws on an unusable host list. */
export function planWorld(options: WorldOptions = {}): WorldPlan {
  const specs = options.hosts ?? DEFAULT_WORLD_HOSTS;
  if (specs.length > 250) throw new Error('a world has at most 250 hosts');
  const tokenHost = specs.find((spec) => spec.serve === 'token');
  if (!tokenHost) throw new Error('a world needs a host with serve: "token" (the realm)');
  const hosts = specs.map((spec, index) => ({ ...spec, address: `127.0.1.${index + 1}` }));
  const service = options.service ?? 'gcr.io';
  const realm = `https://${tokenHost.name}/v2/token`;
  const registryAddress = '127.0.2.1';
  const token = { host: '127.0.4.1', port: 443 };
  const oauth = { host: '127.0.4.2', port: 443 };
  const registry = options.registry ?? 'docker-registry';
  const fronts = hosts
    .map((host, index) => ({ host, front: { host: `127.0.3.${index + 1}`, port: 443 } }))
    .filter(({ host }) => host.serve === 'front')
    .map(({ host, front }) => ({ name: host.name, listen: front, realm, service }));
  if (registry === 'front')
    fronts.push({ name: 'registry', listen: { host: registryAddress, port: 443 }, realm, service });
  const upstreamOf = (host: WorldHost, index: number) =>
    host.serve === 'registry'
      ? { host: registryAddress, port: 443 }
      : host.serve === 'front'
        ? { host: `127.0.3.${index + 1}`, port: 443 }
        : host.serve === 'token'
          ? token
          : oauth;
  const names: Record<string, DnsBehaviour> = Object.fromEntries(
    hosts.map((host) => [host.name, { kind: 'answer', a: [host.address] }]),
  );
  return {
    hosts,
    resolver: options.resolver ?? 'node',
    registry,
    registryAddress,
    realm,
    service,
    addresses: [
      ...new Set([
        '127.0.0.53',
        ...hosts.map((host) => host.address),
        registryAddress,
        token.host,
        oauth.host,
        ...fronts.map((f) => f.listen.host),
      ]),
    ],
    peers: {
      dns: (options.resolver ?? 'node') === 'node' ? { host: '127.0.0.53', port: 53, names } : undefined,
      proxies: hosts.map((host, index) => ({
        name: host.name,
        listen: { host: host.address, port: 443 },
        upstream: upstreamOf(host, index),
      })),
      fronts,
      token: { listen: token, issuer: 'gcrwatch-sim', service },
      oauth: { listen: oauth },
    },
  };
}

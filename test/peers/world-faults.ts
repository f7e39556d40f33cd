/**
 * The fault matrix of issue 9 as data: every fault the simulated world can inflict on one of
 * gcrwatch's default targets (DNS, TCP, TLS, HTTP) or on its credential checks, how to switch
 * it on and off, and what gcrwatch must call it. Shared by the end-to-end matrix
 * (test/e2e/fault-matrix.test.ts) and the soak (bench/soak.mjs), so both inflict the same
 * faults and expect the same codes.
 *
 * The world needs registry fronts on the pkg.dev hosts (their answers and TLS are switchable):
 * create it with `hosts: FAULT_WORLD_HOSTS`. Certificates for the TLS faults are made once
 * by {@link prepareFaults}; the intercepting CA's certificate is written to a file that
 * gcrwatch must be given with `--ca-file` (a CA trusted locally, as a corporate proxy's is).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Category, ErrorCode } from '../../src/core/errors.js';
import type {
  CertificatePair,
  DnsBehaviour,
  FaultSettings,
  FrontMode,
  HttpTransport,
  ServiceFault,
  TestLeaf,
} from '../../src/sim/index.js';
import { createCa, daysFromNow, issueLeaf } from '../../src/sim/index.js';
import type { World } from './world.js';
import { DEFAULT_WORLD_HOSTS, type WorldHostSpec } from './world-plan.js';

/** Hosts whose answers, certificates and transports a fault may change: registry fronts. */
export const FRONT_HOSTS = ['us-docker.pkg.dev', 'europe-docker.pkg.dev', 'asia-docker.pkg.dev'] as const;

/** The default world, with the pkg.dev hosts served by registry fronts instead of docker-registry. */
export const FAULT_WORLD_HOSTS: WorldHostSpec[] = DEFAULT_WORLD_HOSTS.map((spec) =>
  (FRONT_HOSTS as readonly string[]).includes(spec.name) ? { ...spec, serve: 'front' } : spec,
);

/** Which stream shows the fault: a target's probe rounds, or the credential checks of one view. */
export type FaultWitness =
  { kind: 'probe'; target: string } | { kind: 'auth'; view: 'docker' | 'registry'; host: string };

/** One fault of the matrix. */
export interface WorldFault {
  /** Short name, e.g. `dns servfail eu.gcr.io`. */
  name: string;
  layer: 'dns' | 'tcp' | 'tls' | 'http' | 'credentials';
  witness: FaultWitness;
  /**
   * The codes gcrwatch may give it, the right one first. Several only where the wire itself is
   * ambiguous (a reset right after accept may land before or inside the TLS handshake).
   * Empty: the round must succeed (a fault that is only a warning, or only slow).
   */
  codes: ErrorCode[];
  category?: Category;
  /** Longest time from `on()` to the first round or check showing it (ms), beyond one timeout. */
  settleMs?: number;
  on(): Promise<void>;
  off(): Promise<void>;
}

/** Certificates made once for the TLS faults. */
export interface FaultPki {
  expired: CertificatePair;
  notYetValid: CertificatePair;
  wrongHost: CertificatePair;
  untrusted: CertificatePair;
  intercepted: CertificatePair;
  /** The intercepting CA's certificate file: pass it to gcrwatch with `--ca-file`. */
  interceptCaFile: string;
  /** The world's own leaf, to restore. */
  genuine: CertificatePair;
}

/** Switches a credential helper between behaving and the helper faults (see `installSwitchableHelper`). */
export interface HelperSwitch {
  set(mode: 'ok' | 'hang' | 'flood'): Promise<void>;
}

/** What {@link installFaultHelper} needs of test/support/credential-helpers.ts's HelperBin. */
export interface HelperInstaller {
  installSwitchable(name: string, username: string, secret: string): HelperSwitch;
  writeDockerConfig(config: unknown): string;
}

/** The token docker's helper hands out for gcr.io in the matrix and the soak (a canary). */
export const FAULT_HELPER_TOKEN = 'ya29.fault-helper-CANARY-5d1e';

/**
 * Configure docker's credential for gcr.io as a gcloud helper whose behaviour can be switched
 * (the helper faults), with a token the world's registry and tokeninfo know. A gcloud token,
 * not an access token pasted at login, which gcrwatch would always warn about.
 */
export async function installFaultHelper(world: World, bin: HelperInstaller): Promise<HelperSwitch> {
  const subject = 'matrix@proj.iam.gserviceaccount.com';
  await world.tokens.setIdentity({ password: FAULT_HELPER_TOKEN, policy: 'push', grantDelete: true, subject });
  await world.oauth.setAccount({ email: subject, accessTokens: [FAULT_HELPER_TOKEN] });
  const helper = bin.installSwitchable('matrix', '_dcgcloud_token', FAULT_HELPER_TOKEN);
  bin.writeDockerConfig({ credHelpers: { 'gcr.io': 'matrix' } });
  return helper;
}

const pair = (leaf: TestLeaf): CertificatePair => ({ cert: leaf.chainPem, key: leaf.keyPem });

/** Make the certificates of the TLS faults; the intercepting CA goes to `dir/intercept-ca.pem`. */
export async function prepareFaultPki(world: World, dir: string): Promise<FaultPki> {
  const sans = [...world.leaf.sans];
  const corp = await createCa({ organization: 'Corp Proxy CA', commonName: 'Corp TLS Inspection' });
  const interceptCaFile = join(dir, 'intercept-ca.pem');
  await writeFile(interceptCaFile, corp.certPem);
  return {
    expired: pair(await issueLeaf(world.ca, { sans, notBefore: daysFromNow(-60), notAfter: daysFromNow(-2) })),
    notYetValid: pair(await issueLeaf(world.ca, { sans, notBefore: daysFromNow(3), notAfter: daysFromNow(60) })),
    wrongHost: pair(await issueLeaf(world.ca, { sans: ['registry.example.org'] })),
    untrusted: pair(await issueLeaf(await createCa({ organization: 'Somebody Else' }), { sans })),
    intercepted: pair(await issueLeaf(corp, { sans, organization: 'Corp' })),
    interceptCaFile,
    genuine: pair(world.leaf),
  };
}

/**
 * Every fault of the matrix against `world` (made with {@link FAULT_WORLD_HOSTS}). `helper`,
 * when given, adds the credential-helper faults (the helper configured for gcr.io).
 */
export function worldFaults(world: World, pki: FaultPki, helper?: HelperSwitch): WorldFault[] {
  const answer = (host: string) => () => world.dns.set(host, { kind: 'answer', a: [world.addressOf(host)] });
  const dns = (name: string, host: string, behaviour: DnsBehaviour, codes: ErrorCode[], settleMs = 0): WorldFault => ({
    name: `dns ${name} ${host}`,
    layer: 'dns',
    witness: { kind: 'probe', target: host },
    codes,
    category: 'network',
    settleMs,
    on: () => world.dns.set(host, behaviour),
    off: answer(host),
  });
  const proxy = (
    name: string,
    host: string,
    faults: FaultSettings,
    codes: ErrorCode[],
    layer: WorldFault['layer'] = 'tcp',
  ): WorldFault => ({
    name: `${layer} ${name} ${host}`,
    layer,
    witness: { kind: 'probe', target: host },
    codes,
    category: 'network',
    on: () => world.proxy(host).set(faults),
    off: () => world.proxy(host).set({}),
  });
  const transport = (name: string, host: string, t: HttpTransport, codes: ErrorCode[]): WorldFault => ({
    name: `tls ${name} ${host}`,
    layer: 'tls',
    witness: { kind: 'probe', target: host },
    codes,
    category: 'network',
    on: () => world.front(host).setTransport(t),
    off: () => world.front(host).setTransport('https'),
  });
  const cert = (name: string, host: string, certificate: CertificatePair, codes: ErrorCode[]): WorldFault => ({
    name: `tls ${name} ${host}`,
    layer: 'tls',
    witness: { kind: 'probe', target: host },
    codes,
    category: 'network',
    on: () => world.front(host).setCertificate(certificate),
    off: () => world.front(host).setCertificate(pki.genuine),
  });
  const http = (name: string, host: string, mode: FrontMode, codes: ErrorCode[], category: Category): WorldFault => ({
    name: `http ${name} ${host}`,
    layer: 'http',
    witness: { kind: 'probe', target: host },
    codes,
    category,
    on: () => world.front(host).setMode(mode),
    off: () => world.front(host).setMode({ kind: 'challenge' }),
  });
  const tokens = (fault: ServiceFault): WorldFault => ({
    name: `credentials token endpoint ${fault}`,
    layer: 'credentials',
    witness: { kind: 'auth', view: 'registry', host: 'gcr.io' },
    codes: ['auth.token_endpoint'],
    category: 'auth',
    settleMs: fault === 'hang' ? 12_000 : 0,
    on: () => world.tokens.setFault(fault),
    off: () => world.tokens.setFault('none'),
  });
  const [us, europe, asia] = FRONT_HOSTS;
  const faults: WorldFault[] = [
    dns('nxdomain', 'asia.gcr.io', { kind: 'nxdomain' }, ['dns.nxdomain']),
    dns('servfail', 'eu.gcr.io', { kind: 'servfail' }, ['dns.servfail']),
    dns('refused', 'us.gcr.io', { kind: 'refused' }, ['dns.refused']),
    dns('silence', 'eu.gcr.io', { kind: 'silence' }, ['dns.timeout'], 4000),
    dns(
      'slow',
      'asia.gcr.io',
      { kind: 'answer', a: [world.addressOf('asia.gcr.io')], delayMs: 9000 },
      ['dns.timeout'],
      4000,
    ),
    // Only an AAAA record, where nothing listens: the round goes to IPv6 and is refused there.
    dns('aaaa-only', 'us.gcr.io', { kind: 'answer', aaaa: ['::1'] }, ['tcp.refused']),
    dns('garbage', 'asia.gcr.io', { kind: 'garbage' }, ['dns.bad_response'], 4000),
    proxy('refused', 'us.gcr.io', { refuse: 'close' }, ['tcp.refused']),
    proxy('reset-on-connect', 'gcr.io', { refuse: 'reset' }, ['tcp.reset', 'tls.reset']),
    proxy('reset-mid-handshake', 'eu.gcr.io', { resetAfterBytes: 100 }, ['tls.reset']),
    {
      name: 'tcp black-hole asia.gcr.io',
      layer: 'tcp',
      witness: { kind: 'probe', target: 'asia.gcr.io' },
      codes: ['tcp.timeout'],
      category: 'network',
      on: () => world.blackhole('asia.gcr.io'),
      off: () => world.blackhole('asia.gcr.io', false),
    },
    proxy('stall', 'us.gcr.io', { stall: true }, ['tls.timeout']),
    proxy('slow-accept', 'gcr.io', { connectDelayMs: 9000 }, ['tls.timeout']),
    cert('expired', us, pki.expired, ['tls.expired']),
    cert('not-yet-valid', europe, pki.notYetValid, ['tls.not_yet_valid']),
    cert('wrong-host', asia, pki.wrongHost, ['tls.hostname_mismatch']),
    cert('untrusted', us, pki.untrusted, ['tls.untrusted']),
    // Trusted through --ca-file, as a corporate proxy's CA is: a warning, the round succeeds.
    cert('intercepted', europe, pki.intercepted, []),
    transport('handshake-stall', asia, 'handshake-stall', ['tls.timeout']),
    transport('plain-http', us, 'http', ['tls.protocol']),
    transport('tls1.0-only', europe, 'tls1.0', ['tls.protocol']),
    http('500', asia, { kind: 'status', status: 500 }, ['http.5xx'], 'registry'),
    http('502', us, { kind: 'status', status: 502 }, ['http.5xx'], 'registry'),
    http('503-retry-after', europe, { kind: 'status', status: 503, retryAfter: 7 }, ['http.5xx'], 'registry'),
    http('429', asia, { kind: 'status', status: 429, retryAfter: 30 }, ['http.429'], 'registry'),
    http('401-no-challenge', us, { kind: 'no-challenge' }, ['http.no_challenge'], 'registry'),
    http('endless-body', europe, { kind: 'endless-body' }, ['http.timeout'], 'network'),
    http('no-headers', asia, { kind: 'no-headers' }, ['http.timeout'], 'network'),
    http('not-a-registry', us, { kind: 'not-registry' }, ['http.not_registry'], 'network'),
    tokens('down'),
    tokens('html'),
    tokens('hang'),
  ];
  if (helper) {
    const helperFault = (mode: 'hang' | 'flood'): WorldFault => ({
      name: `credentials helper ${mode}`,
      layer: 'credentials',
      witness: { kind: 'auth', view: 'docker', host: 'gcr.io' },
      codes: ['auth.helper_failed'],
      category: 'auth',
      settleMs: mode === 'hang' ? 12_000 : 0,
      on: () => helper.set(mode),
      off: () => helper.set('ok'),
    });
    faults.push(helperFault('hang'), helperFault('flood'));
  }
  return faults;
}

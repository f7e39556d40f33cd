/**
 * The simulated world of shared/world.md, for end-to-end tests: a network namespace in which
 * gcr.io, *.gcr.io, *-docker.pkg.dev and oauth2.googleapis.com resolve (through a resolver on
 * 127.0.0.53) to loopback addresses of their own, each behind a fault proxy, in front of the real
 * docker-registry 2.8 with token auth, a token endpoint and an OAuth endpoint; optionally a real
 * dockerd. Programs run inside with `world.run()`, trusting the world's CA via NODE_EXTRA_CA_CERTS.
 * Layout and credentials: world-plan.ts.
 *
 *     describeWithPrereqs('push', [...WORLD_PREREQS, 'dockerd', 'docker'], () => {
 *       let world: World;
 *       beforeAll(async () => { world = await createWorld({ docker: true }); }, 120_000);
 *       afterAll(() => world?.close());
 *       it('retries', async () => {
 *         await world.docker!.importImage('gcr.io/proj/app:v1', 50 << 20);
 *         await world.docker!.login(WORLD_CREDENTIALS.pusher);
 *         await world.proxy('gcr.io').set({ resetLarge: { bytes: 1 << 20, count: 2 } });
 *         const run = await world.run('node', ['bin/gcrwatch', '--', 'docker', 'push', 'gcr.io/proj/app:v1'],
 *           { env: world.docker!.vars });
 *         const { resets } = await world.proxy('gcr.io').stats();
 *       });
 *     });
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { DnsServer, FaultProxy, OAuthServer, RegistryFront, TokenServer } from '../../src/sim/index.js';
import {
  createCa,
  createTokenSigner,
  GOOGLE_SANS,
  GOOGLE_TRUST_SERVICES,
  issueLeaf,
  writePkiFiles,
} from '../../src/sim/index.js';
import type { TestCa, TestLeaf } from '../../src/sim/index.js';
import { compilePeerHost } from './compile.js';
import { ControlClient, type Remote } from './control.js';
import { DockerEngine } from './docker-engine.js';
import { writeRegistryConfig } from './docker-registry.js';
import {
  createNamespace,
  deleteNamespace,
  inNamespace,
  newNamespaceName,
  sweepStaleWorlds,
  writeNamespaceEtc,
} from './netns.js';
import type { PeerHostConfig } from './peer-host.js';
import { ProcessGroup, runCommand, type RunOptions, type RunResult } from './processes.js';
import {
  planWorld,
  WORLD_ACCOUNTS,
  WORLD_IDENTITIES,
  type WorldHost,
  type WorldOptions,
  type WorldPlan,
} from './world-plan.js';

export { DEFAULT_WORLD_HOSTS, WORLD_ACCOUNTS, WORLD_CREDENTIALS, WORLD_IDENTITIES } from './world-plan.js';
export type { WorldHost, WorldHostSpec, WorldOptions } from './world-plan.js';

/** Prerequisites of {@link createWorld} (pass to describeWithPrereqs); add `dockerd`, `docker` for `docker: true`. */
export const WORLD_PREREQS = ['root', 'netns', 'ip', 'nsenter', 'unshare', 'docker-registry'] as const;

/** A running world. Always `close()` it (in `finally` or `afterAll`). */
export class World {
  /** Running dockerd, when created with `docker: true` or after {@link World.startDocker}. */
  docker: DockerEngine | undefined;
  private control: ControlClient | undefined;
  private closing: Promise<void> | undefined;
  private readonly processes = new ProcessGroup();

  /** @internal use {@link createWorld}. */
  constructor(
    /** The namespace name (`gcwsim-<pid>-<n>`). */
    readonly name: string,
    /** The world's temp folder (PKI, configs, logs, data). */
    readonly dir: string,
    readonly plan: WorldPlan,
    readonly ca: TestCa,
    readonly leaf: TestLeaf,
  ) {}

  /** The CA every world server's certificate chains to (NODE_EXTRA_CA_CERTS, curl --cacert). */
  get caFile(): string {
    return join(this.dir, 'pki', 'ca.crt');
  }

  /** The hosts of the world with their addresses. */
  get hosts(): readonly WorldHost[] {
    return this.plan.hosts;
  }

  /** The registry's token realm, e.g. `https://auth.gcr.io/v2/token`. */
  get realm(): string {
    return this.plan.realm;
  }

  /** The loopback address a host name resolves to in the world. */
  addressOf(name: string): string {
    const host = this.plan.hosts.find((candidate) => candidate.name === name);
    if (!host) throw new Error(`no host ${name} in this world`);
    return host.address;
  }

  /** Environment for programs in the world: the caller's, minus proxies, plus NODE_EXTRA_CA_CERTS. */
  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_EXTRA_CA_CERTS: this.caFile };
    for (const key of Object.keys(env)) if (/^(https?|all|no)_proxy$/i.test(key)) delete env[key];
    return { ...env, ...extra };
  }

  /** Runs a command inside the namespace to completion (never rejects on a non-zero exit). */
  run(command: string, args: readonly string[] = [], options: RunOptions = {}): Promise<RunResult> {
    const [cmd, argv] = inNamespace(this.name, command, args);
    return runCommand(cmd, argv, { ...options, env: this.env(options.env) });
  }

  /** Starts a command inside the namespace (stdio piped); it is stopped by pid at `close()`. */
  spawn(
    command: string,
    args: readonly string[] = [],
    options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
  ): ChildProcess {
    const [cmd, argv] = inNamespace(this.name, command, args);
    return this.processes.start(cmd, argv, { env: this.env(options.env), cwd: options.cwd });
  }

  /** The fault proxy in front of a host (every host has one, on the host's address, port 443). */
  proxy(name: string): Remote<FaultProxy> {
    this.addressOf(name);
    return this.remote<FaultProxy>(`proxy:${name}`);
  }

  /**
   * The registry front of a host planned with `serve: 'front'`, or with name `registry` the shared
   * front that stands in for docker-registry in a world made with `registry: 'front'`.
   */
  front(name: string): Remote<RegistryFront> {
    if (!this.plan.peers.fronts.some((front) => front.name === name)) throw new Error(`${name} has no registry front`);
    return this.remote<RegistryFront>(`front:${name}`);
  }

  /**
   * Black-holes a host (or stops): packets to its address:443 are dropped by an iptables rule
   * inside the namespace, so SYNs go unanswered and connects time out; open connections freeze.
   * Needs `iptables` (iptables-nft is fine).
   */
  async blackhole(name: string, on = true): Promise<void> {
    const rule = ['INPUT', '-d', this.addressOf(name), '-p', 'tcp', '--dport', '443', '-j', 'DROP'];
    const present = (await this.run('iptables', ['-C', ...rule])).code === 0;
    if (on === present) return;
    const result = await this.run('iptables', [on ? '-I' : '-D', ...rule]);
    if (result.code !== 0) throw new Error(`iptables failed: ${result.stderr.trim()}`);
  }

  /** The world's DNS server (only with `resolver: 'node'`, the default). */
  get dns(): Remote<DnsServer> {
    if (this.plan.resolver !== 'node') throw new Error('world.dns needs resolver: "node"');
    return this.remote<DnsServer>('dns');
  }

  /** The registry token endpoint (the realm). */
  get tokens(): Remote<TokenServer> {
    return this.remote<TokenServer>('token');
  }

  /** The OAuth endpoint at oauth2.googleapis.com. */
  get oauth(): Remote<OAuthServer> {
    return this.remote<OAuthServer>('oauth');
  }

  /** Starts dockerd in the world (once) and returns it. */
  async startDocker(): Promise<DockerEngine> {
    this.docker ??= await DockerEngine.start({
      namespace: this.name,
      dir: join(this.dir, 'docker'),
      resolvConf: join(this.dir, 'resolv.conf'),
      caPem: this.ca.certPem,
      hosts: this.plan.hosts.map((host) => host.name),
      processes: this.processes,
    });
    return this.docker;
  }

  /**
   * Stops every process the world started (by pid), deletes the namespace and /etc/netns/<name>,
   * and removes the temp folder. Idempotent; safe after a failed `createWorld` step.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.docker?.stop().catch(() => undefined);
      this.control?.close();
      await this.processes.stopAll();
      await deleteNamespace(this.name);
      await rm(this.dir, { recursive: true, force: true, maxRetries: 3 });
    })();
    return this.closing;
  }

  /** @internal starts resolver, peers and registry; called by {@link createWorld}. */
  async boot(options: WorldOptions): Promise<void> {
    const { plan, dir } = this;
    const pki = await writePkiFiles(join(dir, 'pki'), this.leaf, 'server');
    const signer = await createTokenSigner();
    const resolvConf = 'nameserver 127.0.0.53\noptions timeout:2 attempts:2\n';
    await writeFile(join(dir, 'resolv.conf'), resolvConf);
    await createNamespace(this.name, plan.addresses);
    await writeNamespaceEtc(this.name, { 'resolv.conf': resolvConf });

    const config: PeerHostConfig = {
      ...plan.peers,
      controlSocket: join(dir, 'control.sock'),
      chainFile: pki.chainFile,
      keyFile: pki.keyFile,
      caFile: pki.caFile,
      token: { ...plan.peers.token, signer, identities: options.identities ?? WORLD_IDENTITIES },
      oauth: { ...plan.peers.oauth, accounts: options.accounts ?? WORLD_ACCOUNTS },
    };
    await writeFile(join(dir, 'peer-host.json'), JSON.stringify(config));
    const script = await compilePeerHost(join(dir, 'js'));
    const host = this.spawn(process.execPath, [script, join(dir, 'peer-host.json')]);
    await waitForLine(host, 'READY', 20_000);
    this.control = await ControlClient.connect(config.controlSocket);

    if (plan.resolver === 'dnsmasq') {
      const args = [
        '--keep-in-foreground',
        '--no-resolv',
        '--no-hosts',
        '--bind-interfaces',
        '--listen-address=127.0.0.53',
        '--user=root',
      ];
      for (const entry of plan.hosts) args.push(`--address=/${entry.name}/${entry.address}`);
      this.processes.start(...inNamespace(this.name, 'dnsmasq', [...args, '--log-facility=-']), {
        logFile: join(dir, 'dnsmasq.log'),
      });
      await this.remote<{ waitTcp(h: string, p: number): number }>('host').waitTcp('127.0.0.53', 53);
    }
    if (plan.registry === 'docker-registry') {
      const reg = await writeRegistryConfig({
        dir: join(dir, 'registry'),
        listen: `${plan.registryAddress}:443`,
        chainFile: pki.chainFile,
        keyFile: pki.keyFile,
        realm: plan.realm,
        service: plan.service,
        issuer: 'gcrwatch-sim',
        signerCertPem: signer.certPem,
      });
      this.processes.start(...inNamespace(this.name, 'docker-registry', ['serve', reg]), {
        logFile: join(dir, 'registry', 'registry.log'),
      });
      await this.remote<{ waitTcp(h: string, p: number): number }>('host').waitTcp(plan.registryAddress, 443);
    }
    if (options.docker) await this.startDocker();
  }

  private remote<T>(target: string): Remote<T> {
    if (!this.control) throw new Error('world is not running');
    return this.control.remote<T>(target);
  }
}

/**
 * Builds a world. On any failure it tears down what it had made, then throws.
 * Also deletes namespaces and folders left behind by test processes that died.
 */
export async function createWorld(options: WorldOptions = {}): Promise<World> {
  await sweepStaleWorlds(tmpdir());
  const plan = planWorld(options);
  const ca = await createCa({ commonName: 'WR2', organization: GOOGLE_TRUST_SERVICES });
  const sans = [...new Set([...GOOGLE_SANS, ...plan.hosts.map((host) => host.name)])];
  const leaf = await issueLeaf(ca, { sans });
  const name = newNamespaceName();
  const world = new World(name, await mkdtemp(join(tmpdir(), `${name}-`)), plan, ca, leaf);
  try {
    await world.boot(options);
    return world;
  } catch (error) {
    await world.close();
    throw error;
  }
}

function waitForLine(child: ChildProcess, wanted: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no ${wanted} within ${timeoutMs} ms: ${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.split('\n').includes(wanted)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void once(child, 'exit').then(() => {
      clearTimeout(timer);
      reject(new Error(`peer host exited: ${output}`));
    });
  });
}

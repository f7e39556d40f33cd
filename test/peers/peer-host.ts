/**
 * The process that runs the simulated peers *inside* a world's network namespace
 * (`ip netns exec W node peer-host.js config.json`). It starts what the config lists, serves the
 * control socket, prints `READY` on stdout, and closes everything on SIGTERM. No test framework
 * here: the world harness transpiles this file and src/sim/ and runs them with plain node.
 */
import { readFileSync } from 'node:fs';
import { connect, type Server } from 'node:net';
import {
  startDnsServer,
  startFaultProxy,
  startOAuthServer,
  startRegistryFront,
  startTokenServer,
  type DnsBehaviour,
  type OAuthAccount,
  type PeerAddress,
  type TokenIdentity,
  type TokenSigner,
} from '../../src/sim/index.js';
import { serveControl } from './control.js';

/** What the peer host starts. Addresses are inside the namespace. */
export interface PeerHostConfig {
  controlSocket: string;
  /** TLS chain (leaf + CA) and key files for every HTTPS peer. */
  chainFile: string;
  keyFile: string;
  /** The world's CA: what the proxies trust upstream when they end TLS for HTTP faults. */
  caFile?: string;
  dns?: { host: string; port: number; names: Record<string, DnsBehaviour> };
  proxies: Array<{ name: string; listen: PeerAddress; upstream: PeerAddress }>;
  fronts: Array<{ name: string; listen: PeerAddress; realm: string; service: string }>;
  token?: { listen: PeerAddress; issuer: string; service: string; signer: TokenSigner; identities: TokenIdentity[] };
  oauth?: { listen: PeerAddress; accounts: OAuthAccount[] };
}

type Closable = { close(): Promise<void> };

async function main(): Promise<void> {
  const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as PeerHostConfig;
  const tls = { cert: readFileSync(config.chainFile, 'utf8'), key: readFileSync(config.keyFile, 'utf8') };
  const targets = new Map<string, object>();
  const peers: Closable[] = [];
  const add = <T extends Closable>(name: string, peer: T): T => {
    targets.set(name, peer);
    peers.push(peer);
    return peer;
  };
  let control: Server | undefined;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    for (const peer of peers.reverse()) await peer.close().catch(() => undefined);
    control?.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  // The harness holds our stdin open: if the test process dies, stdin ends and we stop too.
  process.stdin.on('end', () => void stop());
  process.stdin.on('error', () => void stop());
  process.stdin.resume();

  if (config.dns) add('dns', await startDnsServer({ ...config.dns, names: config.dns.names }));
  for (const front of config.fronts) {
    add(
      `front:${front.name}`,
      await startRegistryFront({ ...front.listen, tls, realm: front.realm, service: front.service }),
    );
  }
  if (config.token) add('token', await startTokenServer({ ...config.token.listen, ...config.token, tls }));
  if (config.oauth)
    add('oauth', await startOAuthServer({ ...config.oauth.listen, accounts: config.oauth.accounts, tls }));
  for (const proxy of config.proxies) {
    const proxyTls = { ...tls, ...(config.caFile ? { ca: readFileSync(config.caFile, 'utf8') } : {}) };
    add(`proxy:${proxy.name}`, await startFaultProxy({ ...proxy.listen, upstream: proxy.upstream, tls: proxyTls }));
  }
  targets.set('host', { waitTcp, shutdown: () => setImmediate(() => void stop()), pid: process.pid });
  control = await serveControl(config.controlSocket, targets);
  process.stdout.write('READY\n');
}

/** Resolves once host:port accepts a TCP connection (inside this namespace), or throws at the deadline. */
async function waitTcp(host: string, port: number, timeoutMs = 10_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, host);
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`nothing accepts on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`peer host failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

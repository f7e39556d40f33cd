/**
 * The demo world: simulated registries on 127.0.0.1, started inside the gcrwatch process.
 * Per host a registry front (HTTPS, `/v2/` answering the Bearer challenge) behind its own
 * fault proxy, a DNS server answering every demo name with 127.0.0.1, a token endpoint,
 * and a CA made at start that signs all their certificates and that only the demo's probes
 * trust. No root, no network, nothing outside loopback.
 */
import tls from 'node:tls';
import { randomBytes } from 'node:crypto';
// Each part from its own module: sim/index.js would load the test-only parts too, which the package leaves out.
import { startDnsServer, type DnsServer } from '../sim/dns-server.js';
import { startFaultProxy, type FaultProxy } from '../sim/fault-proxy.js';
import { createCa, GOOGLE_TRUST_SERVICES, issueLeaf } from '../sim/pki.js';
import { startRegistryFront, type RegistryFront } from '../sim/registry-front.js';
import { startTokenServer, type TokenServer } from '../sim/token-server.js';
import { makeTarget, type Target } from '../core/targets.js';
import { registerSecret } from '../core/log/redact.js';
import { DEMO_HOSTS, DEMO_PUSH_HOST } from './script.js';

/** One simulated registry host. */
export interface DemoHost {
  name: string;
  front: RegistryFront;
  proxy: FaultProxy;
  target: Target;
}

/** The running world. */
export interface DemoWorld {
  hosts: DemoHost[];
  dns: DnsServer;
  token: TokenServer;
  /** The demo CA, the only one the demo's clients trust. */
  caPem: string;
  secureContext: tls.SecureContext;
  targets: Target[];
  /** The demo pusher's credential (registered as a secret: it never reaches the log). */
  credential: { username: string; password: string };
  close(): Promise<void>;
}

/** Token lifetime in the demo: short, so a refresh shows within a cycle. */
export const DEMO_TOKEN_SECONDS = 45;

/** Start the world; on failure, whatever had started is closed again. */
export async function startDemoWorld(): Promise<DemoWorld> {
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    // Issued by "Google Trust Services" so that the interception check sees a genuine-looking chain.
    const ca = await createCa({ commonName: 'gcrwatch DEMO CA', organization: GOOGLE_TRUST_SERVICES });
    const leaf = await issueLeaf(ca, { organization: 'Google LLC' });
    const pair = { cert: leaf.chainPem, key: leaf.keyPem };
    const credential = { username: 'oauth2accesstoken', password: `demo-${randomBytes(12).toString('hex')}` };
    registerSecret(credential.password);
    const token = await startTokenServer({
      tls: pair,
      expiresIn: DEMO_TOKEN_SECONDS,
      identities: [{ ...credential, policy: 'push', subject: 'demo-pusher@demo.iam.gserviceaccount.com' }],
    });
    closers.push(() => token.close());
    const dns = await startDnsServer({
      names: Object.fromEntries(DEMO_HOSTS.map((h) => [h, { kind: 'answer', a: ['127.0.0.1'] }])),
    });
    closers.push(() => dns.close());
    const hosts: DemoHost[] = [];
    for (const name of DEMO_HOSTS) {
      const front = await startRegistryFront({ tls: pair, realm: token.realm, service: name });
      closers.push(() => front.close());
      const proxy = await startFaultProxy({ upstream: front.address });
      closers.push(() => proxy.close());
      const target = {
        ...makeTarget(name, proxy.address.port, 'default'),
        ...(name === DEMO_PUSH_HOST ? { pushTarget: true } : {}),
      };
      hosts.push({ name, front, proxy, target });
    }
    return {
      hosts,
      dns,
      token,
      caPem: ca.certPem,
      credential,
      secureContext: tls.createSecureContext({ ca: [ca.certPem] }),
      targets: hosts.map((h) => h.target),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * A registry of the simulated peers on loopback for in-process credential tests: a test CA,
 * a token endpoint and a registry front on 127.0.0.1 (HTTPS, port 0), and a session running
 * only the credential checks against them, with the real plain and JSON outputs and a log.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { JsonOutput } from '../../src/cli/outputs/json.js';
import { PlainOutput } from '../../src/cli/outputs/plain.js';
import { AuthMonitor, type AuthMonitorOptions } from '../../src/core/auth/auth-monitor.js';
import type { AuthEvent, SessionEvent } from '../../src/core/events.js';
import { Session } from '../../src/core/session.js';
import { imagePushTarget } from '../../src/core/image-ref.js';
import { makeTarget } from '../../src/core/targets.js';
import {
  createCa,
  issueLeaf,
  startRegistryFront,
  startTokenServer,
  type RegistryFront,
  type TokenIdentity,
  type TokenServer,
} from '../../src/sim/index.js';

/** The loopback registry. Close it after the test. */
export interface LoopbackRegistry {
  tokens: TokenServer;
  front: RegistryFront;
  caPem: string;
  secureContext: tls.SecureContext;
  /** `127.0.0.1:PORT`, the registry's docker host name. */
  host: string;
  port: number;
  close(): Promise<void>;
}

/** Start a token endpoint and a registry front that trust each other, on loopback. */
export async function startLoopbackRegistry(identities: TokenIdentity[]): Promise<LoopbackRegistry> {
  const ca = await createCa();
  const leaf = await issueLeaf(ca, { sans: ['127.0.0.1'] });
  const pair = { cert: leaf.chainPem, key: leaf.keyPem };
  const tokens = await startTokenServer({ tls: pair, identities });
  const front = await startRegistryFront({ tls: pair, realm: tokens.realm, service: 'gcr.io' });
  const port = front.address.port;
  return {
    tokens,
    front,
    caPem: ca.certPem,
    port,
    host: `127.0.0.1:${port}`,
    secureContext: tls.createSecureContext({ ca: [...tls.rootCertificates, ca.certPem] }),
    close: async () => {
      await front.close();
      await tokens.close();
    },
  };
}

/** What a session of credential checks produced. */
export interface CheckSession {
  session: Session;
  plain: string[];
  json: string[];
  auth: AuthEvent[];
  events: SessionEvent[];
  logFile: string;
  /** Everything written anywhere, as one text. */
  allText(): string;
}

/**
 * A session probing `registry` and running the credential checks with `options` (the
 * registry's trust, push target and user agent are filled in).
 */
export function checkSession(
  registry: LoopbackRegistry,
  dir: string,
  options: Partial<AuthMonitorOptions> & Pick<AuthMonitorOptions, 'env'>,
): CheckSession {
  const logFile = path.join(dir, 'session.ndjson');
  const session = new Session({
    version: 'test',
    mode: 'plain',
    intervalMs: 60_000,
    logPath: logFile,
    recordedOptions: {},
    targets: [{ ...makeTarget('127.0.0.1', registry.port, 'repo'), pushTarget: true }],
    probe: {
      timeoutMs: 2000,
      pins: new Map(),
      dnsServers: [],
      userAgent: 'gcrwatch-test',
      secureContext: registry.secureContext,
    },
    sources: [
      new AuthMonitor({
        intervalMs: 60_000,
        pushCheck: true,
        requestTimeoutMs: 3000,
        userAgent: 'gcrwatch-test',
        secureContext: registry.secureContext,
        repo: imagePushTarget({ endpoint: `127.0.0.1:${registry.port}`, repository: 'proj/app' }),
        ...options,
      }),
    ],
  });
  const out: CheckSession = {
    session,
    plain: [],
    json: [],
    auth: [],
    events: [],
    logFile,
    allText: () => [...out.plain, ...out.json, readFileSync(logFile, 'utf8')].join('\n'),
  };
  session.attach(new PlainOutput({ line: (l) => out.plain.push(l) }));
  session.attach(new JsonOutput({ line: (l) => out.json.push(l) }));
  session.attach({
    name: 'collect',
    onEvent: (e) => {
      out.events.push(e);
      if (e.type === 'auth') out.auth.push(e);
    },
  });
  return out;
}

/** Poll until `condition` holds (real time: the peers are real servers). */
export async function waitFor(condition: () => boolean, timeoutMs: number, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Every phase of a round can be cancelled: each one, stalled by its peer (a resolver that never
 * answers, as the system's and as a --dns-server; a SYN dropped; a proxy and a server that
 * never speak; a registry that never answers), is aborted mid-way by the deadline and by a
 * stop. It must end at once with its own code, and leave no socket, query or timer behind.
 * The phases run in a network namespace of their own (its resolver, its firewall rule), in a
 * child process using the built code (`npm run build`).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createNamespace,
  deleteNamespace,
  inNamespace,
  newNamespaceName,
  writeNamespaceEtc,
} from '../../peers/netns.js';
import { describeWithPrereqs } from '../../peers/prereqs.js';
import { mustRun } from '../../peers/processes.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const CHILD = join(ROOT, 'test', 'support', 'phase-cancel-child.mjs');

interface Ended {
  phase: string;
  kind: 'deadline' | 'stop';
  settledEarly: boolean;
  ok: boolean;
  code?: string;
  errorPhase?: string;
  ms: number;
  abortMs: number;
  leftOver: string[];
}

const EXPECTED: Record<string, { timeout: string; phase: string }> = {
  'dns (system)': { timeout: 'dns.timeout', phase: 'dns' },
  'dns (--dns-server)': { timeout: 'dns.timeout', phase: 'dns' },
  connect: { timeout: 'tcp.timeout', phase: 'connect' },
  proxy: { timeout: 'proxy.timeout', phase: 'proxy' },
  tls: { timeout: 'tls.timeout', phase: 'tls' },
  http: { timeout: 'http.timeout', phase: 'http' },
};

describeWithPrereqs('cancelling each phase mid-way', ['root', 'netns', 'ip', 'iptables'], () => {
  const ns = newNamespaceName();
  let ended: Ended[] = [];

  beforeAll(async () => {
    await createNamespace(ns, []);
    // getaddrinfo gives up after one second instead of ten, so the child can exit soon after.
    await writeNamespaceEtc(ns, { 'resolv.conf': 'nameserver 127.0.0.53\noptions timeout:1 attempts:1\n' });
    const drop = ['INPUT', '-d', '127.0.0.2', '-p', 'tcp', '--dport', '443', '-j', 'DROP'];
    await mustRun(...inNamespace(ns, 'iptables', ['-I', ...drop]));
    const [command, args] = inNamespace(ns, process.execPath, [CHILD, ROOT]);
    ended = JSON.parse(await mustRun(command, args)) as Ended[];
  }, 60_000);
  afterAll(() => deleteNamespace(ns));

  it('ran every phase twice, each still waiting on its peer when aborted', () => {
    expect(ended.map((e) => `${e.phase}/${e.kind}`)).toEqual(
      Object.keys(EXPECTED).flatMap((p) => [`${p}/deadline`, `${p}/stop`]),
    );
    for (const e of ended) {
      expect(e.settledEarly, `${e.phase} ended before the abort`).toBe(false);
      expect(e.ms, `${e.phase} measured up to the abort`).toBeGreaterThanOrEqual(100);
    }
  });

  it.each(Object.entries(EXPECTED))('%s: the deadline ends it with %o, at once, leaving nothing', (phase, want) => {
    const e = ended.find((x) => x.phase === phase && x.kind === 'deadline')!;
    expect(e).toMatchObject({ ok: false, code: want.timeout, errorPhase: want.phase, leftOver: [] });
    expect(e.abortMs).toBeLessThan(50);
  });

  it.each(Object.entries(EXPECTED))('%s: a stop ends it as local.aborted, at once, leaving nothing', (phase, want) => {
    const e = ended.find((x) => x.phase === phase && x.kind === 'stop')!;
    expect(e).toMatchObject({ ok: false, code: 'local.aborted', errorPhase: want.phase, leftOver: [] });
    expect(e.abortMs).toBeLessThan(50);
  });
});

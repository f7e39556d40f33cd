/**
 * Network namespaces for the mDNS tests, on the world harness's helpers (`test/peers/netns.ts`:
 * `gcwsim-<pid>-<n>` names, swept when a test process dies, every process killed on delete):
 * one whose loopback carries multicast, or two joined by a veth pair (a real link, as a LAN is).
 * Programs started inside are remembered so `destroy()` stops them first.
 */
import { createNamespace, deleteNamespace, newNamespaceName } from '../peers/netns.js';
import { mustRun } from '../peers/processes.js';
import { startProgram, type Running } from './long-running.js';

/** A namespace and what runs in it. */
export interface Netns {
  name: string;
  /** Run `command args` in the namespace, left running until stopped or `destroy()`. */
  start(command: string, args: string[], env?: NodeJS.ProcessEnv): Running;
  destroy(): Promise<void>;
}

/** Create a namespace whose loopback carries multicast (224.0.0.0/4). */
export async function createMulticastNetns(): Promise<Netns> {
  return namespaceWith('link set lo multicast on\nroute add 224.0.0.0/4 dev lo\n');
}

/** Two namespaces joined by a veth pair with multicast: `a` has 10.213.1.1/24, `b` 10.213.1.2/24. */
export interface VethPair {
  a: Netns;
  b: Netns;
  addressA: string;
  addressB: string;
  destroy(): Promise<void>;
}

/**
 * Create the pair: the link is made inside `a` with its peer put straight into `b`, so no
 * interface name is ever taken in the machine's own namespace; the addresses exist only there.
 */
export async function createVethPair(): Promise<VethPair> {
  const a = await namespaceWith('');
  const b = await namespaceWith('').catch(async (err: unknown) => {
    await a.destroy();
    throw err;
  });
  const pair = { a, b, addressA: '10.213.1.1', addressB: '10.213.1.2', destroy: () => destroyBoth(a, b) };
  try {
    await mustRun('ip', ['-n', a.name, 'link', 'add', 'vA', 'type', 'veth', 'peer', 'name', 'vB', 'netns', b.name]);
    for (const [ns, dev, address] of [
      [a.name, 'vA', pair.addressA],
      [b.name, 'vB', pair.addressB],
    ] as const) {
      await mustRun('ip', ['-n', ns, '-batch', '-'], {
        input: `address add ${address}/24 dev ${dev}\nlink set ${dev} multicast on up\nroute add 224.0.0.0/4 dev ${dev}\n`,
      });
    }
  } catch (err) {
    await pair.destroy();
    throw err;
  }
  return pair;
}

async function destroyBoth(a: Netns, b: Netns): Promise<void> {
  await a.destroy();
  await b.destroy();
}

async function namespaceWith(batch: string): Promise<Netns> {
  const name = newNamespaceName();
  const running: Running[] = [];
  const destroy = async () => {
    for (const r of running.reverse()) await r.stop(2000);
    running.length = 0;
    await deleteNamespace(name);
  };
  try {
    await createNamespace(name, []);
    if (batch) await mustRun('ip', ['-n', name, '-batch', '-'], { input: batch });
  } catch (err) {
    await destroy();
    throw err;
  }
  return {
    name,
    start(command, args, env) {
      const r = startProgram(['netns', 'exec', name, command, ...args], { command: 'ip', env });
      running.push(r);
      return r;
    },
    destroy,
  };
}

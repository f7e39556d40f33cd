/**
 * A network namespace with a multicast-capable loopback, for the mDNS tests: the shared
 * namespace helpers of the world harness (`test/peers/netns.ts`: `gcwsim-<pid>-<n>` names,
 * swept when a test process dies, every process in it killed on delete), plus
 * `ip link set lo multicast on; ip route add 224.0.0.0/4 dev lo`, and programs started inside
 * it remembered so `destroy()` stops them first.
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
  const name = newNamespaceName();
  const running: Running[] = [];
  const destroy = async () => {
    for (const r of running.reverse()) await r.stop(2000);
    running.length = 0;
    await deleteNamespace(name);
  };
  try {
    await createNamespace(name, []);
    await mustRun('ip', ['-n', name, '-batch', '-'], {
      input: 'link set lo multicast on\nroute add 224.0.0.0/4 dev lo\n',
    });
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

/**
 * A throw-away network namespace for a test: unique name, loopback up (with multicast on and
 * a route for 224.0.0.0/4 when asked, for mDNS), programs started inside it remembered by pid,
 * and everything removed by `destroy()` — which a test calls in `afterAll`/`afterEach`, so the
 * namespace goes even when the test fails.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startProgram, type Running } from './long-running.js';

/** A namespace and what runs in it. */
export interface Netns {
  name: string;
  /** Run `command args` in the namespace, left running (stopped by destroy or by its own stop). */
  start(command: string, args: string[], env?: NodeJS.ProcessEnv): Running;
  destroy(): Promise<void>;
}

/** Create a namespace named `gcw<tag>-<random>`. */
export function createNetns(tag: string, opts: { multicast?: boolean } = {}): Netns {
  const name = `gcw${tag}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
  ip('netns', 'add', name);
  const running: Running[] = [];
  const destroy = async () => {
    for (const r of running.reverse()) await r.stop(2000);
    running.length = 0;
    try { ip('netns', 'delete', name); } catch { /* already gone */ }
  };
  try {
    ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
    if (opts.multicast) {
      ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'multicast', 'on');
      ip('netns', 'exec', name, 'ip', 'route', 'add', '224.0.0.0/4', 'dev', 'lo');
    }
  } catch (err) {
    void destroy();
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

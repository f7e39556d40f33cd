/**
 * Prerequisite checks for tests that need root, network namespaces or Debian packages.
 * Outside CI a missing prerequisite skips the tests with a message naming it; with `CI=true`
 * it fails them, so a CI image that lacks a package cannot pass by skipping (issue 2).
 */
import { accessSync, constants } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';

/**
 * A prerequisite: `root` (uid 0), `netns` (this process may create network namespaces), or the
 * name of an executable that must be on PATH (`ip`, `dnsmasq`, `docker-registry`, `dockerd`, ...).
 */
export type Prereq = 'root' | 'netns' | (string & {});

/** Where each executable comes from, so the skip message says what to install. */
const PACKAGE_OF: Record<string, string> = {
  ip: 'iproute2',
  dnsmasq: 'dnsmasq',
  'docker-registry': 'docker-registry',
  dockerd: 'docker.io',
  docker: 'docker.io',
  curl: 'curl',
  openssl: 'openssl',
  dig: 'bind9-dnsutils',
  nsenter: 'util-linux',
  unshare: 'util-linux',
  getent: 'libc-bin',
  iptables: 'iptables',
  tar: 'tar',
  tinyproxy: 'tinyproxy',
  prometheus: 'prometheus',
  promtool: 'prometheus',
  zsh: 'zsh',
  chromium: 'chromium',
  // Not in Debian: Google's own apt repository (google-cloud-cli).
  'docker-credential-gcloud': 'google-cloud-cli',
};

/**
 * Prerequisites no Debian repository has (.ci/run cannot install them on a fresh machine):
 * missing, they skip their tests with the reason even under CI, and a skip is never a pass.
 */
const OUTSIDE_DEBIAN: ReadonlySet<string> = new Set(['docker-credential-gcloud']);

/** True when the prerequisites missing here are only ones no Debian repository has. */
function onlyOutsideDebian(prereqs: readonly Prereq[]): boolean {
  const missing = prereqs.filter((prereq) => !met(prereq));
  return missing.length > 0 && missing.every((p) => OUTSIDE_DEBIAN.has(p));
}

/** True when running under CI (`CI=true` or `CI=1`). */
export function isCi(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}

/** Returns undefined when every prerequisite is met, else a reason naming what is missing. */
export function requirePrereqs(prereqs: readonly Prereq[]): string | undefined {
  const missing = prereqs.filter((prereq) => !met(prereq));
  if (missing.length === 0) return undefined;
  return `missing prerequisites: ${missing.map(describePrereq).join(', ')}`;
}

/**
 * `describe` when the prerequisites are met. Otherwise, outside CI: a skipped test whose name
 * says what is missing; under CI: one failing test with that message.
 */
export function describeWithPrereqs(title: string, prereqs: readonly Prereq[], body: () => void): void {
  const reason = requirePrereqs(prereqs);
  if (reason === undefined) {
    describe(title, body);
  } else if (isCi() && !onlyOutsideDebian(prereqs)) {
    describe(title, () => {
      it('has its prerequisites (CI=true makes a missing one a failure)', () => {
        throw new Error(`${title}: ${reason}`);
      });
    });
  } else {
    announceSkip(title, reason);
    describe.skip(title, () => {
      it.skip(`skipped, ${reason}`, () => {});
    });
  }
}

/** The same rule for a single test: run, skip with the reason, or (under CI) fail with it. */
export function itWithPrereqs(
  title: string,
  prereqs: readonly Prereq[],
  fn: () => Promise<void> | void,
  timeoutMs?: number,
): void {
  const reason = requirePrereqs(prereqs);
  if (reason === undefined) it(title, fn, timeoutMs);
  else if (isCi() && !onlyOutsideDebian(prereqs)) {
    it(title, () => {
      throw new Error(`${title}: ${reason}`);
    });
  } else {
    announceSkip(title, reason);
    it.skip(`${title} (skipped, ${reason})`, fn);
  }
}

/** The default reporter hides skipped test names; say on stderr what is skipped and why. */
function announceSkip(title: string, reason: string): void {
  process.stderr.write(`gcrwatch tests: skipping "${title}": ${reason}\n`);
}

const cache = new Map<string, boolean>();

function met(prereq: Prereq): boolean {
  let ok = cache.get(prereq);
  if (ok === undefined) {
    ok = prereq === 'root' ? process.getuid?.() === 0 : prereq === 'netns' ? canCreateNetns() : onPath(prereq);
    cache.set(prereq, ok);
  }
  return ok;
}

function onPath(command: string): boolean {
  const dirs = (process.env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/sbin']);
  return dirs.some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Root in a container may still lack CAP_SYS_ADMIN: try it, on a throw-away name. */
function canCreateNetns(): boolean {
  if (process.getuid?.() !== 0 || !onPath('ip')) return false;
  const name = `gcwprobe-${process.pid}`;
  const added = spawnSync('ip', ['netns', 'add', name], { stdio: 'ignore' }).status === 0;
  if (added) spawnSync('ip', ['netns', 'delete', name], { stdio: 'ignore' });
  return added;
}

function describePrereq(prereq: Prereq): string {
  if (prereq === 'root') return 'root (uid 0)';
  if (prereq === 'netns') return 'permission to create network namespaces (root with CAP_SYS_ADMIN, iproute2)';
  const pkg = PACKAGE_OF[prereq];
  return pkg ? `${prereq} (apt-get install ${pkg})` : prereq;
}

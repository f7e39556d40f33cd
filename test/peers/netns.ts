/**
 * Network namespaces for test worlds. Names are `gcwsim-<pid>-<n>`, so a namespace can be traced
 * to the test process that made it, and ones left by a process that died can be swept.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive, mustRun, runCommand, signal } from './processes.js';

const PREFIX = 'gcwsim';
let counter = 0;

/** A fresh namespace name owned by this process. */
export function newNamespaceName(): string {
  return `${PREFIX}-${process.pid}-${++counter}`;
}

/** The argv that runs `command` inside namespace `name` (with /etc/netns/<name>/* over /etc). */
export function inNamespace(name: string, command: string, args: readonly string[]): [string, string[]] {
  return ['ip', ['netns', 'exec', name, command, ...args]];
}

/** Creates the namespace, brings `lo` up and adds each loopback address as a /32 on it. */
export async function createNamespace(name: string, addresses: readonly string[]): Promise<void> {
  await mustRun('ip', ['netns', 'add', name]);
  const batch = ['link set lo up', ...addresses.map((address) => `address add ${address}/32 dev lo`)].join('\n');
  await mustRun('ip', ['-n', name, '-batch', '-'], { input: `${batch}\n` });
}

/** Writes files to /etc/netns/<name>/, which `ip netns exec` mounts over /etc (resolv.conf, hosts). */
export async function writeNamespaceEtc(name: string, files: Record<string, string>): Promise<void> {
  const dir = join('/etc/netns', name);
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
}

/**
 * Deletes a namespace: SIGKILLs any process still in it (only this harness starts processes
 * there), removes it and /etc/netns/<name>. Safe to call for a namespace that is already gone.
 */
export async function deleteNamespace(name: string): Promise<void> {
  const pids = await runCommand('ip', ['netns', 'pids', name]);
  if (pids.code === 0) {
    for (const pid of pids.stdout.split(/\s+/).filter(Boolean).map(Number)) signal(pid, 'SIGKILL');
    for (let i = 0; i < 50 && (await namespacePids(name)).length > 0; i++) await sleep(100);
    await runCommand('ip', ['netns', 'delete', name]);
  }
  await rm(join('/etc/netns', name), { recursive: true, force: true });
}

/**
 * Deletes what worlds of test processes that died left behind: their namespaces (with any
 * process still in them) and their folders under `tempRoot` (`gcwsim-<pid>-<n>-*`). Returns the names.
 */
export async function sweepStaleWorlds(tempRoot: string): Promise<string[]> {
  const names = await readdir('/run/netns').catch(() => [] as string[]);
  const staleNamespaces = names.filter((name) => isStale(name, '$'));
  for (const name of staleNamespaces) await deleteNamespace(name);
  const dirs = (await readdir(tempRoot).catch(() => [] as string[])).filter((name) => isStale(name, '-'));
  for (const dir of dirs) await rm(join(tempRoot, dir), { recursive: true, force: true });
  return [...staleNamespaces, ...dirs];
}

/** `gcwsim-<pid>-<n>` followed by `end`, whose pid is not this process and is gone. */
function isStale(name: string, end: string): boolean {
  const match = new RegExp(`^${PREFIX}-(\\d+)-\\d+${end}`).exec(name);
  return match !== null && Number(match[1]) !== process.pid && !isAlive(Number(match[1]));
}

async function namespacePids(name: string): Promise<number[]> {
  const result = await runCommand('ip', ['netns', 'pids', name]);
  return result.code === 0 ? result.stdout.split(/\s+/).filter(Boolean).map(Number) : [];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

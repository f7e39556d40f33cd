/**
 * Finding the docker daemon's log by itself, so each retry carries the daemon's reason
 * without a flag. In order: `--daemon-log` (a file, `journal`, or `none`); the tool (podman,
 * skopeo and crane print their causes themselves); where the daemon is (DOCKER_HOST or the
 * docker context): remote, Docker Desktop's VM, rootless, a socket started by hand, or the
 * system's, whose log is `journalctl -u docker.service` (or snap's unit) or a log file in
 * the common places. The answer is a `DaemonLogSource`, with the reason when there is none.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { PushTool } from './push-command.js';
import type { DaemonLogSource } from './daemon-log-source.js';

/** What a journal lookup found: entries of the unit, or why none could be seen. */
export interface JournalLook {
  entries: boolean;
  /** Set when journalctl is missing, failed, or hides the system journal from this user. */
  problem?: string;
}

/** The machine as discovery sees it; tests give their own. */
export interface DiscoveryProbe {
  /** Whether `journalctl [--user] -u UNIT -n 1` shows a line. */
  journal(unit: string, user: boolean): Promise<JournalLook>;
  readable(file: string): boolean;
  /** True when systemd runs this machine (/run/systemd/system exists). */
  systemd(): boolean;
}

/** What discovery starts from. */
export interface DiscoveryInput {
  /** `--daemon-log` as given: a file, `journal`, `none`, or undefined to look. */
  flag?: string;
  tool: PushTool;
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

/** Log files dockerd is commonly set to write, in order. */
export const DAEMON_LOG_FILES = ['/var/log/docker.log', '/var/log/upstart/docker.log', '/var/log/docker/docker.log'];
const SYSTEM_SOCKETS = new Set(['/var/run/docker.sock', '/run/docker.sock']);
const DESKTOP_LOG = 'Library/Containers/com.docker.docker/Data/log/vm/dockerd.log';

/** Where the daemon's log is, or why there is none to read. */
export async function discoverDaemonLog(
  input: DiscoveryInput,
  probe: DiscoveryProbe = REAL_PROBE,
): Promise<DaemonLogSource> {
  if (input.flag === 'none') return { kind: 'none', reason: 'turned off with --daemon-log none' };
  if (input.flag === 'journal') return { kind: 'journal', unit: 'docker.service' };
  if (input.flag !== undefined) return { kind: 'file', path: input.flag };
  if (input.tool !== 'docker' && input.tool !== 'generic')
    return { kind: 'none', reason: `${input.tool} prints the cause of each failed request itself` };
  const host = dockerHost(input.env);
  const platform = input.platform ?? process.platform;
  const home = input.env.HOME ?? os.homedir();
  if (host && !host.startsWith('unix://') && !host.startsWith('npipe://'))
    return {
      kind: 'none',
      reason: `the docker daemon is remote (DOCKER_HOST ${host}): its log is on that machine (\`journalctl -u docker.service\` there)`,
    };
  const socket = host?.replace(/^unix:\/\//, '');
  if (platform === 'darwin' || platform === 'win32' || /docker\.raw\.sock|\/\.docker\/desktop\//.test(socket ?? '')) {
    const desktopLog = path.join(home, DESKTOP_LOG);
    if (probe.readable(desktopLog)) return { kind: 'file', path: desktopLog };
    return {
      kind: 'none',
      reason:
        "Docker Desktop runs dockerd in its VM: its log is in Docker Desktop's Troubleshoot > Diagnose; pass the dockerd.log it names with --daemon-log FILE",
    };
  }
  if (socket && /^\/run\/user\/\d+\/|^\/home\//.test(socket)) return rootless(probe);
  if (socket && !SYSTEM_SOCKETS.has(socket))
    return {
      kind: 'none',
      reason: `the daemon at ${host} is not the system's: its log is wherever it was started to write; pass it with --daemon-log FILE`,
    };
  return systemDaemon(probe);
}

async function rootless(probe: DiscoveryProbe): Promise<DaemonLogSource> {
  if (probe.systemd()) {
    const look = await probe.journal('docker.service', true);
    if (look.entries) return { kind: 'journal', unit: 'docker.service', user: true };
  }
  return {
    kind: 'none',
    reason:
      'rootless dockerd logs to your user journal (`journalctl --user -u docker.service`), which shows nothing here; pass its log with --daemon-log FILE',
  };
}

async function systemDaemon(probe: DiscoveryProbe): Promise<DaemonLogSource> {
  const problems: string[] = [];
  if (probe.systemd()) {
    for (const unit of ['docker.service', 'snap.docker.dockerd.service']) {
      const look = await probe.journal(unit, false);
      if (look.entries) return { kind: 'journal', unit };
      if (look.problem) problems.push(look.problem);
    }
  }
  const file = DAEMON_LOG_FILES.find((f) => probe.readable(f));
  if (file) return { kind: 'file', path: file };
  const tried = probe.systemd() ? 'journalctl -u docker.service shows nothing' : 'no systemd journal here';
  return {
    kind: 'none',
    reason:
      problems.find((p) => p.includes('systemd-journal')) ??
      `no log of dockerd found (${tried}, and ${DAEMON_LOG_FILES[0]} is absent); pass --daemon-log FILE where dockerd writes`,
  };
}

/** DOCKER_HOST, else the endpoint of the docker context in use (DOCKER_CONTEXT or config.json's currentContext). */
export function dockerHost(env: NodeJS.ProcessEnv): string | undefined {
  if (env.DOCKER_HOST) return env.DOCKER_HOST;
  const configDir = env.DOCKER_CONFIG ?? path.join(env.HOME ?? os.homedir(), '.docker');
  const context = env.DOCKER_CONTEXT ?? currentContext(configDir);
  if (!context || context === 'default') return undefined;
  try {
    const id = createHash('sha256').update(context).digest('hex');
    const meta = JSON.parse(readFileSync(path.join(configDir, 'contexts', 'meta', id, 'meta.json'), 'utf8')) as {
      Endpoints?: { docker?: { Host?: unknown } };
    };
    const endpoint = meta.Endpoints?.docker?.Host;
    return typeof endpoint === 'string' ? endpoint : undefined;
  } catch {
    return undefined;
  }
}

function currentContext(configDir: string): string | undefined {
  try {
    const config = JSON.parse(readFileSync(path.join(configDir, 'config.json'), 'utf8')) as {
      currentContext?: unknown;
    };
    return typeof config.currentContext === 'string' ? config.currentContext : undefined;
  } catch {
    return undefined;
  }
}

/** The real machine: journalctl with a 3 s limit, readable files, /run/systemd/system. */
export const REAL_PROBE: DiscoveryProbe = {
  journal: lookInJournal,
  readable(file) {
    try {
      accessSync(file, constants.R_OK);
      return true;
    } catch {
      return false;
    }
  },
  systemd: () => existsSync('/run/systemd/system'),
};

/** Ask journalctl for the last line of `unit`; a hidden system journal is named with how to grant it. */
export function lookInJournal(unit: string, user: boolean, command = 'journalctl'): Promise<JournalLook> {
  const args = [...(user ? ['--user'] : []), '-u', unit, '-n', '1', '-o', 'cat', '--no-pager', '-q'];
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 3000 });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('error', (e: NodeJS.ErrnoException) =>
      resolve({
        entries: false,
        problem: e.code === 'ENOENT' ? 'journalctl is not installed' : `journalctl: ${e.message}`,
      }),
    );
    child.once('close', (code) => {
      if (out.trim()) return resolve({ entries: true });
      if (
        /not seeing messages from other users|No journal files were opened due to insufficient permissions/i.test(err)
      )
        return resolve({
          entries: false,
          problem:
            'this user may not read the system journal, where dockerd logs: add it to the systemd-journal group (`sudo usermod -aG systemd-journal $USER`, then log in again), or run gcrwatch with --daemon-log FILE',
        });
      resolve(
        code
          ? { entries: false, problem: `journalctl exited with ${code}: ${err.trim().split('\n')[0] ?? ''}` }
          : { entries: false },
      );
    });
  });
}

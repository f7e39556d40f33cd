/**
 * A real `dockerd` inside a world's network namespace, started the one way that works here
 * (shared/world.md): `nsenter --net` plus a private mount namespace in which the world's
 * resolv.conf and an /etc/docker holding `certs.d/<host>/ca.crt` are bind-mounted. `ip netns exec`
 * does not work for dockerd (it remounts /sys and hides the cgroups).
 */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { mustRun, runCommand, type ProcessGroup, type RunOptions, type RunResult } from './processes.js';

/** Options for {@link DockerEngine.start}. */
export interface DockerEngineOptions {
  namespace: string;
  /** A folder of its own for data, exec root, socket, config and log. */
  dir: string;
  /** The world's resolv.conf (bind-mounted over /etc/resolv.conf for the daemon). */
  resolvConf: string;
  /** PEM the daemon must trust for every registry host (written to certs.d/<host>/ca.crt). */
  caPem: string;
  hosts: readonly string[];
  processes: ProcessGroup;
  startTimeoutMs?: number;
}

/** A docker credential: what `docker login` stores for a host. */
export interface DockerCredential {
  username: string;
  password: string;
}

/** A running docker engine of a world. */
export class DockerEngine {
  /** `unix://...`: the value for DOCKER_HOST. */
  readonly host: string;
  /** The daemon's own log (stderr): `Upload failed, retrying: ...` lines appear here. */
  readonly logFile: string;
  /** The DOCKER_CONFIG folder the CLI uses (config.json with the credentials). */
  readonly configDir: string;
  private imageCount = 0;

  private constructor(
    private readonly options: DockerEngineOptions,
    private readonly daemon: ChildProcess,
  ) {
    this.host = `unix://${join(options.dir, 'docker.sock')}`;
    this.logFile = join(options.dir, 'dockerd.log');
    this.configDir = join(options.dir, 'config');
  }

  /** Starts dockerd and waits until it answers `docker version`. */
  static async start(options: DockerEngineOptions): Promise<DockerEngine> {
    const { dir } = options;
    const etc = join(dir, 'etc-docker');
    for (const host of options.hosts) {
      await mkdir(join(etc, 'certs.d', host), { recursive: true });
      await writeFile(join(etc, 'certs.d', host, 'ca.crt'), options.caPem);
    }
    await mkdir(join(dir, 'config'), { recursive: true });
    await writeFile(join(dir, 'config', 'config.json'), '{"auths":{}}\n');
    const dockerd = [
      'exec dockerd --iptables=false --ip6tables=false --bridge=none --storage-driver=vfs',
      `--data-root ${join(dir, 'data')} --exec-root ${join(dir, 'exec')} --pidfile ${join(dir, 'dockerd.pid')}`,
      `-H unix://${join(dir, 'docker.sock')}`,
    ].join(' ');
    const script = `mount --bind ${options.resolvConf} /etc/resolv.conf && mount --bind ${etc} /etc/docker && ${dockerd}`;
    const daemon = options.processes.start(
      'nsenter',
      [`--net=/run/netns/${options.namespace}`, 'unshare', '-m', 'sh', '-c', script],
      {
        logFile: join(dir, 'dockerd.log'),
      },
    );
    const engine = new DockerEngine(options, daemon);
    await engine.waitReady(options.startTimeoutMs ?? 60_000);
    return engine;
  }

  /** Just DOCKER_HOST and DOCKER_CONFIG of this engine, e.g. for `world.run(..., { env: docker.vars })`. */
  get vars(): { DOCKER_HOST: string; DOCKER_CONFIG: string } {
    return { DOCKER_HOST: this.host, DOCKER_CONFIG: this.configDir };
  }

  /** Environment for the docker CLI: this process's, plus {@link DockerEngine.vars} and `extra`. */
  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return { ...process.env, ...this.vars, ...extra };
  }

  /** Runs the docker CLI against this engine (the CLI needs no namespace: it talks to the socket). */
  run(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return runCommand('docker', args, { timeoutMs: 180_000, ...options, env: this.env(options.env) });
  }

  /** Stores `credential` for each host in config.json, as `docker login` would (`auths`). */
  async login(credential: DockerCredential, hosts: readonly string[] = this.options.hosts): Promise<void> {
    const auth = Buffer.from(`${credential.username}:${credential.password}`).toString('base64');
    const auths = Object.fromEntries(hosts.map((host) => [host, { auth }]));
    await writeFile(join(this.configDir, 'config.json'), `${JSON.stringify({ auths }, null, 2)}\n`, { mode: 0o600 });
  }

  /**
   * Makes image `ref` with one layer holding `bytes` random bytes (`docker import` of a tar), so
   * the push uploads a layer of known size that no registry already has.
   */
  async importImage(ref: string, bytes: number): Promise<void> {
    const folder = join(this.options.dir, 'images', String(++this.imageCount));
    await mkdir(folder, { recursive: true });
    const out = createWriteStream(join(folder, 'blob.bin'));
    for (let left = bytes; left > 0; left -= 1 << 20) {
      if (!out.write(randomBytes(Math.min(left, 1 << 20)))) await once(out, 'drain');
    }
    out.end();
    await once(out, 'close');
    await mustRun('tar', ['-C', folder, '-cf', join(folder, 'layer.tar'), 'blob.bin']);
    const result = await this.run(['import', join(folder, 'layer.tar'), ref]);
    if (result.code !== 0) throw new Error(`docker import ${ref} failed: ${result.stderr.trim()}`);
  }

  /** Stops the daemon (SIGTERM, SIGKILL after 15 s). Idempotent. */
  async stop(): Promise<void> {
    await this.options.processes.stop(this.daemon, 15_000);
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.daemon.exitCode !== null || this.daemon.signalCode !== null) {
        throw new Error(`dockerd exited (${this.daemon.exitCode ?? this.daemon.signalCode}); see ${this.logFile}`);
      }
      const probe = await this.run(['version', '--format', '{{.Server.Version}}'], { timeoutMs: 5_000 });
      if (probe.code === 0) return;
      if (Date.now() > deadline) throw new Error(`dockerd did not answer within ${timeoutMs} ms; see ${this.logFile}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

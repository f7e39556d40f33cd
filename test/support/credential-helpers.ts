/**
 * Real docker credential helpers for tests: small shell scripts written to a temporary
 * folder that the test puts first on PATH. Each behaves like one kind of helper seen in the
 * wild: working, failing with a message on stderr, hanging, slow, printing garbage or far
 * too much, or saying "credentials not found".
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** How a test helper behaves. */
export type HelperBehaviour =
  | { kind: 'ok'; username: string; secret: string; delayMs?: number }
  | { kind: 'fail'; stderr: string; status?: number }
  | { kind: 'hang' }
  | { kind: 'garbage'; stdout: string }
  | { kind: 'flood' }
  | { kind: 'not-found' };

/** A folder of helpers; `env` puts it first on PATH and points DOCKER_CONFIG at `dockerConfigDir`. */
export class HelperBin {
  readonly dir: string;
  readonly dockerConfigDir: string;

  constructor() {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-helpers-'));
    this.dockerConfigDir = path.join(this.dir, 'docker');
    mkdirSync(path.join(this.dir, 'bin'));
    mkdirSync(path.join(this.dir, 'tools'));
    mkdirSync(this.dockerConfigDir);
    // Only the tools the scripts use: a helper installed on this machine (the Google Cloud
    // SDK's docker-credential-gcloud lives in /usr/bin) must not be found by accident.
    for (const tool of TOOLS) {
      const real = ['/usr/bin', '/bin', '/usr/sbin', '/sbin'].map((d) => path.join(d, tool)).find((f) => existsSync(f));
      if (real) symlinkSync(real, path.join(this.dir, 'tools', tool));
    }
  }

  /** PATH with the helpers and the few tools their scripts need, and nothing else. */
  get path(): string {
    return `${path.join(this.dir, 'bin')}:${path.join(this.dir, 'tools')}`;
  }

  /** Put a helper installed on this machine on the test PATH; false when it is not installed. */
  installReal(program: string, from = '/usr/bin'): boolean {
    const real = path.join(from, program);
    if (!existsSync(real)) return false;
    symlinkSync(real, path.join(this.dir, 'bin', program));
    return true;
  }

  /** An environment for gcrwatch or a helper run: PATH, DOCKER_CONFIG, HOME in the temp folder. */
  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return { PATH: this.path, DOCKER_CONFIG: this.dockerConfigDir, HOME: this.dir, ...extra };
  }

  /** Write docker's config.json. */
  writeDockerConfig(config: unknown): string {
    const file = path.join(this.dockerConfigDir, 'config.json');
    writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config, null, 2), { mode: 0o600 });
    return file;
  }

  /** Install `docker-credential-<name>` behaving as asked. Logs each call's stdin to `<name>.calls`. */
  install(name: string, behaviour: HelperBehaviour): void {
    const file = path.join(this.dir, 'bin', `docker-credential-${name}`);
    const calls = path.join(this.dir, `${name}.calls`);
    writeFileSync(
      file,
      `#!/bin/sh\n[ "$1" = get ] || { echo "unknown action $1" >&2; exit 2; }\nhost=$(cat)\necho "$host" >> '${calls}'\n${body(behaviour)}\n`,
    );
    chmodSync(file, 0o755);
  }

  /**
   * Install `docker-credential-<name>` whose behaviour is switched at run time: it answers
   * `username`/`secret` in mode `ok`, hangs in `hang`, prints 10 MB in `flood` (the mode is a
   * file beside it). Returns the switch, for the fault matrix and the soak.
   */
  installSwitchable(
    name: string,
    username: string,
    secret: string,
  ): { set(mode: 'ok' | 'hang' | 'flood'): Promise<void> } {
    const modeFile = path.join(this.dir, `${name}.mode`);
    writeFileSync(modeFile, 'ok');
    const file = path.join(this.dir, 'bin', `docker-credential-${name}`);
    const ok = body({ kind: 'ok', username, secret });
    writeFileSync(
      file,
      `#!/bin/sh\n[ "$1" = get ] || exit 2\nhost=$(cat)\ncase "$(cat '${modeFile}')" in\n` +
        `hang) ${body({ kind: 'hang' }).replace('\n', '; ')} ;;\n` +
        `flood) head -c 10485760 /dev/zero | tr "\\0" "a" ;;\n` +
        `*) ${ok} ;;\nesac\n`,
    );
    chmodSync(file, 0o755);
    return { set: async (mode) => writeFileSync(modeFile, mode) };
  }

  /** Remove everything. */
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** What the helper scripts use, and `ip` (the world runs commands through `ip netns exec`). */
const TOOLS = ['cat', 'sleep', 'head', 'tr', 'sh', 'ip'];

function body(b: HelperBehaviour): string {
  switch (b.kind) {
    case 'ok': {
      const json = JSON.stringify({ ServerURL: '__HOST__', Username: b.username, Secret: b.secret });
      const [before, after] = json.split('__HOST__');
      return `${b.delayMs ? `sleep ${b.delayMs / 1000}\n` : ''}printf '%s%s%s' '${before}' "$host" '${after}'`;
    }
    case 'fail':
      return `echo '${b.stderr.replace(/'/g, "'\\''")}' >&2\nexit ${b.status ?? 1}`;
    // A child process holding the pipes, as a script-based helper stuck on the network would.
    case 'hang':
      return 'sleep 600\necho never';
    case 'garbage':
      return `printf '%s' '${b.stdout.replace(/'/g, "'\\''")}'`;
    case 'flood':
      return 'head -c 20000000 /dev/zero | tr "\\0" "a"';
    case 'not-found':
      return 'echo "credentials not found in native keychain"\nexit 1';
  }
}

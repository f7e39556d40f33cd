/**
 * A simulated world with a real dockerd for a describe block (created before its tests,
 * closed after them), and `wrapPush`: gcrwatch run inside the world wrapping a real
 * `docker push`, with its session log read back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { SessionEvent } from '../../src/core/events.js';
import type { DockerEngine } from '../peers/docker-engine.js';
import { createWorld, type World } from '../peers/world.js';
import { ensureBuilt, readLog, runGcrwatch, type CliRun, type RunOptions } from './wrap-cli.js';

/** The world of the current describe block. */
export interface DockerWorld {
  readonly world: World;
  readonly docker: DockerEngine;
  /** A scratch folder of the block (session logs go there). */
  readonly dir: string;
  /** gcrwatch `flags` -- docker push `ref` in the world; the run, its log's path and events. */
  wrapPush(
    ref: string,
    flags: string[],
    options?: RunOptions,
  ): Promise<{ run: CliRun; log: string; events: SessionEvent[] }>;
}

/** Register the hooks that make and close the world; use the returned object in tests. */
export function useDockerWorld(name: string): DockerWorld {
  let world: World | undefined;
  let dir: string | undefined;
  let runs = 0;
  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), `gcrwatch-e2e-${name}-`));
    world = await createWorld({ docker: true });
  }, 180_000);
  afterAll(async () => {
    await world?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);
  const handle: DockerWorld = {
    get world() {
      return world!;
    },
    get docker() {
      return world!.docker!;
    },
    get dir() {
      return dir!;
    },
    async wrapPush(ref, flags, options = {}) {
      const log = path.join(dir!, `session-${++runs}.ndjson`);
      const env = world!.env({ DOCKER_HOST: handle.docker.host, DOCKER_CONFIG: handle.docker.configDir });
      const run = await runGcrwatch([...flags, '--log', log, '--', 'docker', 'push', ref], {
        prefix: ['ip', 'netns', 'exec', world!.name],
        env,
        timeoutMs: 170_000,
        ...options,
      });
      return { run, log, events: readLog(log) };
    },
  };
  return handle;
}

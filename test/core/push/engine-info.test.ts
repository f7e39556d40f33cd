/**
 * Engine info against a real HTTP server on a unix socket (as dockerd serves its API),
 * answering /info with the body recorded from the real dockerd 20.10 of the world.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineEndpoint, fetchEngineInfo } from '../../../src/core/push/engine-info.js';
import { fixture } from '../../support/transcripts.js';

let dir: string;
let server: Server | undefined;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-engine-'));
});
afterEach(async () => {
  if (server) await new Promise((r) => server!.close(r));
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function serveInfo(body: Record<string, unknown>, status = 200): Promise<string> {
  const socket = path.join(dir, 'docker.sock');
  server = createServer((req, res) => {
    res.writeHead(req.url === '/info' ? status : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server!.listen(socket, r));
  return `unix://${socket}`;
}

const recorded = () => JSON.parse(fixture('dockerd-info.json').toString()) as Record<string, unknown>;

describe('fetchEngineInfo', () => {
  it('reads version, storage driver and the default upload concurrency of the recorded dockerd', async () => {
    const host = await serveInfo(recorded());
    const info = await fetchEngineInfo({ DOCKER_HOST: host });
    expect(info).toMatchObject({
      type: 'engine.info',
      endpoint: host,
      version: '20.10.24+dfsg1',
      storageDriver: 'vfs',
      containerdSnapshotter: false,
      maxConcurrentUploads: 5,
      maxConcurrentUploadsSource: 'default',
    });
    expect(info.error).toBeUndefined();
    expect(info.notes).toBeUndefined();
  });

  it("says so when the containerd image store is used, and when the daemon proxy differs from the shell's", async () => {
    const host = await serveInfo({
      ...recorded(),
      Driver: 'overlayfs',
      DriverStatus: [['driver-type', 'io.containerd.snapshotter.v1']],
      HttpsProxy: 'http://user:secret@proxy.corp:3128',
    });
    const info = await fetchEngineInfo({ DOCKER_HOST: host });
    expect(info.containerdSnapshotter).toBe(true);
    expect(info.httpsProxy).toBe('http://<redacted>@proxy.corp:3128');
    expect(info.notes).toEqual([
      expect.stringContaining('containerd image store'),
      expect.stringContaining("daemon's HTTPS proxy (http://<redacted>@proxy.corp:3128) is not this shell's (none)"),
    ]);
  });

  it('an engine that does not answer, or answers badly, is an event with an error, not an exception', async () => {
    expect((await fetchEngineInfo({ DOCKER_HOST: `unix://${path.join(dir, 'none.sock')}` })).error?.code).toBe(
      'push.daemon_unreachable',
    );
    const host = await serveInfo({ message: 'no' }, 500);
    expect((await fetchEngineInfo({ DOCKER_HOST: host })).error?.message).toMatch(/HTTP 500/);
  });

  it('knows which DOCKER_HOST values it can ask', () => {
    expect(engineEndpoint({})).toMatchObject({ kind: 'unix', socketPath: '/var/run/docker.sock' });
    expect(engineEndpoint({ DOCKER_HOST: 'tcp://127.0.0.1:2375' })).toMatchObject({
      kind: 'tcp',
      origin: 'http://127.0.0.1:2375',
    });
    expect(engineEndpoint({ DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_TLS_VERIFY: '1' })).toBeUndefined();
    expect(engineEndpoint({ DOCKER_HOST: 'ssh://me@host' })).toBeUndefined();
  });
});

import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithPrereqs } from '../peers/prereqs.js';
import { createWorld, WORLD_CREDENTIALS, WORLD_PREREQS, type World } from '../peers/world.js';
import type { DockerEngine } from '../peers/docker-engine.js';

/** A push whose output lines are timestamped as they arrive (epoch ms), as gcrwatch will see them. */
async function timedPush(
  docker: DockerEngine,
  ref: string,
): Promise<{ code: number | null; lines: Array<{ at: number; text: string }> }> {
  const lines: Array<{ at: number; text: string }> = [];
  const result = await docker.run(['push', ref], {
    onLine: (text) => lines.push({ at: Date.now(), text }),
  });
  return { code: result.code, lines };
}

/** Lines where a "Retrying in N second(s)" countdown starts: N is not below the previous tick. */
function countdownStarts(lines: Array<{ at: number; text: string }>): Array<{ at: number; seconds: number }> {
  const starts: Array<{ at: number; seconds: number }> = [];
  let previous = 0;
  for (const line of lines) {
    const match = /: Retrying in (\d+) seconds?$/.exec(line.text);
    if (!match) continue;
    const seconds = Number(match[1]);
    if (seconds >= previous) starts.push({ at: line.at, seconds });
    previous = seconds;
  }
  return starts;
}

describeWithPrereqs('simulated world with a real dockerd', [...WORLD_PREREQS, 'dockerd', 'docker', 'tar'], () => {
  let world: World;
  let docker: DockerEngine;

  beforeAll(async () => {
    world = await createWorld({ docker: true });
    docker = world.docker!;
  }, 120_000);
  afterAll(() => world?.close(), 60_000);

  it('pushes an imported image to gcr.io through DNS, TLS, the proxy and the registry', async () => {
    await docker.importImage('gcr.io/proj/app:v1', 4 << 20);
    await docker.login(WORLD_CREDENTIALS.pusher);
    const { code, lines } = await timedPush(docker, 'gcr.io/proj/app:v1');
    const text = lines.map((line) => line.text).join('\n');
    expect(code, text).toBe(0);
    expect(text).toMatch(/: Pushed$/m);
    expect(text).toMatch(/^v1: digest: sha256:[0-9a-f]{64} size: \d+$/m);
    expect(text).not.toContain('Retrying');
  }, 120_000);

  it('shows docker retry countdowns when the proxy resets the first two large uploads', async () => {
    await docker.importImage('gcr.io/proj/app:v2', 8 << 20);
    await docker.login(WORLD_CREDENTIALS.pusher);
    await world.proxy('gcr.io').set({ resetLarge: { bytes: 1 << 20, count: 2 } });
    await world.proxy('gcr.io').clearStats();
    try {
      const { code, lines } = await timedPush(docker, 'gcr.io/proj/app:v2');
      const text = lines.map((line) => line.text).join('\n');
      expect(code, text).toBe(0);
      // One retry is the start of a countdown (5 s for attempt 1, 10 s for attempt 2), not every tick.
      const starts = countdownStarts(lines);
      expect(starts.map((start) => start.seconds)).toEqual([5, 10]);
      // Only the injected resets: the registry itself may reset an idle keep-alive connection.
      const resets = (await world.proxy('gcr.io').stats()).resets.filter((reset) => reset.reason === 'reset-large');
      expect(resets).toHaveLength(2);
      starts.forEach((start, index) => {
        const lag = start.at - resets[index]!.at;
        expect(lag).toBeGreaterThanOrEqual(-50);
        expect(lag).toBeLessThan(1_000);
      });
      expect(text).toMatch(/: Pushed$/m);
      const daemonLog = await readFile(docker.logFile, 'utf8');
      const causes = daemonLog.split('\n').filter((line) => line.includes('Upload failed, retrying'));
      expect(causes, causes.join('\n')).toHaveLength(2);
      // The same reset reads "connection reset by peer" or, when docker's HTTP/2 writer loses the
      // race with its reader, "use of closed network connection" (seen here under load).
      for (const cause of causes) expect(cause).toMatch(/connection reset by peer|use of closed network connection/);
    } finally {
      await world.proxy('gcr.io').set({});
    }
  }, 120_000);

  it("ends a push refused by the token endpoint with Artifact Registry's words", async () => {
    await docker.importImage('gcr.io/proj/app:v3', 1 << 20);
    await docker.login(WORLD_CREDENTIALS.denied);
    const { code, lines } = await timedPush(docker, 'gcr.io/proj/app:v3');
    const text = lines.map((line) => line.text).join('\n');
    expect(code).not.toBe(0);
    expect(text).toContain('denied: Permission "artifactregistry.repositories.uploadArtifacts" denied on resource');
    expect(text).not.toContain('Retrying');
  }, 120_000);
});

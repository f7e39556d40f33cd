/**
 * The push wrapper end to end, in the simulated gcr.io of shared/world.md: gcrwatch with its
 * default targets runs inside the world's network namespace and wraps a real `docker push`
 * to a real dockerd, which pushes through the world's resolver, TLS, fault proxy and the real
 * docker-registry 2.8 with token auth. Each scenario checks the session log and the status.
 */
import { expect, it } from 'vitest';
import { describeWithPrereqs } from '../peers/prereqs.js';
import { WORLD_CREDENTIALS, WORLD_PREREQS } from '../peers/world.js';
import { useDockerWorld } from '../support/docker-world.js';
import { eventsOf, expectWrapLogEnd, type RunOptions } from '../support/wrap-cli.js';

const MB = 1 << 20;

describeWithPrereqs(
  'gcrwatch wraps a real docker push in the simulated world',
  [...WORLD_PREREQS, 'dockerd', 'docker', 'tar'],
  () => {
    const w = useDockerWorld('push');
    const wrapPush = (ref: string, flags: string[], options: RunOptions = {}) => w.wrapPush(ref, flags, options);

    const expectCleanEnd = expectWrapLogEnd;

    it('1. a clean push of a 50 MB layer: layer pushed, digest recorded, no retries, exit 0', async () => {
      await w.docker.importImage('gcr.io/proj/clean:v1', 50 * MB);
      await w.docker.login(WORLD_CREDENTIALS.pusher);
      const { run, events } = await wrapPush('gcr.io/proj/clean:v1', ['--json']);
      expect(run.code, run.stderr).toBe(0);
      expect(eventsOf(events, 'session.start')[0]!.targets).toContainEqual(
        expect.objectContaining({ id: 'gcr.io', pushTarget: true }),
      );
      expect(eventsOf(events, 'push.start')[0]).toMatchObject({
        tool: 'docker',
        registry: 'gcr.io',
        repository: 'proj/clean',
        tag: 'v1',
      });
      expect(eventsOf(events, 'push.layer').filter((e) => e.state === 'pushed')).toHaveLength(1);
      expect(eventsOf(events, 'push.digest')).toEqual([
        expect.objectContaining({ tag: 'v1', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) }),
      ]);
      expect(eventsOf(events, 'push.retry')).toEqual([]);
      expect(eventsOf(events, 'push.error')).toEqual([]);
      expect(eventsOf(events, 'push.end')[0]).toMatchObject({ exitCode: 0, layersPushed: 1, retries: 0 });
      expect(eventsOf(events, 'engine.info')[0]).toMatchObject({ storageDriver: 'vfs', containerdSnapshotter: false });
      expect(eventsOf(events, 'probe').some((p) => p.target === 'gcr.io' && p.ok)).toBe(true);
      // The credential docker used is the pusher's access token, valid for another hour: known to
      // tokeninfo (not "expired"), and flagged only because a pasted token is never refreshed.
      const dockerView = eventsOf(events, 'auth').find((a) => a.view === 'docker' && a.host === 'gcr.io');
      expect(dockerView, JSON.stringify(dockerView)).toMatchObject({
        identity: 'pusher@proj.iam.gserviceaccount.com',
        error: { code: 'auth.short_lived' },
      });
      expectCleanEnd(events, 0);
    }, 180_000);

    it('2. two reset uploads: two retries (attempts 1, 2; 5 s, 10 s) within a second of each reset, causes from the daemon log, exit 0', async () => {
      await w.docker.importImage('gcr.io/proj/flaky:v1', 12 * MB);
      await w.docker.login(WORLD_CREDENTIALS.pusher);
      const proxy = w.world.proxy('gcr.io');
      await proxy.set({ resetLarge: { bytes: MB, count: 2 } });
      await proxy.clearStats();
      try {
        const { run, events } = await wrapPush('gcr.io/proj/flaky:v1', ['--plain', '--daemon-log', w.docker.logFile]);
        expect(run.code, run.stderr).toBe(0);
        const retries = eventsOf(events, 'push.retry');
        expect(retries.map((r) => [r.attempt, r.delaySeconds])).toEqual([
          [1, 5],
          [2, 10],
        ]);
        const resets = (await proxy.stats()).resets.filter((r) => r.reason === 'reset-large');
        expect(resets).toHaveLength(2);
        retries.forEach((retry, i) => {
          const lag = Date.parse(retry.t) - resets[i]!.at;
          expect(lag).toBeGreaterThanOrEqual(-50);
          expect(lag).toBeLessThan(1000);
          // The same reset reads either way in dockerd's log, depending on which of its goroutines sees it first.
          expect(retry.cause).toMatch(/connection reset by peer|use of closed network connection/);
          expect(['push.connection_reset', 'push.eof']).toContain(retry.causeCode);
        });
        expect(eventsOf(events, 'daemon.log').filter((d) => /Upload failed, retrying/.test(d.message))).toHaveLength(2);
        expect(eventsOf(events, 'push.end')[0]).toMatchObject({ exitCode: 0, retries: 2, layersPushed: 1 });
        // Plain mode: docker's own output on stdout, then the summary with the causes on stderr.
        expect(run.stdout).toMatch(/: Retrying in 10 seconds\n[\s\S]*: Pushed\nv1: digest: sha256:/);
        expect(run.stderr).toMatch(/gcrwatch: push summary\n/);
        expect(run.stderr).toMatch(/gcrwatch: {3}retries {2}2\n/);
        expect(run.stderr).toMatch(
          /attempt 2, wait 10s {2}cause: (write tcp .*connection reset by peer|use of closed network connection)/,
        );
        expectCleanEnd(events, 0);
      } finally {
        await proxy.set({});
      }
    }, 180_000);

    it("3. every upload reset: five attempts, a final network push.error, docker's status passed through", async () => {
      await w.docker.importImage('gcr.io/proj/doomed:v1', 4 * MB);
      await w.docker.login(WORLD_CREDENTIALS.pusher);
      const proxy = w.world.proxy('gcr.io');
      await proxy.set({ resetLarge: { bytes: MB, count: 1000 } });
      try {
        const { run, events } = await wrapPush('gcr.io/proj/doomed:v1', ['--json', '--daemon-log', w.docker.logFile]);
        expect(run.code).not.toBe(0);
        expect(eventsOf(events, 'push.retry').map((r) => r.attempt)).toEqual([1, 2, 3, 4]);
        const errors = eventsOf(events, 'push.error');
        expect(errors).toHaveLength(1);
        expect(errors[0]).toMatchObject({ category: 'network', retryable: true });
        expect(eventsOf(events, 'push.end')[0]).toMatchObject({ exitCode: run.code, retries: 4, layersPushed: 0 });
        expectCleanEnd(events, run.code!);
      } finally {
        await proxy.set({});
      }
    }, 180_000);

    it('4. the token endpoint denies the push: push.error auth, not retryable, no retries', async () => {
      await w.docker.importImage('gcr.io/proj/refused:v1', MB);
      await w.docker.login(WORLD_CREDENTIALS.denied);
      const { run, events } = await wrapPush('gcr.io/proj/refused:v1', ['--json']);
      expect(run.code).toBe(1);
      expect(eventsOf(events, 'push.error')).toEqual([
        expect.objectContaining({
          code: 'push.denied',
          category: 'auth',
          retryable: false,
          text: expect.stringContaining('denied: Permission "artifactregistry.repositories.uploadArtifacts" denied'),
        }),
      ]);
      expect(eventsOf(events, 'push.retry')).toEqual([]);
      // The credential never reaches the log.
      expect(JSON.stringify(events)).not.toContain(WORLD_CREDENTIALS.denied.password);
      expectCleanEnd(events, 1);
    }, 180_000);

    it('5. Ctrl-C during a stalled upload: the child gets SIGINT, gcrwatch ends with its status, the log ends with push.end and session.end', async () => {
      await w.docker.importImage('gcr.io/proj/stalled:v1', 30 * MB);
      await w.docker.login(WORLD_CREDENTIALS.pusher);
      const proxy = w.world.proxy('gcr.io');
      // Small requests (ping, token, HEAD) still pass; the 30 MB upload crawls.
      await proxy.set({ bytesPerSecond: 20_000 });
      try {
        const { run, events } = await wrapPush('gcr.io/proj/stalled:v1', ['--json'], {
          signal: { name: 'SIGINT', when: /: Preparing/, delayMs: 3000 },
        });
        const end = eventsOf(events, 'push.end')[0]!;
        // docker cancels the push on SIGINT and exits 130, or dies of the signal: either way it got it.
        expect(end.exitCode === 130 || end.signal === 'SIGINT', JSON.stringify(end)).toBe(true);
        expect(run.code).toBe(end.exitCode ?? 130);
        expect(eventsOf(events, 'push.layer').some((l) => l.state === 'pushed')).toBe(false);
        expect(events.at(-1)).toMatchObject({
          type: 'session.end',
          reason: 'signal',
          signal: 'SIGINT',
          exitCode: run.code,
        });
        expectCleanEnd(events, run.code!);
      } finally {
        await proxy.set({});
      }
    }, 180_000);
  },
);

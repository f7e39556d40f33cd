/**
 * Sessions recorded from real pushes in the simulated world (a real dockerd pushing through
 * the world's resolver, TLS, fault proxy and docker-registry), reported with `gcrwatch report
 * --format md`: the top finding is the one the push's trouble calls for.
 */
import { expect, it } from 'vitest';
import type { DiagnosisEvent } from '../../src/core/events.js';
import { describeWithPrereqs } from '../peers/prereqs.js';
import { WORLD_CREDENTIALS, WORLD_PREREQS } from '../peers/world.js';
import { useDockerWorld } from '../support/docker-world.js';
import { eventsOf, runGcrwatch } from '../support/wrap-cli.js';

const MB = 1 << 20;

describeWithPrereqs(
  'reports of pushes recorded in the simulated world',
  [...WORLD_PREREQS, 'dockerd', 'docker', 'tar'],
  () => {
    const w = useDockerWorld('report');

    /** Wrap `docker push ref` in the world with a session log, then report on the log. */
    async function pushThenReport(ref: string, flags: string[] = []) {
      const { run: push, log, events } = await w.wrapPush(ref, ['--plain', ...flags]);
      const report = await runGcrwatch(['report', log, '--format', 'md'], { timeoutMs: 30_000 });
      expect(report.code, report.stderr).toBe(0);
      return { push, report: report.stdout, events };
    }

    it('uploads reset by a middlebox while every probe is healthy: the verdict names the reset uploads', async () => {
      await w.docker.importImage('gcr.io/proj/report-flaky:v1', 12 * MB);
      await w.docker.login(WORLD_CREDENTIALS.pusher);
      const proxy = w.world.proxy('gcr.io');
      await proxy.set({ resetLarge: { bytes: MB, count: 2 } });
      try {
        const { push, report, events } = await pushThenReport('gcr.io/proj/report-flaky:v1', [
          '--daemon-log',
          w.docker.logFile,
        ]);
        expect(push.code, push.stderr).toBe(0);
        expect(eventsOf(events, 'push.retry')).toHaveLength(2);
        expect(report).toMatch(
          /## Verdict\n\n\*\*Network \(network\.upload_path, \w+ confidence\)\.\*\* 2 of 2 failed push attempts came while every probe to gcr\.io was healthy/,
        );
        expect(report).toMatch(
          /The daemon says: "(write: connection reset by peer|[^"]*use of closed network connection)"/,
        );
        // The live session said the same, in the log.
        const live = eventsOf(events, 'diagnosis') as DiagnosisEvent[];
        expect(live.some((f) => f.code === 'network.upload_path' && !f.cleared)).toBe(true);
      } finally {
        await proxy.set({});
      }
    }, 180_000);

    it("a push refused by the token endpoint: the verdict is auth, in the registry's words", async () => {
      await w.docker.importImage('gcr.io/proj/report-refused:v1', MB);
      await w.docker.login(WORLD_CREDENTIALS.denied);
      const { push, report } = await pushThenReport('gcr.io/proj/report-refused:v1');
      expect(push.code).toBe(1);
      expect(report).toMatch(
        /## Verdict\n\n\*\*Credentials \(auth\.push_denied, high confidence\)\.\*\* The registry refuses to let .* push to gcr\.io: .*Permission "artifactregistry\.repositories\.uploadArtifacts" denied/,
      );
      expect(report).not.toContain(WORLD_CREDENTIALS.denied.password);
    }, 180_000);

    it('a clean push: no problem in the verdict', async () => {
      await w.docker.importImage('gcr.io/proj/report-clean:v1', 4 * MB);
      await w.docker.login(WORLD_CREDENTIALS.pusher);
      const { push, report } = await pushThenReport('gcr.io/proj/report-clean:v1');
      expect(push.code, push.stderr).toBe(0);
      // A token pasted at docker login is a note at most; no network, registry or image finding.
      expect(report).toMatch(/## Verdict\n\n\*\*No problem found\.\*\* Every probe round succeeded/);
      expect(report).not.toMatch(/### \d+\. (network|registry|image|local)\./);
    }, 180_000);
  },
);

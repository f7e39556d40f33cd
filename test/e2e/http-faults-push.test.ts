/**
 * Registry-side faults answered to a real `docker push` (issue 17): the world's fault proxy
 * ends TLS and answers the first requests matching a method and path in the registry's words
 * (503 UNAVAILABLE, 429 TOOMANYREQUESTS with Retry-After, 500, 401 with a Bearer challenge).
 * Each scenario runs twice: with the daemon's log (--daemon-log FILE) and without it
 * (--daemon-log none). The verdict and its confidence are written below, from the confidence
 * rule (docs/diagnosis.md), before the pushes ran; `report --format json` must give them.
 *
 * With UPDATE_SCENARIOS=1 each run's session log is kept in test/scenarios/<name>/ with its
 * expectation, so the corpus and the scenario table hold these real pushes too.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { HttpFaultRule } from '../../src/sim/index.js';
import { describeWithPrereqs } from '../peers/prereqs.js';
import { WORLD_CREDENTIALS, WORLD_PREREQS } from '../peers/world.js';
import type { Expectation } from '../scenarios/definitions.js';
import { useDockerWorld } from '../support/docker-world.js';
import { eventsOf, runGcrwatch } from '../support/wrap-cli.js';

const MB = 1 << 20;
const SCENARIO_DIR = path.join(import.meta.dirname, '..', 'scenarios');

type Verdict = NonNullable<Expectation['top']> & { code: string };

interface HttpScenario {
  name: string;
  description: string;
  rules: (realm: string) => HttpFaultRule[];
  /** docker's exit status. */
  exit: number;
  /** The verdict with the daemon's log, and without it. */
  withLog: Verdict;
  withoutLog: Verdict;
}

const UPLOADS = '/blobs/uploads/.';

const SCENARIOS: HttpScenario[] = [
  {
    name: 'http-503-blob-upload',
    description:
      'The registry answers the first two blob upload PATCHes with 503 UNAVAILABLE; docker retries and the push succeeds.',
    rules: () => [{ method: 'PATCH', path: UPLOADS, count: 2, status: 503 }],
    exit: 0,
    // The daemon states "received unexpected HTTP status: 503" for each retry: stated, covering both.
    withLog: { category: 'registry', code: 'registry.server_errors', confidence: 'high' },
    // docker's CLI says only "Retrying in 5 seconds" and every probe is healthy: nothing says why.
    withoutLog: { category: 'unknown', code: 'push.cause_unknown', confidence: 'low' },
  },
  {
    name: 'http-429-blob-upload',
    description:
      'The registry answers the first two blob upload PATCHes with 429 TOOMANYREQUESTS and Retry-After: 30; docker 20.10 retries them and the push succeeds.',
    rules: () => [{ method: 'PATCH', path: UPLOADS, count: 2, status: 429, retryAfterSeconds: 30 }],
    // First written as exit 1 (docker's push code marks TOOMANYREQUESTS "do not retry"); the first
    // run showed docker 20.10 retrying a blob upload's 429, so the verdicts follow the retries.
    exit: 0,
    // The daemon states "toomanyrequests" for each retry: stated, covering both.
    withLog: { category: 'registry', code: 'registry.rate_limited', confidence: 'high' },
    // Without it, only "Retrying in 5 seconds" and healthy probes: nothing says why.
    withoutLog: { category: 'unknown', code: 'push.cause_unknown', confidence: 'low' },
  },
  {
    name: 'http-500-manifest-put',
    description: 'The layers upload, then the registry answers the manifest PUT with 500; the push fails.',
    rules: () => [{ method: 'PUT', path: '/manifests/', count: 1, status: 500 }],
    exit: 1,
    // docker prints "received unexpected HTTP status: 500 Internal Server Error", the failure itself.
    withLog: { category: 'registry', code: 'registry.server_errors', confidence: 'high' },
    withoutLog: { category: 'registry', code: 'registry.server_errors', confidence: 'high' },
  },
  {
    name: 'http-401-blob-upload',
    description:
      'Mid-push, the registry answers a blob upload PATCH with 401 and a Bearer challenge (a token that stopped being accepted); docker 20.10 retries it and the push succeeds.',
    rules: (realm) => [
      {
        method: 'PATCH',
        path: UPLOADS,
        count: 1,
        status: 401,
        challenge: `Bearer realm="${realm}",service="gcr.io",scope="repository:proj/app:push,pull"`,
      },
    ],
    // First written as exit 1 with docker printing "unauthorized"; the first run showed docker 20.10
    // retrying the upload, so the refusal is the cause of the retry, in the daemon's log only.
    exit: 0,
    // The daemon states "unauthorized: authentication required" for the one retry: stated, covering it.
    withLog: { category: 'auth', code: 'auth.unauthorized', confidence: 'high' },
    withoutLog: { category: 'unknown', code: 'push.cause_unknown', confidence: 'low' },
  },
];

interface ReportJson {
  verdict: { healthy: boolean; headline: string; category?: string; code?: string };
  findings: Array<{ code: string; confidence: string; basis?: string; cleared?: boolean }>;
}

describeWithPrereqs(
  'registry-side HTTP faults answered to a real docker push',
  [...WORLD_PREREQS, 'dockerd', 'docker', 'tar'],
  () => {
    const w = useDockerWorld('http-faults');

    for (const s of SCENARIOS) {
      for (const withLog of [true, false]) {
        const expected = withLog ? s.withLog : s.withoutLog;
        const name = `${s.name}-${withLog ? 'daemon-log' : 'no-daemon-log'}`;
        it(`${name}: ${expected.code}, ${expected.confidence} confidence`, async () => {
          const ref = `gcr.io/proj/app:${name}`;
          await w.docker.importImage(ref, 12 * MB);
          await w.docker.login(WORLD_CREDENTIALS.pusher);
          const proxy = w.world.proxy('gcr.io');
          await proxy.set({ http: s.rules(w.world.realm) });
          await proxy.clearStats();
          try {
            const flags = ['--plain', '--daemon-log', withLog ? w.docker.logFile : 'none'];
            const { run, log, events } = await w.wrapPush(ref, flags);
            expect(run.code, run.stderr).toBe(s.exit);
            expect((await proxy.stats()).http.length).toBeGreaterThan(0);
            const start = eventsOf(events, 'session.start')[0]!;
            expect(start.options.daemonLogSource).toEqual(
              withLog
                ? { kind: 'file', path: w.docker.logFile }
                : { kind: 'none', reason: 'turned off with --daemon-log none' },
            );
            const report = await runGcrwatch(['report', log, '--format', 'json']);
            expect(report.code, report.stderr).toBe(0);
            const said = JSON.parse(report.stdout) as ReportJson;
            const top = said.findings.find((f) => f.code === said.verdict.code);
            const why = JSON.stringify({
              findings: said.findings.map((f) => [f.code, f.confidence, f.cleared ?? false]),
              causes: eventsOf(events, 'push.retry').map((r) => [r.cause, r.causeCode]),
            });
            expect(
              { category: said.verdict.category, code: said.verdict.code, confidence: top?.confidence },
              why,
            ).toEqual(expected);
            if (process.env.UPDATE_SCENARIOS)
              keep(
                name,
                `${s.description} ${withLog ? 'With' : 'Without'} the daemon's log.`,
                log,
                expected,
                s.withLog.category,
              );
          } finally {
            await proxy.set({});
          }
        }, 180_000);
      }
    }
  },
);

/** Keep a captured run in the corpus: its session log and what it must conclude. */
function keep(name: string, description: string, log: string, top: Verdict, cause: string): void {
  const dir = path.join(SCENARIO_DIR, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'session.ndjson'), readFileSync(log));
  const expectation = {
    description,
    source: 'captured by test/e2e/http-faults-push.test.ts from a real docker push',
    codes: [top.code],
    top,
    cause,
  };
  writeFileSync(path.join(dir, 'expected.json'), `${JSON.stringify(expectation, null, 2)}\n`);
}

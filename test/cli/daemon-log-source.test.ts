/**
 * The wrapper finds the daemon's log by itself and records which source it used, or why none,
 * in session.start (issue 17): `--daemon-log none` turns the search off, a remote DOCKER_HOST
 * is named, a file given is the source. `report` then says "the daemon's log was not read"
 * beside a low-confidence verdict.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBuilt, readLog, runGcrwatch } from '../support/wrap-cli.js';

let dir: string;
let runs = 0;
beforeAll(() => ensureBuilt(), 120_000);
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-dls-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Wrap `true` (no probing to speak of) and return the recorded source. */
async function sourceOf(flags: string[], env: NodeJS.ProcessEnv = process.env): Promise<unknown> {
  const log = path.join(dir, `s${++runs}.ndjson`);
  const run = await runGcrwatch(
    ['--only', '--target', '127.0.0.1:9', '--interval', '1h', '--log', log, ...flags, '--', 'true'],
    {
      env,
    },
  );
  expect(run.code, run.stderr).toBe(0);
  const start = readLog(log)[0]!;
  return start.type === 'session.start' ? start.options.daemonLogSource : undefined;
}

describe('the daemon log source of a wrapped push', () => {
  it('is recorded: turned off, a file given, a remote daemon', async () => {
    expect(await sourceOf(['--daemon-log', 'none'])).toEqual({
      kind: 'none',
      reason: 'turned off with --daemon-log none',
    });
    const file = path.join(dir, 'dockerd.log');
    writeFileSync(file, '');
    expect(await sourceOf(['--daemon-log', file])).toEqual({ kind: 'file', path: file });
    expect(await sourceOf([], { ...process.env, DOCKER_HOST: 'tcp://192.0.2.7:2376' })).toEqual({
      kind: 'none',
      reason:
        'the docker daemon is remote (DOCKER_HOST tcp://192.0.2.7:2376): its log is on that machine (`journalctl -u docker.service` there)',
    });
  });

  it('report says the daemon log was not read beside a low-confidence verdict', async () => {
    const scenario = path.join(import.meta.dirname, '..', 'scenarios', 'retries-no-cause', 'session.ndjson');
    const run = await runGcrwatch(['report', scenario, '--format', 'md']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      "**Cause unknown (push.cause_unknown, low confidence).** The cause is unknown: 2 retries while every probe of gcr.io was healthy; docker did not say why. The daemon's log was not read (turned off with --daemon-log none).",
    );
  });
});

/**
 * End to end: the dashboard while gcrwatch wraps a push, in a real terminal (tmux) at
 * 120x40. The push is a stand-in `docker` on PATH.
 * - Replaying, line by line, a transcript recorded from the real docker CLI (two retries),
 *   each line once gcrwatch logged the one before, then waiting like a long push: the push panel, both retries on the marker row, `q` stops
 *   the push as Ctrl-C would (the command gets SIGINT and gcrwatch ends with its status), and
 *   the restored terminal with the push's story on it.
 * - Printing docker's refusal and exiting 1, under `--stay`: the dashboard stays with the
 *   push's end on it, `q` leaves, then the story (refusal, summary, verdict) and exit 1.
 * Everything stays on loopback: the image goes to a registry address on 127.0.0.1.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTIFACTS_ROOT,
  checkTerminalPrerequisites,
  GCRWATCH_BIN,
  startTmux,
  tmuxTestRuns,
  type TmuxTerminal,
} from '../support/tmux.js';
import { FIXTURES } from '../support/transcripts.js';

const ARTIFACTS = path.join(ARTIFACTS_ROOT, 'tui-wrap');
const REFUSAL = 'denied: Permission "artifactregistry.repositories.uploadArtifacts" denied on resource';

/** A terminal running `gcrwatch FLAGS -- docker push ENDPOINT/REPO` with a stand-in docker. */
interface WrapTerminal {
  dir: string;
  term: TmuxTerminal;
  endpoint: string;
  /** The shell's `EXIT=N` once gcrwatch ended (waits up to 15 s), else undefined. */
  exited(): Promise<string | undefined>;
  /** Whether the dashboard's alternate screen is up. */
  alternate(): boolean;
}

/**
 * Before the block: a loopback registry address (accepts and closes, so probes and checks fail
 * fast), the stand-in `docker` made by `dockerScript(endpoint)`, and the terminal. After: all gone.
 */
function useWrapTerminal(repo: string, flags: string[], dockerScript: (endpoint: string, dir: string) => string) {
  const t = {} as WrapTerminal;
  let registry: Server;
  beforeAll(async () => {
    checkTerminalPrerequisites();
    t.dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-tmux-wrap-'));
    registry = createServer((s) => s.destroy());
    await new Promise<void>((r) => registry.listen(0, '127.0.0.1', r));
    t.endpoint = `127.0.0.1:${(registry.address() as { port: number }).port}`;
    const docker = path.join(t.dir, 'docker');
    writeFileSync(docker, dockerScript(t.endpoint, t.dir));
    chmodSync(docker, 0o755);
    const exitFile = path.join(t.dir, 'exit');
    const inner = [
      `cd ${JSON.stringify(t.dir)}`,
      `env -u CI -u CONTINUOUS_INTEGRATION -u FORCE_COLOR TERM=xterm-256color HOME=${JSON.stringify(t.dir)} XDG_STATE_HOME=${JSON.stringify(t.dir)} PATH=${JSON.stringify(`${t.dir}:${process.env.PATH}`)} node ${JSON.stringify(GCRWATCH_BIN)} ${flags.join(' ')} --only --target ${t.endpoint} --interval 1s -- docker push ${t.endpoint}/${repo}`,
      `echo "EXIT=$?" > ${JSON.stringify(exitFile)}`,
      'sleep 120',
    ].join('; ');
    t.term = startTmux(inner, { columns: 120, rows: 40, artifacts: ARTIFACTS });
    t.exited = async () => {
      const until = Date.now() + 15_000;
      while (!existsSync(exitFile) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
      return existsSync(exitFile) ? readFileSync(exitFile, 'utf8').trim() : undefined;
    };
    t.alternate = () => t.term.tmux('display', '-p', '-t', 'main', '#{alternate_on}').trim() === '1';
  });
  afterAll(async () => {
    t.term?.kill();
    await new Promise((r) => registry?.close(r));
    if (t.dir) rmSync(t.dir, { recursive: true, force: true });
  });
  return t;
}

describe.runIf(tmuxTestRuns('the tmux wrap test'))('gcrwatch -- docker push, with the dashboard', () => {
  const t = useWrapTerminal(
    'proj/retry:v1',
    [],
    // Each line 250 ms after gcrwatch logged the one before: a gcrwatch slowed by a loaded machine
    // must not read both retries (5 lines apart) at once, which puts them in one round's column.
    (_endpoint, dir) => `#!${process.execPath}
const fs = require('fs');
const path = require('path');
const lines = fs.readFileSync(${JSON.stringify(path.join(FIXTURES, 'docker28-retry-2.stdout'))}, 'utf8').split('\\n').filter(Boolean);
const sessions = ${JSON.stringify(path.join(dir, 'gcrwatch', 'sessions'))};
const logged = () => {
  try {
    return fs.readdirSync(sessions).reduce((n, f) => n + fs.readFileSync(path.join(sessions, f), 'utf8').split('"type":"push.output"').length - 1, 0);
  } catch { return 0; }
};
process.on('SIGINT', () => process.exit(130));
let i = 0;
let seenAt;
const timer = setInterval(() => {
  if (i >= lines.length) { clearInterval(timer); setInterval(() => undefined, 1000); return; }
  if (seenAt === undefined && logged() >= i) seenAt = Date.now();
  if (seenAt !== undefined && Date.now() - seenAt >= 250) { console.log(lines[i++]); seenAt = undefined; }
}, 50);
`,
  );

  it('shows the push and its retries, and q stops the push', async () => {
    const screen = await t.term.waitFor(
      'both retries on the marker row',
      (s) => /^ push .*1.*2/m.test(s) && /push retry #2/.test(s),
      20_000,
    );
    t.term.capture('01-wrap-retries');
    expect(screen).toContain(`push docker push ${t.endpoint}/proj/retry:v1`);
    expect(screen).toMatch(/999fb587b9e4 \S+ r2/);
    expect(screen).toMatch(/^> \S+ +\*127\.0\.0\.1:\d+ /m);
    const marker = screen.split('\n').find((l) => l.startsWith(' push '))!;
    expect(marker.indexOf('S')).toBeLessThan(marker.indexOf('1'));
    expect(marker.indexOf('1')).toBeLessThan(marker.indexOf('2'));

    t.term.tmux('send-keys', '-t', 'main', 'q');
    expect(await t.exited()).toBe('EXIT=130');
    await new Promise((r) => setTimeout(r, 300));
    const after = t.term.capture('02-after-quit');
    expect(t.term.tmux('display', '-p', '-t', 'main', '#{alternate_on} #{cursor_flag}').trim()).toBe('0 1');
    // The story of the push on the normal screen: its output, the summary, the verdict.
    expect(after).toMatch(/^999fb587b9e4: Retrying in \d+ seconds?( \(counted down to \d+\))?$/m);
    expect(after).toMatch(/^ {2}command {2}docker push 127\.0\.0\.1:\d+\/proj\/retry:v1 {2}\(exit 130, /m);
    expect(after).toMatch(/^ {2}retries {2}2$/m);
    // Both retries came while the registry's TLS failed; docker has no credential for it
    // either, but that is not what the push was failing on yet: it comes second.
    expect(after).toMatch(/^verdict: Network \(network\.retries_with_probe_trouble/m);
    expect(after).toMatch(/^\d\. \[auth, high confidence\] Docker has no credential for 127\.0\.0\.1:\d+/m);
  }, 60_000);
});

describe.runIf(tmuxTestRuns('the tmux --stay test'))('gcrwatch --stay -- docker push', () => {
  const t = useWrapTerminal('proj/refused:v1', ['--stay'], (endpoint, dir) => {
    // A login for the registry (a plain user and password: nothing to ask Google about).
    mkdirSync(path.join(dir, '.docker'));
    const auth = Buffer.from('builder:secret').toString('base64');
    writeFileSync(path.join(dir, '.docker', 'config.json'), JSON.stringify({ auths: { [endpoint]: { auth } } }));
    return `#!/bin/sh
echo "The push refers to repository [${endpoint}/proj/refused]"
echo "5f70bf18a086: Preparing"
sleep 1
echo '${REFUSAL} "projects/proj/locations/us/repositories/refused"' >&2
exit 1
`;
  });

  it('stays after the push ends, leaves on q, then prints the story and exits with its status', async () => {
    // The push ended (the dashboard says how), and the dashboard is still up.
    const stayed = await t.term.waitFor(
      'the ended push on the dashboard',
      (s) => /exit 1/.test(s) && t.alternate(),
      30_000,
    );
    t.term.capture('03-stayed');
    expect(stayed).toMatch(/^gcrwatch /m);
    // It stays: a while later, gcrwatch still runs.
    await new Promise((r) => setTimeout(r, 2000));
    expect(existsSync(path.join(t.dir, 'exit'))).toBe(false);
    expect(t.alternate()).toBe(true);

    t.term.tmux('send-keys', '-t', 'main', 'q');
    expect(await t.exited()).toBe('EXIT=1');
    expect(t.alternate()).toBe(false);
    const story = t.term.tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'main');
    writeFileSync(path.join(ARTIFACTS, '04-after-stay.txt'), story);
    const at = (s: string) => story.indexOf(s);
    expect(at(REFUSAL)).toBeGreaterThanOrEqual(0);
    expect(story).toMatch(/^ {2}command {2}docker push 127\.0\.0\.1:\d+\/proj\/refused:v1 {2}\(exit 1, /m);
    expect(story).toMatch(/^verdict: Credentials \(auth\.push_denied, /m);
    expect(story).toContain('roles/artifactregistry.writer');
    expect(at(REFUSAL)).toBeLessThan(at('push summary'));
    expect(at('push summary')).toBeLessThan(at('verdict: '));
  }, 60_000);
});

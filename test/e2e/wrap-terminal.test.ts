/**
 * The moment of truth of wrapping (issue 13): `gcrwatch -- docker push IMAGE` in a real
 * terminal (tmux), inside the simulated gcr.io of shared/world.md, with a real dockerd pushing
 * through the world's resolver, TLS, fault proxy and docker-registry. When gcrwatch exits, the
 * terminal must hold what docker printed, the push summary and the verdict with its next step,
 * and the shell must get docker's exit status. Screens are kept under test-artifacts/wrap-terminal/.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { describeWithPrereqs } from '../peers/prereqs.js';
import { WORLD_CREDENTIALS, WORLD_PREREQS } from '../peers/world.js';
import { useDockerWorld } from '../support/docker-world.js';
import { ARTIFACTS_ROOT, GCRWATCH_BIN, startTmux, type TmuxTerminal } from '../support/tmux.js';
import { eventsOf, readLog } from '../support/wrap-cli.js';

const MB = 1 << 20;
const ARTIFACTS = path.join(ARTIFACTS_ROOT, 'wrap-terminal');
const REFUSAL = 'denied: Permission "artifactregistry.repositories.uploadArtifacts" denied';

/** A value in single quotes for sh. */
function sh(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

describeWithPrereqs(
  'a wrapped docker push in a terminal, in the simulated world',
  [...WORLD_PREREQS, 'dockerd', 'docker', 'tar', 'tmux'],
  () => {
    const w = useDockerWorld('wrap-tty');
    let term: TmuxTerminal | undefined;
    let dir: string | undefined;
    afterEach(() => {
      term?.kill();
      term = undefined;
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    });

    /**
     * Start `gcrwatch FLAGS -- docker push REF` in a tmux terminal of `size`, inside the world's
     * namespace, with the dashboard's usual environment (a TERM, no CI). `exited()` waits for
     * gcrwatch to end and resolves with the status the shell saw.
     */
    function wrapInTerminal(ref: string, flags: string[], size: { columns: number; rows: number }) {
      dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-wrap-tty-'));
      const log = path.join(dir, 'session.ndjson');
      const exitFile = path.join(dir, 'exit');
      const env = w.world.env({ ...w.docker.vars, HOME: dir, TERM: 'xterm-256color' });
      const exports = ['NODE_EXTRA_CA_CERTS', 'DOCKER_HOST', 'DOCKER_CONFIG', 'HOME', 'TERM', 'PATH']
        .map((k) => `export ${k}=${sh(env[k] ?? '')}`)
        .join('\n');
      const script = path.join(dir, 'run.sh');
      writeFileSync(
        script,
        `${exports}
unset CI CONTINUOUS_INTEGRATION FORCE_COLOR HTTPS_PROXY https_proxy HTTP_PROXY http_proxy NO_PROXY no_proxy
cd ${sh(dir)}
ip netns exec ${sh(w.world.name)} ${sh(process.execPath)} ${sh(GCRWATCH_BIN)} ${flags.map(sh).join(' ')} --log ${sh(log)} -- docker push ${sh(ref)}
echo "EXIT=$?" > ${sh(exitFile)}
sleep 600
`,
      );
      term = startTmux(`sh ${sh(script)}`, { ...size, artifacts: ARTIFACTS });
      const t = term;
      return {
        term: t,
        log,
        async exited(timeoutMs = 150_000): Promise<number> {
          const until = Date.now() + timeoutMs;
          while (!existsSync(exitFile) && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
          const text = existsSync(exitFile) ? readFileSync(exitFile, 'utf8') : '';
          const m = /^EXIT=(\d+)/.exec(text);
          if (!m) throw new Error(`gcrwatch did not end in time; screen:\n${t.capture()}`);
          return Number(m[1]);
        },
        /** The terminal's visible screen with wrapped lines joined (a long line reads as one). */
        screen(name: string): string {
          const text = t.tmux('capture-pane', '-p', '-J', '-t', 'main');
          writeFileSync(path.join(ARTIFACTS, `${name}.txt`), text);
          return text;
        },
        /** Everything the terminal holds: its scrollback and the screen, wrapped lines joined. */
        history(name: string): string {
          const text = t.tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'main');
          writeFileSync(path.join(ARTIFACTS, `${name}.txt`), text);
          return text;
        },
      };
    }

    /** The story of a refused push: docker's refusal, the summary, the verdict with the role, in that order. */
    function expectRefusalStory(text: string, ref: string, prefix = ''): void {
      const p = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      expect(text).toContain(REFUSAL);
      expect(text).toMatch(new RegExp(`^${p}push summary$`, 'm'));
      expect(text).toMatch(
        new RegExp(`^${p} {2}command {2}docker push ${ref.replace(/[./]/g, '\\$&')} {2}\\(exit 1, `, 'm'),
      );
      expect(text).toMatch(
        new RegExp(`^${p} {2}error {4}push\\.denied \\(auth, docker does not retry it\\): denied: Permission`, 'm'),
      );
      expect(text).toMatch(
        new RegExp(`^${p}verdict: Credentials \\(auth\\.push_denied, high confidence\\)\\. The registry refuses`, 'm'),
      );
      expect(text).toMatch(
        new RegExp(`^${p}next step: Grant .* push rights on the repository: role roles/artifactregistry\\.writer`, 'm'),
      );
      const at = (s: string) => text.indexOf(s);
      expect(at(REFUSAL)).toBeLessThan(at(`${prefix}push summary`));
      expect(at(`${prefix}push summary`)).toBeLessThan(at(`${prefix}verdict: `));
      expect(text).not.toMatch(/error +none/);
    }

    it("a refused push at 120x40: the screen holds docker's refusal, the push summary, the verdict with the role to grant; docker's status", async () => {
      const ref = 'gcr.io/proj/refused-tty:v1';
      await w.docker.importImage(ref, MB);
      await w.docker.login(WORLD_CREDENTIALS.denied);
      const run = wrapInTerminal(ref, [], { columns: 120, rows: 40 });
      const code = await run.exited();
      const screen = run.screen('refused-120x40');
      // docker's own status, passed through: the one the log records for the push.
      expect(code).toBe(1);
      expect(eventsOf(readLog(run.log), 'push.end')[0]).toMatchObject({ exitCode: 1 });
      expect(run.term.tmux('display', '-p', '-t', 'main', '#{alternate_on}').trim()).toBe('0');
      expectRefusalStory(screen, ref);
    }, 180_000);

    it('the same at 80x24: the verdict and the role on the screen, the whole story in the scrollback', async () => {
      const ref = 'gcr.io/proj/refused-small:v1';
      await w.docker.importImage(ref, MB);
      await w.docker.login(WORLD_CREDENTIALS.denied);
      const run = wrapInTerminal(ref, [], { columns: 80, rows: 24 });
      expect(await run.exited()).toBe(1);
      const screen = run.screen('refused-80x24');
      expect(screen).toMatch(/^verdict: Credentials \(auth\.push_denied, high confidence\)\. /m);
      expect(screen).toContain('roles/artifactregistry.writer');
      expectRefusalStory(run.history('refused-80x24-scrollback'), ref);
    }, 180_000);

    it('the same with --plain: the refusal, the summary, then the verdict and its next step, last', async () => {
      const ref = 'gcr.io/proj/refused-plain:v1';
      await w.docker.importImage(ref, MB);
      await w.docker.login(WORLD_CREDENTIALS.denied);
      const run = wrapInTerminal(ref, ['--plain'], { columns: 120, rows: 40 });
      expect(await run.exited()).toBe(1);
      const screen = run.screen('refused-plain-120x40');
      expect(screen).toMatch(/^gcrwatch: verdict: Credentials \(auth\.push_denied, high confidence\)\. /m);
      expect(screen).toContain('roles/artifactregistry.writer');
      const history = run.history('refused-plain-scrollback');
      expectRefusalStory(history, ref, 'gcrwatch: ');
      // One credential for the seven default hosts: one line, its warning said once.
      const dockerLines = history.split('\n').filter((l) => / auth docker /.test(l));
      expect(dockerLines).toHaveLength(1);
      expect(dockerLines[0]).toMatch(
        /auth docker {3}7 hosts \(gcr\.io, us\.gcr\.io, .*\) .*denied@proj\.iam\.gserviceaccount\.com/,
      );
      expect(dockerLines[0]!.match(/auth\.short_lived/g)).toHaveLength(1);
    }, 180_000);

    it('a push that retries twice and succeeds, at 120x40: its output live in the dashboard, then the retries and their causes', async () => {
      await w.docker.importImage('gcr.io/proj/flaky-tty:v1', 12 * MB);
      await w.docker.login(WORLD_CREDENTIALS.pusher);
      const proxy = w.world.proxy('gcr.io');
      await proxy.set({ resetLarge: { bytes: MB, count: 2 } });
      try {
        const run = wrapInTerminal('gcr.io/proj/flaky-tty:v1', ['--daemon-log', w.docker.logFile], {
          columns: 120,
          rows: 40,
        });
        // While it runs: docker's own lines in the dashboard's push panel.
        const live = await run.term.waitFor(
          "docker's countdown in the push panel",
          (s) => /\| [0-9a-f]{12}: Retrying in \d+ seconds?/.test(s),
          90_000,
        );
        writeFileSync(path.join(ARTIFACTS, 'flaky-live-120x40.txt'), live);
        expect(live).toMatch(/push docker push gcr\.io\/proj\/flaky-tty:v1/);
        const code = await run.exited();
        const screen = run.screen('flaky-after-120x40');
        expect(code).toBe(0);
        expect(screen).toMatch(/^ {2}command {2}docker push gcr\.io\/proj\/flaky-tty:v1 {2}\(exit 0, /m);
        expect(screen).toMatch(/^ {2}retries {2}2$/m);
        const causes = [...screen.matchAll(/attempt (\d), wait (\d+)s {2}cause: (.*)$/gm)].map((m) => [
          m[1],
          m[2],
          m[3],
        ]);
        expect(causes.map(([a, wait]) => [a, wait])).toEqual([
          ['1', '5'],
          ['2', '10'],
        ]);
        for (const [, , cause] of causes)
          expect(cause).toMatch(/connection reset by peer|use of closed network connection/);
        expect(screen).toMatch(/: Pushed$/m);
        expect(screen).toMatch(/^ {2}digest {3}v1 sha256:[0-9a-f]{64}/m);
        expect(screen).toMatch(/^verdict: /m);
      } finally {
        await proxy.set({});
      }
    }, 180_000);
  },
);

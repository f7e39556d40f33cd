/**
 * The first run behind a resolver that knows no public names (issue 13 §2): in the simulated
 * world, the world's resolver answers NXDOMAIN for every name. `doctor`, `--plain` and
 * `report` (on the session that `--plain` logged) must blame this machine's resolver, name it
 * (127.0.0.53, from the namespace's /etc/resolv.conf) and never say "spelling"; the dashboard's
 * header (tmux) says the same. Then, with the world's names back, a host the user typed that
 * does not exist gets "did you mean" when it is a typo of Google's, the spelling advice else.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithPrereqs } from '../peers/prereqs.js';
import { createWorld, WORLD_PREREQS, type World } from '../peers/world.js';
import { BIN } from '../support/run-cli.js';
import { ARTIFACTS_ROOT, checkTerminalPrerequisites, startTmux } from '../support/tmux.js';

const RESOLVER =
  /The resolver knows no public names: the system resolver \(127\.0\.0\.53, from \/etc\/resolv\.conf\) answers that gcr\.io, [^ ]+, [^ ]+ and \d more do not exist \(NXDOMAIN\), though they are Google's hosts/;

describeWithPrereqs(
  'a first run behind a resolver that answers NXDOMAIN for every name',
  [...WORLD_PREREQS, 'tmux'],
  () => {
    let world: World;
    let dir: string;
    beforeAll(async () => {
      world = await createWorld();
      dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-e2e-offline-'));
      await world.dns.setFallback({ kind: 'nxdomain' });
      for (const host of world.hosts) await world.dns.set(host.name, { kind: 'nxdomain' });
    }, 120_000);
    afterAll(async () => {
      await world?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('doctor blames the resolver, by its address, and exits 1', async () => {
      const run = await world.run('node', [BIN, 'doctor']);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stdout).toMatch(new RegExp(`^1\\. \\[local, high confidence\\] ${RESOLVER.source}`, 'm'));
      expect(run.stdout).toContain('next step: Connect this machine to a network first');
      expect(run.stdout).toContain('`gcrwatch --dns-server 8.8.8.8`');
      expect(run.stdout).toMatch(
        /verdict: \d problem\(s\) found; the most likely cause is local \(local\.resolver\)$/m,
      );
      expect(run.stdout).not.toMatch(/spelling/i);
    }, 60_000);

    it('--plain ends with the verdict and its next step, and report on its log says the same', async () => {
      const log = path.join(dir, 'offline.ndjson');
      const plain = await world.run('node', [BIN, '--plain', '--rounds', '3', '--interval', '1s', '--log', log]);
      const lines = plain.stdout.trim().split('\n');
      expect(lines.at(-2)).toMatch(
        new RegExp(`^verdict: This machine \\(local\\.resolver, high confidence\\)\\. ${RESOLVER.source}`),
      );
      expect(lines.at(-1)).toMatch(
        /^next step: Connect this machine to a network first .*gcrwatch --dns-server 8\.8\.8\.8/,
      );
      expect(plain.stdout).not.toMatch(/spelling/i);

      const md = path.join(dir, 'offline.md');
      const report = await world.run('node', [BIN, 'report', log, '-o', md]);
      expect(report.code, report.stderr).toBe(0);
      const text = readFileSync(md, 'utf8');
      expect(text).toMatch(
        new RegExp(`\\*\\*This machine \\(local\\.resolver, high confidence\\)\\.\\*\\* ${RESOLVER.source}`),
      );
      expect(text).not.toMatch(/spelling/i);
    }, 60_000);

    it("the dashboard's header says it in a real terminal", async () => {
      checkTerminalPrerequisites();
      const inner = `ip netns exec ${world.name} env -u CI -u CONTINUOUS_INTEGRATION TERM=xterm-256color NODE_EXTRA_CA_CERTS=${JSON.stringify(world.caFile)} XDG_STATE_HOME=${JSON.stringify(dir)} node ${JSON.stringify(BIN)} --interval 1s; sleep 60`;
      const term = startTmux(inner, { columns: 100, rows: 30, artifacts: path.join(ARTIFACTS_ROOT, 'offline') });
      try {
        const screen = await term.waitFor(
          'the resolver verdict in the header',
          (s) => /^This machine: /.test(s.split('\n')[1] ?? ''),
          30_000,
        );
        term.capture('header');
        expect(screen.split('\n')[1]).toMatch(/^This machine: The resolver knows no public names: the system resolver/);
        expect(screen).not.toMatch(/spelling/i);
      } finally {
        term.kill();
      }
    }, 60_000);

    it('with the names back, a host the user typed that does not exist gets the spelling advice', async () => {
      for (const host of world.hosts) await world.dns.set(host.name, { kind: 'answer', a: [host.address] });
      const run = await world.run('node', [BIN, 'doctor', '--target', 'eu-gcr.io']);
      expect(run.code).toBe(1);
      // A typo of a Google host is named; another name gets the spelling advice.
      expect(run.stdout).toContain('eu-gcr.io does not exist: did you mean eu.gcr.io?');
      const other = await world.run('node', [BIN, 'doctor', '--target', 'registry.example']);
      expect(other.stdout).toContain(
        "next step: The name registry.example does not exist while Google's hosts resolve: check the spelling of the registry host",
      );
      expect(run.stdout).not.toContain('local.resolver');
      expect(run.stdout).toMatch(/the most likely cause is network \(network\.endpoint_failing\)$/m);
    }, 60_000);
  },
);

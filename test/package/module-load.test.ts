/**
 * What each command loads: the monitor, the wrapper, doctor, report and replay never load the
 * demo or the simulated servers (dist/demo, dist/sim), which only `--demo` needs; `--version`,
 * `--help` and the monitor load no other command's runner and no zod, which only reading a
 * session log or a configuration file needs (start-up, bench/startup.mjs). Every module the
 * built CLI loads is recorded by test/support/record-modules.mjs; the runs are made in a
 * network namespace of their own (loopback only), so nothing they try leaves the machine.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createNamespace, deleteNamespace, inNamespace, newNamespaceName } from '../peers/netns.js';
import { describeWithPrereqs } from '../peers/prereqs.js';
import { BIN } from '../support/run-cli.js';
import { ensureBuilt } from '../support/wrap-cli.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const RECORDER = path.join(ROOT, 'test/support/record-modules.mjs');
const LOG = path.join(ROOT, 'test/scenarios/healthy/session.ndjson');
/** A loopback port nothing listens on: every probe is refused at once. */
const NOBODY = '127.0.0.1:9';
const QUICK = ['--only', '--target', NOBODY, '--timeout', '1s', '--no-log'];

describeWithPrereqs('modules loaded by each command', ['root', 'netns'], () => {
  let ns: string;
  let dir: string;

  beforeAll(async () => {
    ensureBuilt();
    ns = newNamespaceName();
    await createNamespace(ns, []);
    dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-modules-'));
  }, 120_000);
  afterAll(async () => {
    if (ns) await deleteNamespace(ns);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Run gcrwatch with `args` in the namespace; resolves with the modules it loaded, relative to the project. */
  async function loaded(
    name: string,
    args: string[],
    extraEnv: NodeJS.ProcessEnv = {},
  ): Promise<{ modules: string[]; code: number | null }> {
    const file = path.join(dir, `${name}.txt`);
    const [command, argv] = inNamespace(ns, process.execPath, ['--import', RECORDER, BIN, ...args]);
    const env = { PATH: process.env.PATH, HOME: dir, GCRWATCH_TEST_MODULES: file, XDG_STATE_HOME: dir, ...extraEnv };
    // In the temporary directory, where no ./gcrwatch.json is: a configuration file is read only when a test writes one.
    const child = spawn(command, argv, { env, cwd: dir, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    clearTimeout(timer);
    const urls = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const prefix = `file://${ROOT}/`;
    return { code, modules: [...new Set(urls.filter((u) => u.startsWith(prefix)).map((u) => u.slice(prefix.length)))] };
  }

  const demoOrSim = (modules: string[]) => modules.filter((m) => /^dist\/(demo|sim)\//.test(m));

  it.each([
    ['monitor', ['--plain', '--rounds', '1', ...QUICK]],
    ['json monitor', ['--json', '--rounds', '1', ...QUICK]],
    ['wrapper', ['--plain', ...QUICK, '--', 'true']],
    ['doctor', ['doctor', '--rounds', '1', ...QUICK]],
    ['report', ['report', LOG, '--format', 'html']],
    ['replay', ['replay', LOG, '--speed', '1000', '--plain']],
  ])(
    '%s loads no demo or simulator module',
    async (name, args) => {
      const { modules, code } = await loaded(name.replace(/ /g, '-'), args);
      expect(code, `${name} exited`).not.toBeNull();
      // The run reached the command itself, not just the argument parser.
      expect(modules.some((m) => m.startsWith('dist/core/'))).toBe(true);
      expect(demoOrSim(modules)).toEqual([]);
    },
    60_000,
  );

  /** Modules only other commands, session logs or configuration files need. */
  const notForStartUp = (modules: string[]) =>
    modules.filter(
      (m) =>
        m.startsWith('node_modules/zod/') ||
        /^dist\/(cli|core)\/(report|replay|sessions|doctor)\//.test(m) ||
        /^dist\/core\/log\/(session-summary|event-schema|ndjson-reader)\.js$/.test(m) ||
        /^dist\/cli\/(config-schema|config-print|wrap|demo)\.js$/.test(m),
    );

  it.each([
    ['version', ['--version']],
    ['help', ['--help']],
    ['lean monitor', ['--plain', '--rounds', '1', ...QUICK]],
  ])(
    '%s loads no zod, no session-log reader and no other command',
    async (name, args) => {
      const { modules, code } = await loaded(name.replace(/ /g, '-'), args);
      expect(code, `${name} exited`).not.toBeNull();
      expect(modules).toContain('dist/cli/main.js');
      expect(notForStartUp(modules)).toEqual([]);
    },
    60_000,
  );

  it('report and a configuration file do load zod, one copy (the recording sees what it should)', async () => {
    const { modules: report } = await loaded('report-zod', ['report', LOG, '--format', 'json']);
    expect(report).toEqual(expect.arrayContaining(['dist/core/log/event-schema.js', 'dist/core/report/collect.js']));
    const config = path.join(dir, 'config', 'gcrwatch');
    mkdirSync(config, { recursive: true });
    writeFileSync(path.join(config, 'config.json'), JSON.stringify({ rounds: 1, interval: '1s' }));
    const { modules: monitor } = await loaded('configured-monitor', ['--plain', ...QUICK], {
      XDG_CONFIG_HOME: path.join(dir, 'config'),
    });
    expect(monitor).toContain('dist/cli/config-schema.js');
    for (const modules of [report, monitor]) {
      const zod = modules.filter((m) => m.startsWith('node_modules/zod/'));
      expect(zod).toContain('node_modules/zod/v4/classic/schemas.js');
      // zod 3's API (node_modules/zod/v3, loaded through zod/index.js) would be a second copy.
      expect(zod.filter((m) => !m.startsWith('node_modules/zod/v4/'))).toEqual([]);
    }
  }, 60_000);

  it('--demo does load them (the recording sees what it should)', async () => {
    const { modules } = await loaded('demo', ['--demo', '--plain', '--duration', '2s', '--no-log']);
    expect(modules).toEqual(expect.arrayContaining(['dist/demo/world.js', 'dist/sim/pki.js', 'dist/sim/der.js']));
    // CommonJS loads are seen too (dns-packet, required by the demo's DNS server).
    expect(modules.some((m) => m.startsWith('node_modules/dns-packet/'))).toBe(true);
    // Nor does the demo load the simulated parts only tests use.
    expect(modules.filter((m) => /^dist\/sim\/(index|mdns-responder|oauth-server)\.js$/.test(m))).toEqual([]);
  }, 60_000);
});

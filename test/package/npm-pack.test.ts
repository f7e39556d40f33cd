/**
 * Installing as users install: `npm pack`, then `npm install -g --prefix DIR` of the tarball,
 * and the installed `gcrwatch` runs from outside the source tree. Only what is needed ships.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
let dir: string;
let installed: string;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function run(
  command: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {},
): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: opts.cwd ?? dir, env: opts.env ?? process.env, timeout: opts.timeout ?? 120_000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** A user's environment: a fresh HOME, no source tree around, the installed bin on PATH. */
function userEnv(): NodeJS.ProcessEnv {
  return {
    PATH: `${path.join(dir, 'prefix', 'bin')}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
    HOME: path.join(dir, 'home'),
    LANG: 'C.UTF-8',
  };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-pack-'));
  // --ignore-scripts: `npm test` has just built dist/ (pretest); a rebuild by `prepare` here would
  // rewrite dist/ under the feet of the other test files running at the same time.
  const packed = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, '--silent'], {
    cwd: ROOT,
    timeout: 180_000,
  });
  expect(packed.code, packed.stderr).toBe(0);
  const tarball = path.join(dir, `${pkg.name}-${pkg.version}.tgz`);
  // --prefer-offline: the dependencies come from npm's cache when `npm ci` filled it.
  const install = await run(
    'npm',
    ['install', '-g', '--prefix', path.join(dir, 'prefix'), '--prefer-offline', '--no-audit', '--no-fund', tarball],
    { timeout: 300_000 },
  );
  expect(install.code, install.stderr).toBe(0);
  installed = path.join(dir, 'prefix', 'bin', 'gcrwatch');
}, 420_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('ships the built program, its README and the docs it links to, and no sources, tests or source maps', async () => {
    const listed = await run('tar', ['-tzf', path.join(dir, `${pkg.name}-${pkg.version}.tgz`)]);
    const files = listed.stdout
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''));
    expect(files).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'docs/usage.md', 'bin/gcrwatch', 'dist/cli/main.js']),
    );
    const stray = files.filter(
      (f) =>
        !/^(package\.json|README\.md|LICENSE|bin\/gcrwatch|bin\/package\.json|dist\/.+\.js|docs\/[a-z-]+\.md)$/.test(f),
    );
    expect(stray).toEqual([]);
    // The simulated servers the demo does not use are for tests only.
    expect(files.filter((f) => /^dist\/sim\/(index|mdns-responder|oauth-server)\.js$/.test(f))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['dist/sim/pki.js', 'dist/demo/world.js']));
  });

  it('installs only the runtime dependencies package.json names, and no X.509 library', async () => {
    const listed = await run('npm', ['ls', '--all', '--parseable', '--omit=dev'], {
      cwd: path.join(dir, 'prefix', 'lib', 'node_modules', pkg.name),
    });
    const names = listed.stdout
      .split('\n')
      .filter((l) => l.includes('node_modules'))
      .map((l) => l.slice(l.lastIndexOf('node_modules/') + 'node_modules/'.length));
    const direct = Object.keys(
      (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: object }).dependencies,
    );
    expect(names).toEqual(expect.arrayContaining(direct));
    expect(names.filter((n) => /^(@peculiar\/|tsyringe$|reflect-metadata$|asn1js$)/.test(n))).toEqual([]);
  });

  it('runs --version and --help from the install prefix, outside the source tree', async () => {
    const version = await run(installed, ['--version'], { env: userEnv(), cwd: dir });
    expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    const help = await run(installed, ['--help'], { env: userEnv(), cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: gcrwatch /);
    expect(help.stdout).toContain('Examples:');
    const completion = await run(installed, ['completion', 'bash'], { env: userEnv(), cwd: dir });
    expect(completion.stdout).toContain('complete -F _gcrwatch gcrwatch');
  });

  it('runs the demo headless from the install (--demo --plain --duration 3s): certificates made, registries probed', async () => {
    const demo = await run(installed, ['--demo', '--plain', '--duration', '3s', '--no-log'], {
      env: userEnv(),
      cwd: dir,
      timeout: 60_000,
    });
    expect(demo.stderr).not.toMatch(/internal error|Cannot find module/);
    expect(demo.code).toBe(0);
    // A round that reached GET /v2/ over TLS: the demo's own CA and leaf worked.
    expect(demo.stdout).toMatch(/ gcr\.io:\d+ +dns .*tls +[\d.]+ .*401 +ok /);
  });
});

#!/usr/bin/env node
/**
 * What a user installs: `npm pack` of the built package, then `npm install -g --prefix TMP` of
 * the tarball, as a user would run it. Reports the tarball's size, the installed size on disk
 * (`du`, the package and all its dependencies) and the number of packages npm installed, and
 * the ten largest dependencies. Reported, not judged: no target.
 *
 *   npm run build && node bench/install-size.mjs [--tarball FILE]   (FILE: measure that tarball instead)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finish, ROOT } from './support/kit.mjs';

const given = process.argv.includes('--tarball') ? process.argv[process.argv.indexOf('--tarball') + 1] : undefined;

const run = (command, args, cwd) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });

/** Disk usage in KiB (`du -sk`: blocks, as the disk holds them). */
const diskKb = (path) => Number(run('du', ['-sk', path]).split('\t')[0]);

function largest(modules) {
  const sizes = [];
  for (const name of readdirSync(modules)) {
    if (name.startsWith('.')) continue;
    const scoped = name.startsWith('@') ? readdirSync(join(modules, name)).map((n) => `${name}/${n}`) : [name];
    for (const n of scoped) sizes.push({ name: n, kb: diskKb(join(modules, n)) });
  }
  return sizes.sort((a, b) => b.kb - a.kb).slice(0, 10);
}

const dir = mkdtempSync(join(tmpdir(), 'gcrwatch-install-size-'));
try {
  const tarball =
    given ?? join(dir, run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, '--silent'], ROOT).trim());
  const prefix = join(dir, 'prefix');
  const said = run(
    'npm',
    ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball],
    dir,
  );
  const installed = join(prefix, 'lib', 'node_modules', 'gcrwatch');
  // npm's own count ("added N packages"), which includes gcrwatch itself.
  const added = Number(/added (\d+) packages?/.exec(said)?.[1] ?? NaN);
  const top = largest(join(installed, 'node_modules'));
  finish({
    name: 'install-size',
    title: 'Install size',
    command: 'node bench/install-size.mjs',
    figures: [
      { name: 'packed tarball', value: statSync(tarball).size / 1024, unit: 'KiB', digits: 0, headline: true },
      { name: 'installed on disk', value: diskKb(installed) / 1024, unit: 'MiB', digits: 1, headline: true },
      { name: 'gcrwatch itself (dist/)', value: diskKb(join(installed, 'dist')) / 1024, unit: 'MiB', digits: 1 },
      { name: 'packages installed', value: added, unit: '', digits: 0, headline: true },
    ],
    details: [
      '| largest dependencies | on disk |',
      '| --- | --- |',
      ...top.map((d) => `| ${d.name} | ${(d.kb / 1024).toFixed(1)} MiB |`),
    ].join('\n'),
    notes: [
      '`npm install -g --prefix` of the packed tarball with the registry (or npm cache) at hand; sizes are `du -sk` of the installed package folder, dependencies included.',
      'Why each runtime dependency is there: docs/development.md.',
    ],
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}

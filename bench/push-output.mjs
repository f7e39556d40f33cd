#!/usr/bin/env node
/**
 * A wrapped command that floods its output: does gcrwatch keep up, and does its memory stay
 * bounded? The command prints 50 MB of docker push lines (progress bars full of `=`, layer
 * states, retry countdowns) as fast as a pipe takes them; gcrwatch wraps it in each output
 * mode. Reported per mode: wall time, lines per second, gcrwatch's CPU, peak RSS (GNU time),
 * and that every line arrived (the push.output events counted in the log).
 *
 *   node bench/push-output.mjs [--mb 50] [--runs 3]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './support/import-ts.mjs';

const option = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const MB = option('mb', 50);
const RUNS = option('runs', 3);
const BIN = join(ROOT, 'bin', 'gcrwatch');

/** The flooding command: docker's lines, cycled, until MB megabytes are out. */
function writeFlooder(dir) {
  const lines = [
    '7e8b6e75fc17: Preparing',
    '7e8b6e75fc17: Pushing [=====>                                             ]  5.243MB/45.67MB',
    '7e8b6e75fc17: Pushing [==================>                                ]  16.78MB/45.67MB',
    'd4ece0d66b27: Layer already exists',
    '7e8b6e75fc17: Retrying in 5 seconds',
    '7e8b6e75fc17: Pushing [==========================================>        ]  38.27MB/45.67MB',
    '5fe3d368e4db: Pushed',
  ];
  const script = join(dir, 'flood.mjs');
  writeFileSync(
    script,
    `
const block = Buffer.from(${JSON.stringify(lines.join('\n') + '\n')}.repeat(500));
let left = ${MB} * 1024 * 1024;
const next = () => {
  while (left > 0) {
    const chunk = left >= block.length ? block : block.subarray(0, left);
    left -= chunk.length;
    if (!process.stdout.write(chunk)) return process.stdout.once('drain', next);
  }
};
next();
`,
  );
  const text = lines.join('\n') + '\n';
  const total = MB * 1024 * 1024;
  const perBlock = lines.length;
  const full = Math.floor(total / text.length);
  const rest = text
    .slice(0, total - full * text.length)
    .split('\n')
    .filter(Boolean).length;
  return { script, lines: full * perBlock + rest };
}

function timed(argv) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', ...argv], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const [wall, user, sys, rssKb] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { status: r.status, wall, cpu: user + sys, rssMb: rssKb / 1024 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main() {
  if (spawnSync('/usr/bin/time', ['-f', '%e', 'true']).status !== 0) {
    console.error('push-output: needs GNU time (/usr/bin/time, Debian package time)');
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'gcrwatch-flood-'));
  try {
    const { script, lines } = writeFlooder(dir);
    const common = ['--no-config', '--only', '--target', '127.0.0.1:9', '--no-push-check'];
    const log = join(dir, 'session.ndjson');
    const modes = [
      ['the command alone', [process.execPath, script]],
      ['--json, no log', [process.execPath, BIN, '--json', '--no-log', ...common, '--', process.execPath, script]],
      ['--plain, no log', [process.execPath, BIN, '--plain', '--no-log', ...common, '--', process.execPath, script]],
      [
        '--plain with the log',
        [process.execPath, BIN, '--plain', '--log', log, ...common, '--', process.execPath, script],
      ],
    ];
    const rows = [];
    for (const [name, argv] of modes) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) {
        rmSync(log, { force: true });
        runs.push(timed(argv));
      }
      const row = {
        name,
        wall: median(runs.map((r) => r.wall)),
        cpu: median(runs.map((r) => r.cpu)),
        rssMb: Math.max(...runs.map((r) => r.rssMb)),
        status: runs[0].status,
      };
      if (name.includes('with the log')) {
        row.logged = readFileSync(log, 'utf8')
          .split('\n')
          .filter((l) => l.includes('"type":"push.output"')).length;
      }
      rows.push(row);
    }
    const out = [
      `${MB} MB of docker push output (${lines} lines), median of ${RUNS} runs; ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
      '',
      '| mode | wall s | lines/s | CPU s | peak RSS MB | exit |',
      '| --- | ---: | ---: | ---: | ---: | --- |',
      ...rows.map(
        (r) =>
          `| ${r.name} | ${r.wall.toFixed(2)} | ${Math.round(lines / r.wall)} | ${r.cpu.toFixed(2)} | ${r.rssMb.toFixed(0)} | ${r.status} |`,
      ),
      '',
      `Lines in the log as push.output events: ${rows.find((r) => r.logged !== undefined)?.logged} of ${lines}.`,
    ];
    console.log(out.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();

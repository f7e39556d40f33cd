/**
 * The CPU profile part of the watch-cost benchmark: headless gcrwatch sessions run with
 * `node --cpu-prof` in the simulated world (this build and, when given, an earlier one side by
 * side), and their top items as a Markdown table, before and after, for docs/benchmarks.md.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topItems } from './profile-summary.mjs';

/**
 * Run each of `builds` (`{ name, bin }`) headless for `seconds` with a CPU profile, all at
 * once, probing `args`; resolves with `{ name, top }` per build (`top` from `topItems`).
 */
export async function profileSessions(world, builds, args, seconds) {
  const runs = builds.map((build) => {
    const dir = mkdtempSync(join(tmpdir(), 'gcrwatch-bench-prof-'));
    const child = world.spawn(process.execPath, [
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
      build.bin,
      '--plain',
      ...args,
      '--duration',
      `${seconds}s`,
      '--no-log',
    ]);
    child.stdout.resume();
    child.stderr.resume();
    return { build, dir, exited: new Promise((resolve) => child.once('exit', resolve)) };
  });
  const out = [];
  for (const run of runs) {
    await run.exited;
    const file = readdirSync(run.dir).find((f) => f.endsWith('.cpuprofile'));
    const top = file ? topItems(JSON.parse(readFileSync(join(run.dir, file), 'utf8'))) : undefined;
    rmSync(run.dir, { recursive: true, force: true });
    out.push({ name: run.build.name, top });
  }
  return out;
}

const cell = (text) => String(text).replace(/\|/g, '\\|');
const show = (item) => (item ? `${cell(item.label)} — ${item.pct.toFixed(1)} %` : '');

/** A Markdown table of the top items of each profile, side by side. */
export function profileTable(profiles, seconds) {
  const have = profiles.filter((p) => p.top);
  if (!have.length) return '';
  const lines = [
    `node --cpu-prof of a ${seconds} s headless session (10 targets at 1 s), each build's own profile: its heaviest functions as shares of the time it was busy (idle left out; start-up included).`,
    '',
    `| # | ${have.map((p) => `${cell(p.name)}: self time, all code`).join(' | ')} |`,
    `| --- | ${have.map(() => '---').join(' | ')} |`,
  ];
  const rows = Math.max(...have.map((p) => p.top.self.length));
  for (let i = 0; i < rows; i++) lines.push(`| ${i + 1} | ${have.map((p) => show(p.top.self[i])).join(' | ')} |`);
  lines.push(
    '',
    `| # | ${have.map((p) => `${cell(p.name)}: gcrwatch's own functions, with what they call`).join(' | ')} |`,
    `| --- | ${have.map(() => '---').join(' | ')} |`,
  );
  const own = Math.max(...have.map((p) => p.top.own.length));
  for (let i = 0; i < own; i++) lines.push(`| ${i + 1} | ${have.map((p) => show(p.top.own[i])).join(' | ')} |`);
  lines.push(
    '',
    `Busy time sampled: ${have.map((p) => `${p.name} ${(p.top.busyMs / 1000).toFixed(1)} s`).join(', ')}.`,
  );
  return lines.join('\n');
}

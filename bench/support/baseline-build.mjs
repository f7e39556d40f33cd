/**
 * An earlier commit of gcrwatch, built beside the working tree, for benchmarks that compare
 * before and after side by side in one window: `git archive COMMIT` into a temporary folder
 * (kept between runs, by commit), this tree's node_modules linked in, `tsc -p
 * tsconfig.build.json` there. Resolves with the folder (its bin/gcrwatch runs that build), or
 * rejects naming what failed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './kit.mjs';

/** The folder of `commit`'s build, building it when it is not there yet. */
export function baselineBuild(commit) {
  const full = execFileSync('git', ['rev-parse', '--verify', `${commit}^{commit}`], {
    cwd: ROOT,
    encoding: 'utf8',
  }).trim();
  const dir = join(tmpdir(), `gcrwatch-baseline-${full.slice(0, 12)}`);
  if (existsSync(join(dir, 'dist', 'cli', 'main.js'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('sh', ['-c', `git archive ${full} | tar -x -C '${dir}'`], { cwd: ROOT, stdio: 'inherit' });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: dir,
        stdio: 'inherit',
      },
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not build ${commit} for comparison: ${error instanceof Error ? error.message : error}`, {
      cause: error,
    });
  }
  return dir;
}

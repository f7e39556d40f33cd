/**
 * Lets a benchmark script (plain Node 20, which cannot run TypeScript) use the project's
 * TypeScript test harness, above all the simulated world of test/peers/world.ts: the folders
 * given are transpiled (TypeScript's transpileModule, no type check, well under a second)
 * into a temporary copy of the project layout, sources kept beside their JavaScript (the
 * harness reads some sources itself), with a link to node_modules. Returns an `import` of
 * that copy and a `dispose` that removes it.
 */
import { mkdtemp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/** The project root (two levels above bench/support/). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function* tsFiles(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* tsFiles(path);
    // Declaration files have no output (transpileModule fails on them); .tsx is not needed by the harness.
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield path;
  }
}

/**
 * Transpile `folders` (relative to the project root, e.g. `['src', 'test/peers']`) into a
 * temporary folder. `load(relativePath)` imports one of them (`'test/peers/world.ts'`).
 */
export async function transpileProject(folders) {
  const out = await mkdtemp(join(tmpdir(), 'gcrwatch-bench-ts-'));
  try {
    for (const folder of folders) {
      for await (const file of tsFiles(join(ROOT, folder))) {
        const source = await readFile(file, 'utf8');
        const rel = relative(ROOT, file);
        const { outputText } = ts.transpileModule(source, {
          fileName: rel,
          compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, jsx: ts.JsxEmit.ReactJSX },
        });
        await mkdir(dirname(join(out, rel)), { recursive: true });
        await writeFile(join(out, rel), source);
        await writeFile(join(out, rel.replace(/\.ts$/, '.js')), outputText);
      }
    }
  } catch (error) {
    // A file that does not transpile must not leave the half-made copy behind.
    await rm(out, { recursive: true, force: true });
    throw error;
  }
  await writeFile(join(out, 'package.json'), '{"type":"module"}\n');
  await symlink(join(ROOT, 'node_modules'), join(out, 'node_modules'), 'dir');
  return {
    load: (rel) => import(pathToFileURL(join(out, rel.replace(/\.ts$/, '.js'))).href),
    dispose: () => rm(out, { recursive: true, force: true }),
  };
}

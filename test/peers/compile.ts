/**
 * Makes runnable JavaScript of the peer host and src/sim/ for child processes in a namespace.
 * Node 20 cannot run TypeScript, and `npm test` must not depend on a prior build, so each world
 * transpiles these few files (TypeScript's transpileModule: no type check, milliseconds) into its
 * own temp dir, with a `node_modules` link so the packages they import resolve.
 */
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The project root (two levels above test/peers/). */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const CHILD_SOURCES = ['test/peers/peer-host.ts', 'test/peers/control.ts'];

/** Transpiles src/sim/*.ts and the peer host into `outDir`; returns the peer host's path. */
export async function compilePeerHost(outDir: string): Promise<string> {
  const simFiles = (await readdir(join(PROJECT_ROOT, 'src/sim'))).filter((file) => file.endsWith('.ts'));
  const sources = [...simFiles.map((file) => `src/sim/${file}`), ...CHILD_SOURCES];
  for (const source of sources) {
    const text = await readFile(join(PROJECT_ROOT, source), 'utf8');
    const output = ts.transpileModule(text, {
      fileName: source,
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, sourceMap: false },
    });
    const target = join(outDir, source.replace(/\.ts$/, '.js'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, output.outputText);
  }
  await writeFile(join(outDir, 'package.json'), '{"type":"module"}\n');
  await symlink(join(PROJECT_ROOT, 'node_modules'), join(outDir, 'node_modules'), 'dir');
  return join(outDir, 'test/peers/peer-host.js');
}

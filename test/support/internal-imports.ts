/**
 * Finds module paths that reach into a package's own files (`undici/lib/dispatcher/client.js`)
 * instead of what the package exports: any string in built JavaScript that names an installed
 * package followed by a subpath its `exports` map does not list. A string is enough, however it
 * is loaded (`require`, `import()`, a lazy loader handed the name), so every way in is caught.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One offending path: where, and what. */
export interface InternalImport {
  file: string;
  line: number;
  specifier: string;
}

const STRING = /(['"`])((?:@[\w.-]+\/)?[a-z0-9][\w.-]*\/[^'"`\s$]+)\1/g;

/** The subpaths a package exports (`./jsx-runtime`), or undefined when it has no exports map. */
function exportedSubpaths(pkgDir: string): string[] | undefined {
  const manifest = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { exports?: unknown };
  const exports = manifest.exports;
  if (!exports || typeof exports !== 'object' || Array.isArray(exports)) return undefined;
  return Object.keys(exports).filter((k) => k.startsWith('./'));
}

function allowed(subpath: string, exported: string[] | undefined): boolean {
  if (!exported) return false;
  return exported.some((key) => {
    if (!key.includes('*')) return key === subpath;
    const [before, after] = key.split('*') as [string, string];
    return subpath.startsWith(before) && subpath.endsWith(after);
  });
}

/** The package a specifier names (`@scope/name` or `name`) and the rest of it. */
function split(specifier: string): { name: string; subpath: string } {
  const parts = specifier.split('/');
  const n = specifier.startsWith('@') ? 2 : 1;
  return { name: parts.slice(0, n).join('/'), subpath: `./${parts.slice(n).join('/')}` };
}

/** Every package-internal path in `text` (the JavaScript of `file`), given the project's node_modules. */
export function internalImports(text: string, file: string, nodeModules: string): InternalImport[] {
  const found: InternalImport[] = [];
  for (const match of text.matchAll(STRING)) {
    const specifier = match[2]!;
    const { name, subpath } = split(specifier);
    const pkgDir = path.join(nodeModules, name);
    if (!existsSync(path.join(pkgDir, 'package.json'))) continue;
    if (allowed(subpath, exportedSubpaths(pkgDir))) continue;
    const line = text.slice(0, match.index).split('\n').length;
    found.push({ file, line, specifier });
  }
  return found;
}

/**
 * Public APIs only: nothing in the built code (dist/, what users run) loads a file inside a
 * package that the package does not export, such as `undici/lib/dispatcher/client.js`. Such a
 * path works until the package's next release moves the file. Needs `npm run build`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { internalImports } from '../support/internal-imports.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DIST = path.join(ROOT, 'dist');
const NODE_MODULES = path.join(ROOT, 'node_modules');

function scripts(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? scripts(path.join(dir, e.name)) : /\.(c|m)?js$/.test(e.name) ? [path.join(dir, e.name)] : [],
  );
}

describe('package-internal paths', () => {
  it('the check finds one, however it is loaded, and lets exported subpaths pass', () => {
    const text = [
      "const Client = require('undici/lib/dispatcher/client.js');",
      'const parse = await import("google-auth-library/build/src/auth/googleauth.js");',
      "export const later = lazyRequire('prom-client/lib/registry');",
      "import { jsx } from 'react/jsx-runtime';",
      "import { Client } from 'undici';",
      "const url = 'https://gcr.io/v2/token';",
    ].join('\n');
    expect(internalImports(text, 'fixture.js', NODE_MODULES)).toEqual([
      { file: 'fixture.js', line: 1, specifier: 'undici/lib/dispatcher/client.js' },
      { file: 'fixture.js', line: 2, specifier: 'google-auth-library/build/src/auth/googleauth.js' },
      { file: 'fixture.js', line: 3, specifier: 'prom-client/lib/registry' },
    ]);
  });

  it('none is loaded anywhere in the built code', () => {
    const built = scripts(DIST);
    expect(built.length, 'dist/ is built (npm run build)').toBeGreaterThan(50);
    const files = [...built, path.join(ROOT, 'bin', 'gcrwatch')];
    const found = files.flatMap((f) => internalImports(readFileSync(f, 'utf8'), path.relative(ROOT, f), NODE_MODULES));
    expect(found).toEqual([]);
  });
});

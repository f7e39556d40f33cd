/**
 * Preloaded with `node --import` by the module-load test: every module the process loads, ES
 * module URLs through a resolve hook and CommonJS files from require.cache at exit, appended one
 * per line to $GCRWATCH_TEST_MODULES. Public APIs only (module.register, require.cache).
 */
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

const out = process.env.GCRWATCH_TEST_MODULES;
if (out) {
  const hooks = `
    import { appendFileSync } from 'node:fs';
    export async function resolve(specifier, context, next) {
      const resolved = await next(specifier, context);
      appendFileSync(${JSON.stringify(out)}, resolved.url + '\\n');
      return resolved;
    }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
  const { cache } = createRequire(import.meta.url);
  process.on('exit', () => {
    appendFileSync(
      out,
      Object.keys(cache)
        .map((f) => `${pathToFileURL(f).href}\n`)
        .join(''),
    );
  });
}

/**
 * `gcrwatch config print`: the configuration a monitor run would use, each value with where
 * it came from (command line, configuration file, environment, default). The printing is in
 * config-print.ts, loaded when the command runs.
 */
import type { RegisterCommand } from './index.js';

const EXAMPLES = `
Examples:
  gcrwatch config print                          what a plain 'gcrwatch' would use, and why
  gcrwatch --config fleet.json --interval 10s config print
  gcrwatch config print --json                   the same as JSON`;

/** Register `config print`. */
export const registerConfigCommand: RegisterCommand = (program, ctx) => {
  const config = program
    .command('config')
    .description('show the configuration gcrwatch would use (see "config print")');
  let json = false;
  const print = config
    .command('print')
    .description('print the effective configuration and the source of each value')
    .option('--json', 'print it as JSON')
    .addHelpText('after', EXAMPLES)
    .action(async (opts: { json?: boolean }) => {
      const { printConfig } = await import('../config-print.js');
      ctx.setResult(Promise.resolve(printConfig(program, Boolean(opts.json) || json, ctx.io)));
    });
  config.addHelpText('after', EXAMPLES);
  // `--json` after `print` lands on the root program, which has a --json of its own: it is
  // print's, and must not appear among the settings (registered before the configuration
  // file is applied, so a file's own output setting still shows).
  program.hook('preAction', (_root, command) => {
    if (command !== print || program.getOptionValueSource('json') !== 'cli') return;
    json = true;
    program.setOptionValueWithSource('json', undefined, undefined);
  });
};

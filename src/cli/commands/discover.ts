/**
 * `gcrwatch discover`: list the registries and caches advertised on the local network over
 * DNS-SD, as a table (with the `--target` to watch each) or as NDJSON `discover` events. The
 * browsing is in discover/run-discover.ts, loaded when the command runs.
 */
import { parseDuration } from '../duration.js';
import type { RegisterCommand } from './index.js';

const EXAMPLES = `
Examples:
  gcrwatch discover                       registries and caches on this network, after 3 s
  gcrwatch discover --wait 1s --json      one NDJSON "discover" event per registry
  gcrwatch --target https://cache.local:5000   then watch one of them

Looks for _docker-registry._tcp and _registry._tcp services, and _http._tcp / _https._tcp
services whose TXT record says path=/v2/, asking again (about a second each) for records the
answers left out. --wait counts in whole seconds (rounded up). Exit status: 0 when something
was found, 1 when not.`;

/** Register `discover`. */
export const registerDiscoverCommand: RegisterCommand = (program, ctx) => {
  program
    .command('discover')
    .description('list container registries advertised on the local network (mDNS / DNS-SD)')
    .option('-w, --wait <duration>', 'how long to listen for answers (whole seconds)', '3s')
    .option('--json', 'NDJSON "discover" events on stdout')
    .addHelpText('after', EXAMPLES)
    .action(async (opts: { wait: string; json?: boolean }) => {
      const waitSeconds = Math.ceil(parseDuration(opts.wait, '--wait', { min: 100, max: 60_000 }) / 1000);
      const { discover } = await import('../discover/run-discover.js');
      ctx.setResult(discover(waitSeconds, Boolean(opts.json || program.opts().json), ctx.io));
    });
};

/**
 * `gcrwatch push IMAGE`: the shorthand of `gcrwatch -- docker push IMAGE`. Also declares the
 * wrapper's own options, `--daemon-log FILE|journal|none` and `--stay`, on the program (they
 * apply to both forms).
 */
import type { Command } from 'commander';
import type { WrapFlags } from '../wrap.js';
import type { RegisterCommand } from './index.js';

const EXAMPLES = `
Examples:
  gcrwatch push gcr.io/my-project/app:1.2                    push, watch, and summarise
  gcrwatch push europe-west1-docker.pkg.dev/p/r/app:1.2 --daemon-log journal
  gcrwatch push gcr.io/my-project/app:1.2 --stay             look around the dashboard after the push
  gcrwatch --json push gcr.io/my-project/app:1.2 > push.ndjson
  gcrwatch -- podman push app:1.2 docker://eu.gcr.io/my-project/app:1.2   any push tool, after --

When the push ends, the terminal shows what it printed (its last 50 lines), the push summary
(layers, retries and their causes, exit status) and the verdict with the next step.
gcrwatch's own options apply here too (see gcrwatch --help): --daemon-log, --stay, --json,
--plain, --only, --target, --interval, --log, ...
Exit status: the push's own (128 + N when signal N killed it; 127 when docker cannot be run).`;

/** Register `push` and `--daemon-log`. */
export const registerPush: RegisterCommand = (program, ctx) => {
  program.option(
    '--daemon-log <file|journal|none>',
    "the docker daemon's log to follow for why each retry happened (a file, the systemd journal, or none); found by itself when not given",
  );
  program.option('--stay', 'keep the dashboard open after the wrapped push ends (q leaves)');
  program
    .command('push')
    .description('run "docker push IMAGE" under watch (the same as: gcrwatch -- docker push IMAGE)')
    .argument('<image>', 'the image to push, e.g. gcr.io/my-project/app:1.2')
    .addHelpText('after', EXAMPLES)
    .action(async (image: string, _opts: unknown, cmd: Command) => {
      const { runWrap } = await import('../wrap.js');
      ctx.setResult(runWrap(['docker', 'push', image], cmd.optsWithGlobals() as WrapFlags, ctx.io));
    });
};

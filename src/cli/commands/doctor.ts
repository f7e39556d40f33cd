/**
 * `gcrwatch doctor [--repo IMAGE] [--rounds N] [--json]`: a one-shot check for scripts and
 * CI. Exit 0: no problem; 1: problems found; 2: could not run.
 */
import type { Command } from 'commander';
import type { DoctorFlags } from '../doctor/run-doctor.js';
import type { RegisterCommand } from './index.js';

const EXAMPLES = `
Examples:
  gcrwatch doctor                                  3 rounds on every default registry, then the findings
  gcrwatch doctor --repo europe-west1-docker.pkg.dev/proj/repo/app --rounds 5
  gcrwatch doctor --json | jq '.findings[].code'   the findings as JSON, for scripts

gcrwatch's own options apply (see gcrwatch --help): --repo, --rounds, --target, --only, --json,
--timeout, --interval, --resolve, --dns-server, --ca-file, --log, ...
Exit status: 0 no problem (notes may be shown), 1 problems found, 2 could not run.`;

/** Register `doctor`. Its options are gcrwatch's own (probe options, --json), as for `push`. */
export const registerDoctor: RegisterCommand = (program, ctx) => {
  program
    .command('doctor')
    .description(
      'probe every target a few times, run the checks, print the findings; exit 0 healthy, 1 problems, 2 could not run',
    )
    .addHelpText('after', EXAMPLES)
    .action(async (_opts: unknown, cmd: Command) => {
      const { runDoctor } = await import('../doctor/run-doctor.js');
      ctx.setResult(runDoctor(cmd.optsWithGlobals() as DoctorFlags, cmd, ctx.io));
    });
};

/**
 * `gcrwatch doctor [--repo IMAGE] [--rounds N] [--json]`: a one-shot check for scripts and
 * CI. Exit 0: no problem; 1: problems found; 2: could not run.
 */
import type { Command } from 'commander';
import { runDoctor, type DoctorFlags } from '../doctor/run-doctor.js';
import { addProbeOptions } from '../program.js';
import type { RegisterCommand } from './index.js';

const EXAMPLES = `
Examples:
  gcrwatch doctor                                  3 rounds on every default registry, then the findings
  gcrwatch doctor --repo europe-west1-docker.pkg.dev/proj/repo/app --rounds 5
  gcrwatch doctor --json | jq '.findings[].code'   the findings as JSON, for scripts

Exit status: 0 no problem (notes may be shown), 1 problems found, 2 could not run.`;

/** Register `doctor`. */
export const registerDoctor: RegisterCommand = (program, ctx) => {
  const cmd: Command = program.command('doctor')
    .description('probe every target a few times, run the checks, print the findings; exit 0 healthy, 1 problems, 2 could not run')
    .option('--json', 'print the findings as one JSON document')
    .addHelpText('after', EXAMPLES);
  addProbeOptions(cmd);
  // `gcrwatch --json doctor` means the same as `gcrwatch doctor --json`.
  cmd.action((flags: DoctorFlags) => ctx.setResult(runDoctor({ ...flags, json: Boolean(flags.json || program.opts().json) }, cmd, ctx.io)));
};

/**
 * `gcrwatch replay [SESSION] [--speed N]`: play a saved session (the latest when none is
 * named) back through the live outputs, N times faster than it happened; `space` pauses.
 */
import type { Command } from 'commander';
import type { ReplayFlags } from '../replay/run-replay.js';
import type { RegisterCommand } from './index.js';

const EXAMPLES = `
Examples:
  gcrwatch replay --speed 10                       the latest session, ten times faster than it happened
  gcrwatch replay 3 --speed 60                     the third newest in \`gcrwatch sessions\`, a minute a second
  gcrwatch replay session.ndjson --speed 100 --json   the events and fresh findings as NDJSON
  gcrwatch replay session.ndjson --plain           plain lines even on a terminal`;

/** Register `replay`. */
export const registerReplay: RegisterCommand = (program, ctx) => {
  program
    .command('replay')
    .description('play a saved session log back, N times faster (space pauses, q quits)')
    .argument(
      '[session]',
      'the session log: a file, or a number or name from `gcrwatch sessions` (default: the latest)',
    )
    .option('--last', 'the latest session (the default when no session is named)')
    .option('-s, --speed <n>', 'replay speed: 1 is real time, 10 ten times faster', '1')
    .addHelpText('after', EXAMPLES)
    // --json and --plain are gcrwatch's own options, given before or after the command.
    .action(async (file: string | undefined, _opts: unknown, cmd: Command) => {
      const { runReplay } = await import('../replay/run-replay.js');
      ctx.setResult(runReplay(file, cmd.optsWithGlobals() as ReplayFlags, ctx.io));
    });
};

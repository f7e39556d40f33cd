/**
 * `gcrwatch replay SESSION.ndjson [--speed N]`: play a saved session back through the live
 * outputs, N times faster than it happened; `space` pauses.
 */
import type { Command } from 'commander';
import { runReplay, type ReplayFlags } from '../replay/run-replay.js';
import type { RegisterCommand } from './index.js';

const EXAMPLES = `
Examples:
  gcrwatch replay session.ndjson --speed 10        ten times faster than it happened
  gcrwatch replay session.ndjson --speed 100 --json   the events and fresh findings as NDJSON
  gcrwatch replay session.ndjson --plain           plain lines even on a terminal`;

/** Register `replay`. */
export const registerReplay: RegisterCommand = (program, ctx) => {
  program
    .command('replay')
    .description('play a saved session log back, N times faster (space pauses, q quits)')
    .argument('<session>', 'the session log (.ndjson) to play')
    .option('-s, --speed <n>', 'replay speed: 1 is real time, 10 ten times faster', '1')
    .addHelpText('after', EXAMPLES)
    // --json and --plain are gcrwatch's own options, given before or after the command.
    .action((file: string, _opts: unknown, cmd: Command) =>
      ctx.setResult(runReplay(file, cmd.optsWithGlobals() as ReplayFlags, ctx.io)),
    );
};

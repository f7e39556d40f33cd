/** `gcrwatch sessions`: the saved session logs, newest first. */
import type { Command } from 'commander';
import type { SessionsFlags } from '../sessions/list-sessions.js';
import type { RegisterCommand } from './index.js';

const EXAMPLES = `
Examples:
  gcrwatch sessions                  newest first: start, duration, targets, push, verdict
  gcrwatch report 2                  the report of the second in the list
  gcrwatch sessions --json           one JSON object per session, with its path

The logs are in $XDG_STATE_HOME/gcrwatch/sessions/ (or ~/.local/state/...). At the start of
each session the newest 100, written in the last 30 days, are kept (--keep-sessions, --prune-after).`;

/** Register `sessions`. */
export const registerSessions: RegisterCommand = (program, ctx) => {
  program
    .command('sessions')
    .description('list the saved session logs, newest first: start, duration, targets, push, verdict')
    .addHelpText('after', EXAMPLES)
    // --json is gcrwatch's own option, given before or after the command.
    .action(async (_opts: unknown, cmd: Command) => {
      const { runSessions } = await import('../sessions/list-sessions.js');
      ctx.setResult(runSessions(cmd.optsWithGlobals() as SessionsFlags, ctx.io));
    });
};

/**
 * The subcommands. Each lives in its own file and registers itself on the program; adding a
 * command is adding a file and a line here. Registration is static (`--help` and completion
 * list every command); each action imports its runner when it runs, so that `--version` and
 * the monitor load none of the others (test/package/module-load.test.ts).
 */
import type { Command } from 'commander';
import type { CliIO } from '../outputs/attach.js';
import { registerCompletionCommand } from './completion.js';
import { registerConfigCommand } from './config.js';
import { registerDiscoverCommand } from './discover.js';
import { registerDoctor } from './doctor.js';
import { registerPush } from './push.js';
import { registerReplay } from './replay.js';
import { registerReport } from './report.js';
import { registerSessions } from './sessions.js';

/** What a command's action needs; `setResult` hands the command's exit-code promise back to main. */
export interface CommandContext {
  io: CliIO;
  setResult(result: Promise<number>): void;
}

/** A subcommand registration. */
export type RegisterCommand = (program: Command, ctx: CommandContext) => void;

/** Every subcommand, in the order `--help` lists them. */
export const COMMANDS: RegisterCommand[] = [
  registerPush,
  registerDoctor,
  registerReport,
  registerReplay,
  registerSessions,
  registerDiscoverCommand,
  registerConfigCommand,
  registerCompletionCommand,
];

/**
 * Entry point: parse the command line, run the chosen command, and turn every failure into
 * a one-line message and an exit code — never a stack trace (set GCRWATCH_DEBUG=1 to see
 * one). Exit codes: 0 healthy, 1 a target failed, 2 usage error, 70 internal error; a
 * wrapped command's own exit code when wrapping.
 */
import { CommanderError } from 'commander';
import { COMMANDS, type CommandContext } from './commands/index.js';
import { applyConfigFile } from './config-apply.js';
import { processIO, type CliIO } from './outputs/attach.js';
import { readPositionals, splitWrapped, withPositionals } from './positional-targets.js';
import { buildProgram, type MonitorFlags } from './program.js';
import { redactText } from '../core/log/redact.js';
import { UsageError } from './usage-error.js';

const HINT = "Try 'gcrwatch --help' for usage.";

/** Run gcrwatch with `argv` (without node and script); resolves with the exit code. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  installLastResortHandlers(io);
  try {
    return await dispatch(argv, io);
  } catch (err) {
    return reportFailure(err, io);
  }
}

async function dispatch(argv: string[], io: CliIO): Promise<number> {
  const program = buildProgram();
  let action: Promise<number> | undefined;
  // Commander's error texts are replaced by one line of ours (reportFailure); what it writes
  // to stderr is kept only for the help it shows when a command is missing (`gcrwatch config`).
  let shownOnError = '';
  program.exitOverride();
  program.configureOutput({
    writeOut: (s) => io.stdout.write(s),
    writeErr: (s) => {
      shownOnError += s;
    },
  });
  const ctx: CommandContext = {
    io,
    setResult: (r) => {
      action = r;
    },
  };
  for (const register of COMMANDS) register(program, ctx);
  // The configuration file fills what the command line left unset, before any action runs.
  // A subcommand with probe options of its own (addProbeOptions) gets the file applied to them.
  program.hook('preAction', (_root, command) => {
    applyConfigFile(command.options.some((o) => o.long === '--config') ? command : program, io.env);
  });
  program.action((words: string[], given: MonitorFlags & { stay?: boolean }) => {
    // Only what follows `--` is ever run; the words before it are hosts or an image to watch.
    const { positional, wrapped } = splitWrapped(argv, words);
    const targets = readPositionals(positional, [...program.commands.map((c) => c.name()), 'help']);
    const flags = withPositionals(given, targets, program.getOptionValueSource('target') === 'config');
    if (given.demo && wrapped.length) throw new UsageError('--demo brings its own push: drop the command after --');
    if (given.demo && positional.length)
      throw new UsageError(`--demo watches its own simulated registries: drop "${positional.join(' ')}"`);
    if (given.stay && !wrapped.length)
      throw new UsageError('--stay keeps the dashboard of a wrapped push open: gcrwatch --stay -- docker push IMAGE');
    // Loaded when used: `--version`, `--help` and the subcommands need none of the monitor,
    // the wrapper or the demo (bench/startup.mjs).
    action = wrapped.length
      ? import('./wrap.js').then(({ runWrap }) => runWrap(wrapped, flags, io))
      : flags.demo
        ? import('./demo.js').then(({ runDemo }) => runDemo(flags, io, (name) => program.getOptionValueSource(name)))
        : import('./monitor.js').then(({ runMonitor }) => runMonitor(flags, io));
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    // A command named without its subcommand: its help, as if --help had been asked.
    if (err instanceof CommanderError && err.code === 'commander.help' && err.exitCode !== 0) {
      io.stdout.write(shownOnError);
      return helpShown(io);
    }
    throw err;
  }
  return action ? await action : 0;
}

/**
 * Help or the version was written: exit 0, also when the reader went away before the end
 * (`gcrwatch --help | head`), whose EPIPE would otherwise end as an "internal error".
 */
function helpShown(io: CliIO): number {
  io.stdout.on('error', () => undefined);
  return 0;
}

function reportFailure(err: unknown, io: CliIO): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')
      return helpShown(io);
    // Commander puts its suggestion on a second line: kept, on the one line shown.
    const message = err.message.replace(/^error:\s*/, '').replace(/\n\(Did you mean (.+)\?\)/, ': did you mean $1?');
    io.stderr.write(`gcrwatch: ${oneLine(message)}\n${HINT}\n`);
    return 2;
  }
  if (err instanceof UsageError) {
    io.stderr.write(`gcrwatch: ${oneLine(err.message)}\n${HINT}\n`);
    return 2;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(
    `gcrwatch: internal error: ${oneLine(message)}${io.env.GCRWATCH_DEBUG ? `\n${(err as Error)?.stack ?? ''}` : ''}\n`,
  );
  return 70;
}

/**
 * The first line of a message, made safe for a terminal: a message may quote its input (a
 * JSON parser quotes the bytes around its error), and the input may be binary or hold a
 * secret (a docker config.json given as --config).
 */
function oneLine(message: string): string {
  return redactText(message.split('\n')[0]!).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

let installed = false;

/** A bug must still end in one line, not a stack trace. */
function installLastResortHandlers(io: CliIO): void {
  if (installed) return;
  installed = true;
  const fatal = (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`gcrwatch: internal error: ${oneLine(message)}\n`);
    if (io.env.GCRWATCH_DEBUG) io.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    process.exit(70);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
}

/**
 * Applying the configuration file to the command line: each key of the file sets the option
 * it stands for, unless that option was given on the command line (flags override the file).
 * Commander keeps the source of every value (`default`, `cli`, `config`), which is what
 * `gcrwatch config print` shows.
 */
import type { Command } from 'commander';
import { findConfigFile, loadConfigFile } from './config-file.js';
import type { ConfigFile } from './config-schema.js';

/** One option value a config key stands for. */
interface OptionSetting {
  key: string;
  attr: string;
  value: unknown;
}

/** Options set together: the command line's choice in a group beats the file's for the whole group. */
const GROUPS: string[][] = [
  ['ipv4', 'ipv6'],
  ['plain', 'json'],
];

/** What applying the file did. */
export interface AppliedConfig {
  /** The file read, if any. */
  file?: string;
  /** Keys of the file this build has no option for (a newer file, or a feature not built in). */
  unused: string[];
}

const applied = new WeakMap<Command, AppliedConfig>();

/** The options a configuration file's values stand for. */
export function settingsOf(values: ConfigFile): OptionSetting[] {
  const out: OptionSetting[] = [];
  const add = (key: string, attr: string, value: unknown) => {
    if (value !== undefined) out.push({ key, attr, value });
  };
  add('targets', 'target', values.targets);
  add('only', 'only', values.only);
  add('repo', 'repo', values.repo);
  add('interval', 'interval', values.interval);
  add('timeout', 'timeout', values.timeout);
  add('duration', 'duration', values.duration);
  add('rounds', 'rounds', values.rounds);
  add('resolve', 'resolve', values.resolve);
  add('dnsServers', 'dnsServer', values.dnsServers);
  add('caFiles', 'caFile', values.caFiles);
  if (values.ipFamily) add('ipFamily', values.ipFamily === 4 ? 'ipv4' : 'ipv6', true);
  add('proxy', 'proxy', values.proxy);
  add('noProxy', 'proxyBypass', values.noProxy);
  add('compareDirect', 'compareDirect', values.compareDirect);
  add('metrics', 'metrics', values.metrics);
  if (values.output && values.output !== 'tui') add('output', values.output, true);
  add('log', 'log', values.log);
  add('sessions.keep', 'keepSessions', values.sessions?.keep);
  add('sessions.pruneAfter', 'pruneAfter', values.sessions?.pruneAfter);
  add('sessions.prune', 'prune', values.sessions?.prune);
  add('exportDir', 'exportDir', values.exportDir);
  add('color', 'color', values.color);
  add('credentials.interval', 'authInterval', values.credentials?.interval);
  add('credentials.pushCheck', 'pushCheck', values.credentials?.pushCheck);
  return out;
}

function hasOption(cmd: Command, attr: string): boolean {
  return cmd.options.some((o) => o.attributeName() === attr);
}

function fromCommandLine(cmd: Command, attr: string): boolean {
  const group = GROUPS.find((g) => g.includes(attr)) ?? [attr];
  return group.some((a) => cmd.getOptionValueSource(a) === 'cli' || cmd.getOptionValueSource(a) === 'env');
}

/**
 * Find and apply the configuration file to `cmd` (the root program). `--config FILE` names it;
 * `--no-config` skips it. Rejects with `UsageError` for a file that is missing (when named),
 * not JSON, or invalid. Idempotent per command.
 */
export async function applyConfigFile(
  cmd: Command,
  env: NodeJS.ProcessEnv,
  cwd = process.cwd(),
): Promise<AppliedConfig> {
  const done = applied.get(cmd);
  if (done) return done;
  const explicit = cmd.getOptionValue('config') as string | false | undefined;
  const file = explicit === false ? undefined : findConfigFile(explicit, env, cwd);
  const result: AppliedConfig = { unused: [] };
  if (file) {
    const loaded = await loadConfigFile(file);
    result.file = loaded.path;
    if (explicit === undefined) cmd.setOptionValueWithSource('config', loaded.path, 'default');
    for (const s of settingsOf(loaded.values)) {
      if (!hasOption(cmd, s.attr)) {
        result.unused.push(s.key);
        continue;
      }
      if (fromCommandLine(cmd, s.attr)) continue;
      cmd.setOptionValueWithSource(s.attr, s.value, 'config');
    }
  }
  applied.set(cmd, result);
  return result;
}

/** What `applyConfigFile` did to `cmd`, once it has run. */
export function appliedConfigOf(cmd: Command): AppliedConfig | undefined {
  return applied.get(cmd);
}

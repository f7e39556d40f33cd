/**
 * The configuration file: where it is looked for, how it is read, and its validation with
 * messages that name the file, the key and what is wrong, e.g.
 *   `/etc/gcrwatch.json: interval: "5x" is not a duration (examples: 500ms, 2s, 1m, 1h30m)`.
 * The schema (config-schema.ts, zod) is loaded only when a file is found: most runs have none.
 * Relative paths in the file are relative to the file.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConfigFile } from './config-schema.js';
import { UsageError } from './usage-error.js';

/** A loaded file and where it was. */
export interface LoadedConfig {
  path: string;
  values: ConfigFile;
}

/**
 * The file to read: `explicit` (--config) if given, else `$XDG_CONFIG_HOME/gcrwatch/config.json`
 * (default `~/.config`), else `./gcrwatch.json`, else none.
 */
export function findConfigFile(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd = process.cwd(),
): string | undefined {
  if (explicit !== undefined) return path.resolve(cwd, explicit);
  return defaultConfigPaths(env, cwd).find((p) => existsSync(p));
}

/** The default locations, in the order they are tried. */
export function defaultConfigPaths(env: NodeJS.ProcessEnv, cwd = process.cwd()): string[] {
  const base =
    env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME)
      ? env.XDG_CONFIG_HOME
      : path.join(os.homedir(), '.config');
  return [path.join(base, 'gcrwatch', 'config.json'), path.join(cwd, 'gcrwatch.json')];
}

/** Read and validate `file`. Rejects with `UsageError` naming the file, the key and the problem. */
export async function loadConfigFile(file: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `${file}: cannot read the configuration file (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file}: not valid JSON: ${jsonErrorWhere(text, err as Error)}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new UsageError(`${file}: the configuration must be a JSON object ({ "targets": [...], ... })`);
  const [{ checkConfig }, { readCaFile }] = await Promise.all([
    import('./config-schema.js'),
    import('../core/trust.js'),
  ]);
  const checked = checkConfig(raw);
  if ('problem' in checked) throw new UsageError(`${file}: ${checked.problem}`);
  const values = resolvePaths(checked.values, path.dirname(file));
  (values.caFiles ?? []).forEach((ca, i) => {
    try {
      readCaFile(ca, `caFiles[${i}]:`);
    } catch (err) {
      throw new UsageError(`${file}: ${(err as Error).message}`);
    }
  });
  return { path: file, values };
}

function resolvePaths(values: ConfigFile, dir: string): ConfigFile {
  const out = { ...values };
  if (out.caFiles) out.caFiles = out.caFiles.map((f) => path.resolve(dir, f));
  if (typeof out.log === 'string') out.log = path.resolve(dir, out.log);
  if (out.exportDir) out.exportDir = path.resolve(dir, out.exportDir);
  return out;
}

/** Node's JSON errors give a position; a line and column are what an editor shows. */
function jsonErrorWhere(text: string, err: Error): string {
  const pos = /position (\d+)/.exec(err.message);
  const first = err.message.split('\n')[0]!.replace(/ in JSON at position \d+.*$/, '');
  if (!pos) return first;
  const before = text.slice(0, Number(pos[1]));
  const line = before.split('\n').length;
  const column = Number(pos[1]) - before.lastIndexOf('\n');
  return `${first} at line ${line}, column ${column}`;
}

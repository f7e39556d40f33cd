/**
 * The configuration file: where it is looked for, its schema (zod), and its validation with
 * messages that name the file, the key and what is wrong, e.g.
 *   `/etc/gcrwatch.json: interval: "5x" is not a duration (examples: 500ms, 2s, 1m, 1h30m)`.
 * Values are checked with the same parsers as the flags, so a file is refused for exactly
 * what the command line would refuse. Relative paths in the file are relative to the file.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { parseProxyUrl, ProxyConfigError } from '../core/proxy/proxy-settings.js';
import { parseTarget } from '../core/targets.js';
import { readCaFile } from '../core/trust.js';
import { parseDuration, type DurationBounds } from './duration.js';
import { parseMetricsListen } from './metrics-option.js';
import { DURATION_BOUNDS, parseCount, parseDnsServer, parsePins } from './monitor-config.js';
import { UsageError } from './usage-error.js';

/** Run a flag parser on a value; its complaint becomes the issue's message. */
function checked<T extends string>(check: (value: T) => unknown) {
  return (value: T, ctx: z.RefinementCtx) => {
    try {
      check(value);
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      // The parsers name a flag ("--interval: ..."); the file's message names the key instead.
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: err.message.replace(/^(?:--[a-z-]+|[A-Za-z_]+)?: /, '') });
    }
  };
}

const duration = (bounds: DurationBounds) =>
  z.string().superRefine(checked((v: string) => parseDuration(v, '', bounds)));
const target = z.string().superRefine(checked((v: string) => parseTarget(v)));
const pin = z.string().superRefine(checked((v: string) => parsePins([v])));
const dnsServer = z.string().superRefine(checked((v: string) => parseDnsServer(v)));
const proxyUrl = z.string().superRefine(
  checked((v: string) => {
    try {
      parseProxyUrl(v, 'proxy');
    } catch (err) {
      if (err instanceof ProxyConfigError) throw new Error(err.message, { cause: err });
      throw err;
    }
  }),
);
const port = z
  .union([z.number().int().min(0).max(65535).transform(String), z.string()])
  .superRefine(checked((v: string) => parseMetricsListen(v)));

/** The file's schema. Unknown keys are refused (a misspelt key must not be silently ignored). */
export const CONFIG_SCHEMA = z
  .object({
    targets: z.array(target),
    only: z.boolean(),
    repo: z.string(),
    interval: duration(DURATION_BOUNDS.interval),
    timeout: duration(DURATION_BOUNDS.timeout),
    duration: duration(DURATION_BOUNDS.duration),
    rounds: z
      .union([z.number().int().transform(String), z.string()])
      .superRefine(checked((v: string) => parseCount(v, ''))),
    resolve: z.array(pin),
    dnsServers: z.array(dnsServer),
    caFiles: z.array(z.string().min(1)),
    ipFamily: z.union([z.literal(4), z.literal(6)]),
    proxy: z.union([proxyUrl, z.literal(false)]),
    noProxy: z.string(),
    compareDirect: z.boolean(),
    metrics: port,
    output: z.enum(['tui', 'plain', 'json']),
    log: z.union([z.string().min(1), z.literal(false)]),
    sessions: z
      .object({
        keep: z
          .union([z.number().int().transform(String), z.string()])
          .superRefine(checked((v: string) => parseCount(v, ''))),
        pruneAfter: duration(DURATION_BOUNDS.pruneAfter),
        prune: z.boolean(),
      })
      .partial()
      .strict(),
    exportDir: z.string().min(1),
    color: z.boolean(),
    credentials: z
      .object({ interval: duration({ min: 1000, max: 86_400_000 }), pushCheck: z.boolean() })
      .partial()
      .strict(),
  })
  .partial()
  .strict();

/** A validated configuration file. */
export type ConfigFile = z.infer<typeof CONFIG_SCHEMA>;

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

/** Read and validate `file`. Throws `UsageError` naming the file, the key and the problem. */
export function loadConfigFile(file: string): LoadedConfig {
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
  const parsed = CONFIG_SCHEMA.safeParse(raw);
  if (!parsed.success) throw new UsageError(`${file}: ${describeIssue(parsed.error.issues[0]!)}`);
  const values = resolvePaths(parsed.data, path.dirname(file));
  (values.caFiles ?? []).forEach((ca, i) => {
    try {
      readCaFile(ca, `caFiles[${i}]:`);
    } catch (err) {
      throw new UsageError(`${file}: ${(err as Error).message}`);
    }
  });
  return { path: file, values };
}

/** `key.sub[2]: message`, in words a person can act on. */
function describeIssue(issue: z.ZodIssue): string {
  const key = issue.path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p),
    '',
  );
  switch (issue.code) {
    case z.ZodIssueCode.unrecognized_keys:
      return `${issue.keys.map((k) => (key ? `${key}.${k}` : k)).join(', ')}: unknown key (known: ${knownKeys(key).join(', ')})`;
    case z.ZodIssueCode.invalid_type:
      return `${key}: expected ${issue.expected}, got ${issue.received}`;
    case z.ZodIssueCode.invalid_union:
    case z.ZodIssueCode.invalid_literal:
      return `${key}: ${unionMessage(issue)}`;
    default:
      return `${key}: ${issue.message}`;
  }
}

function unionMessage(issue: z.ZodIssue): string {
  if (issue.code === z.ZodIssueCode.invalid_union) {
    const custom = issue.unionErrors.flatMap((e) => e.issues).find((i) => i.code === z.ZodIssueCode.custom);
    if (custom) return custom.message;
  }
  return (
    (
      {
        ipFamily: 'must be 4 or 6',
        proxy: 'must be a proxy URL or false',
        log: 'must be a file path or false',
      } as Record<string, string>
    )[String(issue.path.at(-1))] ?? 'has the wrong type'
  );
}

function knownKeys(at: string): string[] {
  const shape =
    at === 'credentials'
      ? CONFIG_SCHEMA.shape.credentials.unwrap().shape
      : at === 'sessions'
        ? CONFIG_SCHEMA.shape.sessions.unwrap().shape
        : CONFIG_SCHEMA.shape;
  return Object.keys(shape);
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

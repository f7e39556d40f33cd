/**
 * The configuration file's schema (zod) and its one-line messages naming the key and what is
 * wrong. Loaded only when a configuration file is found (config-file.ts), so a run without
 * one loads no zod. Values are checked with the same parsers as the flags, so a file is
 * refused for exactly what the command line would refuse.
 */
// zod/v4, as the session-log schema (core/log/event-schema.ts): one copy of zod per process.
import { z } from 'zod/v4';
import { parseProxyUrl, ProxyConfigError } from '../core/proxy/proxy-settings.js';
import { parseTarget } from '../core/targets.js';
import { parseDuration, type DurationBounds } from './duration.js';
import { parseMetricsListen } from './metrics-option.js';
import { DURATION_BOUNDS, parseCount, parseDnsServer, parsePins } from './monitor-config.js';

/** Run a flag parser on a value; its complaint becomes the issue's message. */
function checked<T extends string>(check: (value: T) => unknown) {
  return (value: T, ctx: z.RefinementCtx<T>) => {
    try {
      check(value);
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      // The parsers name a flag ("--interval: ..."); the file's message names the key instead.
      ctx.addIssue({ code: 'custom', message: err.message.replace(/^(?:--[a-z-]+|[A-Za-z_]+)?: /, '') });
    }
  };
}

const duration = (bounds: DurationBounds) =>
  z.string().superRefine(checked((v: string) => parseDuration(v, '', bounds)));
const target = z.string().superRefine(checked((v: string) => parseTarget(v)));
const pin = z.string().superRefine(checked((v: string) => parsePins([v])));
const dnsServer = z.string().superRefine(checked((v: string) => parseDnsServer(v)));
const count = z.union([z.number().int().transform(String), z.string()]).superRefine(checked((v) => parseCount(v, '')));
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
// The texts zod 3 wrote for these, kept: the file's messages did not change with the move to zod/v4.
const nonEmpty = z.string().min(1, { error: 'String must contain at least 1 character(s)' });
const OUTPUTS = ['tui', 'plain', 'json'] as const;
const outputs = OUTPUTS.map((o) => `'${o}'`).join(' | ');
const output = z.enum(OUTPUTS, {
  error: ({ input }) =>
    typeof input === 'string'
      ? `Invalid enum value. Expected ${outputs}, received '${input}'`
      : `expected ${outputs}, got ${typeOf(input)}`,
});
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
    rounds: count,
    resolve: z.array(pin),
    dnsServers: z.array(dnsServer),
    caFiles: z.array(nonEmpty),
    ipFamily: z.union([z.literal(4), z.literal(6)]),
    proxy: z.union([proxyUrl, z.literal(false)]),
    noProxy: z.string(),
    compareDirect: z.boolean(),
    metrics: port,
    output,
    log: z.union([nonEmpty, z.literal(false)]),
    sessions: z
      .object({ keep: count, pruneAfter: duration(DURATION_BOUNDS.pruneAfter), prune: z.boolean() })
      .partial()
      .strict(),
    exportDir: nonEmpty,
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

/** The file's values, or the first problem in words a person can act on (`key.sub[2]: message`). */
export function checkConfig(raw: unknown): { values: ConfigFile } | { problem: string } {
  const parsed = CONFIG_SCHEMA.safeParse(raw, { reportInput: true });
  return parsed.success ? { values: parsed.data } : { problem: describeIssue(parsed.error.issues[0]!) };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const key = issue.path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    '',
  );
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${issue.keys.map((k) => (key ? `${key}.${k}` : k)).join(', ')}: unknown key (known: ${knownKeys(key).join(', ')})`;
    case 'invalid_type':
      return `${key}: expected ${issue.expected}, got ${typeOf(issue.input)}`;
    case 'invalid_union':
    case 'invalid_value':
      return `${key}: ${unionMessage(issue)}`;
    default:
      return `${key}: ${issue.message}`;
  }
}

/** The JSON type of a value, in the words of the expected type ("array", not "object"). */
function typeOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function unionMessage(issue: z.core.$ZodIssueInvalidUnion | z.core.$ZodIssueInvalidValue): string {
  // A value of the right type refused by the option's own check: that check's words.
  if (issue.code === 'invalid_union') {
    const refused = issue.errors.flat().find((i) => i.code === 'custom' || i.code === 'too_small');
    if (refused) return refused.message;
  }
  const fixed: Record<string, string> = {
    ipFamily: 'must be 4 or 6',
    proxy: 'must be a proxy URL or false',
    log: 'must be a file path or false',
  };
  return fixed[String(issue.path.at(-1))] ?? (issue.code === 'invalid_value' ? issue.message : 'has the wrong type');
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

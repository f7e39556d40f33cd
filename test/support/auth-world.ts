/**
 * Running gcrwatch's credential checks end to end in the simulated world: identities minted
 * at the world's OAuth endpoint and granted (or refused) by its registry token endpoint,
 * docker config and helpers in a temp folder, and gcrwatch run twice at once (plain and
 * `--json`), each with its session log, so a test can assert the `auth` events and that no
 * secret reached any output.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { GrantPolicy } from '../../src/sim/index.js';
import type { SessionEvent, AuthEvent } from '../../src/core/events.js';
import type { World } from '../peers/world.js';
import { HelperBin } from './credential-helpers.js';
import { BIN } from './run-cli.js';
import { readLog } from './session-log.js';

/** An identity with an access token minted by the world's OAuth endpoint. */
export interface MintedIdentity {
  email: string;
  refreshToken: string;
  accessToken: string;
}

/**
 * Create an OAuth account for `email`, mint an access token for it at
 * https://oauth2.googleapis.com/token (inside the world), and tell the registry token endpoint
 * what that token may do.
 */
export async function mintIdentity(
  world: World,
  name: string,
  email: string,
  policy: GrantPolicy,
  grantDelete = policy === 'push',
): Promise<MintedIdentity> {
  const refreshToken = `1//sim-${name}-refresh-CANARY-${Math.random().toString(36).slice(2, 10)}`;
  await world.oauth.setAccount({ email, refreshToken });
  const res = await world.run('curl', [
    '-sS',
    '--max-time',
    '5',
    '--cacert',
    world.caFile,
    '-d',
    'grant_type=refresh_token',
    '-d',
    `refresh_token=${refreshToken}`,
    '-d',
    'client_id=sim',
    '-d',
    'client_secret=sim',
    'https://oauth2.googleapis.com/token',
  ]);
  const { access_token: accessToken } = JSON.parse(res.stdout) as { access_token: string };
  if (!accessToken) throw new Error(`minting a token for ${email} failed: ${res.stdout} ${res.stderr}`);
  await world.tokens.setIdentity({ password: accessToken, policy, subject: email, grantDelete });
  return { email, refreshToken, accessToken };
}

/** What one scenario's two gcrwatch runs printed and logged. */
export interface AuthRun {
  plain: string;
  plainStderr: string;
  json: string;
  log: string;
  /** Events of the plain run's log. */
  events: SessionEvent[];
  auth: AuthEvent[];
  code: number | null;
}

/** Run gcrwatch `args` in the world twice at once, plain and --json, each with a log. */
export async function runGcrwatchInWorld(
  world: World,
  bin: HelperBin,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 60_000,
): Promise<AuthRun> {
  const logPlain = path.join(bin.dir, 'plain.ndjson');
  const logJson = path.join(bin.dir, 'json.ndjson');
  const runEnv = bin.env(env);
  const [plain, json] = await Promise.all([
    world.run(process.execPath, [BIN, '--plain', '--log', logPlain, ...args], { env: runEnv, timeoutMs }),
    world.run(process.execPath, [BIN, '--json', '--log', logJson, ...args], { env: runEnv, timeoutMs }),
  ]);
  const log = readFileSync(logPlain, 'utf8') + readFileSync(logJson, 'utf8');
  const events = readLog(logPlain);
  return {
    plain: plain.stdout,
    plainStderr: plain.stderr,
    json: json.stdout,
    log,
    events,
    auth: events.filter((e): e is AuthEvent => e.type === 'auth'),
    code: plain.code,
  };
}

/** Every place a secret could leak to, as one text. */
export function allOutput(run: AuthRun): string {
  return [run.plain, run.plainStderr, run.json, run.log].join('\n');
}

/** Secrets by shape: an unredacted Google access or refresh token, a JWT, a Basic credential. */
export const SECRET_SHAPES: RegExp[] = [
  /ya29\.[A-Za-z0-9_-]/,
  /1\/\/sim/,
  /eyJ[A-Za-z0-9_-]{8,}\.eyJ/,
  /Basic [A-Za-z0-9+/=]{8,}/,
  /CANARY/,
];

/**
 * The registry's view of the push target: does the registry let docker's credential push to
 * this repository? The Bearer challenge from `GET /v2/`, a token for
 * `repository:NAME:push,pull` from its realm (`registry-token.ts`), then an upload opened
 * and cancelled (`push-check.ts`) unless `--no-push-check`. A refusal is reported in the
 * registry's own words, before any layer is uploaded. The `GET /v2/` answer is handed on for
 * the clock check (its `Date` header).
 */
import { performance } from 'node:perf_hooks';
import { classifyHttpError } from '../classify.js';
import { failure } from '../errors.js';
import { describeResponse, judgeResponse } from '../probes/http.js';
import type { DockerCredential } from './docker-credential.js';
import { fingerprint } from './fingerprint.js';
import { checkPushPermission, type PushCheckOutcome } from './push-check.js';
import { registryBase, type HttpAnswer, type RegistryHttp } from './registry-http.js';
import { requestPushToken } from './registry-token.js';
import { roundMs, type AuthInput } from './types.js';

/** What the registry view needs. */
export interface RegistryViewInput {
  host: string;
  port: number;
  repository: string;
  /** docker's credential for the host, when it has one (otherwise docker asks anonymously). */
  credential?: DockerCredential;
  /** Open and cancel an upload to prove push permission (off with --no-push-check). */
  pushCheck: boolean;
  http: RegistryHttp;
  now: () => number;
}

/** The check's event, and the `GET /v2/` answer for the clock check. */
export interface RegistryViewResult {
  event: AuthInput;
  ping?: HttpAnswer;
}

/** Run the registry's view. Never throws. */
export async function checkRegistryView(input: RegistryViewInput): Promise<RegistryViewResult> {
  const started = performance.now();
  const base = registryBase(input.host, input.port);
  const c = input.credential;
  const e: AuthInput = {
    type: 'auth',
    view: 'registry',
    host: targetLabel(input),
    repository: input.repository,
    source: c?.source ?? 'anonymous',
    ok: true,
  };
  if (c) e.kind = c.kind.kind;
  if (c?.identity) e.identity = c.identity;
  const done = (event: AuthInput, ping?: HttpAnswer): RegistryViewResult => ({
    event: { ...event, ms: roundMs(performance.now() - started) },
    ...(ping ? { ping } : {}),
  });
  let ping: HttpAnswer;
  try {
    ping = await input.http.send(`${base}/v2/`);
  } catch (err) {
    return done(fail(e, classifyHttpError(err)));
  }
  const details = describeResponse(ping.status, ping.headers);
  const scheme = details.challenge?.scheme.toLowerCase();
  let authorization: string | undefined;
  if (ping.status === 401 && scheme === 'bearer') {
    const outcome = await requestPushToken(input.http, details.challenge!, input.repository, c, input.now);
    if (!outcome.ok)
      return done(fail(e, outcome.error, outcome.error.code === 'auth.denied' ? false : undefined), ping);
    const t = outcome.token;
    e.expiresAt = new Date(t.expiresAt).toISOString();
    e.fingerprint = fingerprint(t.token);
    if (t.subject) e.identity = t.subject;
    authorization = `Bearer ${t.token}`;
    if (!input.pushCheck) return done(judgeGrant(e, t.actions, input.repository), ping);
  } else if (ping.status === 401 && scheme === 'basic') {
    if (c?.password !== undefined)
      authorization = `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
  } else {
    const verdict = judgeResponse(details, ping.body);
    if (verdict) return done(fail(e, verdict), ping);
    e.note = 'the registry asks for no credential';
  }
  if (!input.pushCheck)
    return done({ ...e, note: [e.note, 'push check off (--no-push-check)'].filter(Boolean).join('; ') }, ping);
  return done(applyPushCheck(e, await checkPushPermission(input.http, base, input.repository, authorization)), ping);
}

function targetLabel(input: RegistryViewInput): string {
  return input.port === 443 ? input.host : `${input.host}:${input.port}`;
}

function fail(e: AuthInput, error: AuthInput['error'], canPush?: boolean): AuthInput {
  return { ...e, ok: false, error, ...(canPush !== undefined ? { canPush } : {}) };
}

/** Without the upload check, a JWT's own `access` claim still tells whether push was granted. */
function judgeGrant(e: AuthInput, actions: string[] | undefined, repository: string): AuthInput {
  if (actions === undefined)
    return { ...e, note: 'token granted; push check off (--no-push-check), push permission not proved' };
  if (actions.includes('push'))
    return { ...e, canPush: true, note: 'the token grants push; push check off (--no-push-check)' };
  return fail(
    e,
    failure(
      'auth.denied',
      `the token endpoint granted only ${actions.join(',') || 'nothing'} on ${repository}, not push`,
      'auth',
    ),
    false,
  );
}

function applyPushCheck(e: AuthInput, outcome: PushCheckOutcome): AuthInput {
  const out: AuthInput = { ...e };
  if (outcome.canPush !== undefined) out.canPush = outcome.canPush;
  if (outcome.note) out.note = [e.note, outcome.note].filter(Boolean).join('; ');
  return outcome.error ? fail(out, outcome.error) : out;
}

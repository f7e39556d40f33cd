/**
 * Running a docker credential helper exactly as docker does (docker-credential-helpers'
 * client): `docker-credential-NAME get`, the server address on stdin, a JSON answer
 * `{"ServerURL","Username","Secret"}` on stdout, and "credentials not found in native
 * keychain" with a non-zero exit when it has nothing. Unlike docker, gcrwatch keeps the
 * helper's stderr (helpers that fail silently are a known trap), times it, stops it at a
 * time limit, and stops it when it prints more than a helper ever should.
 *
 * The helper runs in its own process group and the whole group is killed: helpers are often
 * scripts (docker-credential-gcloud is one) whose children would otherwise keep the pipes
 * open after the script itself was killed.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { registerSecret } from '../log/redact.js';

/** Limits of one helper run, and the environment it runs in (PATH finds it). */
export interface HelperLimits {
  /** Kill the helper after this long (docker itself would wait forever). */
  timeoutMs: number;
  /** Kill the helper when stdout and stderr together exceed this many bytes. */
  maxOutputBytes: number;
  /** Environment of the helper; default this process's. */
  env?: NodeJS.ProcessEnv;
}

/** Defaults: a helper answers in well under a second; gcloud's takes one or two. */
export const DEFAULT_HELPER_LIMITS: HelperLimits = { timeoutMs: 10_000, maxOutputBytes: 1024 * 1024 };

/** Why a helper gave no credential. */
export type HelperFailure = 'missing' | 'not_found' | 'failed' | 'timeout' | 'garbage' | 'overflow' | 'aborted';

/** The outcome of one `get`. `stderr` is what the helper printed there (capped, may be empty). */
export type HelperOutcome =
  | { ok: true; username: string; secret: string; ms: number; stderr: string }
  | { ok: false; reason: HelperFailure; message: string; ms: number; stderr: string };

/** The helper's program name for a `credsStore`/`credHelpers` value. */
export function helperProgram(name: string): string {
  return `docker-credential-${name}`;
}

const NOT_FOUND = 'credentials not found in native keychain';
const KEEP_STDERR = 16 * 1024;
const VALID_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Run `docker-credential-<name> get` with `serverUrl` on stdin. Never throws; the secret is
 * registered with `registerSecret` before this returns it.
 */
export function runCredentialHelper(
  name: string,
  serverUrl: string,
  limits: HelperLimits = DEFAULT_HELPER_LIMITS,
  signal?: AbortSignal,
): Promise<HelperOutcome> {
  const program = helperProgram(name);
  if (!VALID_NAME.test(name)) {
    return Promise.resolve({
      ok: false,
      reason: 'failed',
      message: `"${name}" is not a credential helper name`,
      ms: 0,
      stderr: '',
    });
  }
  return new Promise((resolve) => {
    const started = performance.now();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let stopped: HelperFailure | undefined;
    let settled = false;
    const child = spawn(program, ['get'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      env: limits.env ?? process.env,
    });
    const ms = () => Math.round((performance.now() - started) * 10) / 10;
    const stderrText = () => Buffer.concat(err).toString('utf8').trim();
    const finish = (outcome: HelperOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const kill = (why: HelperFailure) => {
      stopped ??= why;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const onAbort = () => kill('aborted');
    const timer = setTimeout(() => kill('timeout'), limits.timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    const account = (chunk: Buffer, into: Buffer[], kept: number, cap: number) => {
      if (kept < cap) into.push(chunk.subarray(0, cap - kept));
      if (outBytes + errBytes > limits.maxOutputBytes) kill('overflow');
    };
    child.stdout.on('data', (c: Buffer) => {
      outBytes += c.length;
      account(c, out, outBytes - c.length, limits.maxOutputBytes);
    });
    child.stderr.on('data', (c: Buffer) => {
      errBytes += c.length;
      account(c, err, errBytes - c.length, KEEP_STDERR);
    });
    child.stdin.on('error', () => undefined); // a helper that exits without reading stdin
    child.stdin.end(serverUrl);
    child.on('error', (e: NodeJS.ErrnoException) => {
      const missing = e.code === 'ENOENT' || e.code === 'EACCES';
      finish({
        ok: false,
        reason: missing ? 'missing' : 'failed',
        ms: ms(),
        stderr: '',
        message: missing
          ? `${program} is not on PATH${e.code === 'EACCES' ? ' (or not executable)' : ''}`
          : `${program} could not be started (${e.code ?? e.message})`,
      });
    });
    child.on('close', (code, sig) => {
      const stdout = Buffer.concat(out).toString('utf8');
      finish(judge(program, { code, signal: sig, stopped, stdout, stderr: stderrText(), ms: ms(), limits }));
    });
  });
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stopped?: HelperFailure;
  stdout: string;
  stderr: string;
  ms: number;
  limits: HelperLimits;
}

/** Turn how the helper ended into an outcome (docker's reading of it, plus our limits). */
function judge(program: string, x: Exit): HelperOutcome {
  const fail = (reason: HelperFailure, message: string): HelperOutcome => ({
    ok: false,
    reason,
    message,
    ms: x.ms,
    stderr: x.stderr,
  });
  // docker shows a failed helper's stdout (docker-credential-gcloud prints its errors there);
  // gcrwatch shows stderr too, which docker drops.
  const printed = [x.stdout.trim() && `said: ${oneLine(x.stdout)}`, x.stderr && `stderr: ${oneLine(x.stderr)}`]
    .filter(Boolean)
    .join('; ');
  const said = printed ? `; ${printed}` : ' and printed nothing';
  if (x.stopped === 'timeout')
    return fail(
      'timeout',
      `${program} get did not answer within ${x.limits.timeoutMs / 1000} s and was killed${x.stderr ? `; stderr: ${oneLine(x.stderr)}` : ''}`,
    );
  if (x.stopped === 'overflow')
    return fail(
      'overflow',
      `${program} get printed more than ${Math.round(x.limits.maxOutputBytes / 1024)} KiB and was killed`,
    );
  if (x.stopped === 'aborted') return fail('aborted', `${program} get was stopped`);
  if (x.code !== 0) {
    // docker treats this exact text on stdout as "no credential", not as a failure.
    if (x.stdout.trim() === NOT_FOUND) return fail('not_found', `${program} has no credential for this host`);
    const status = x.signal ? `was killed by ${x.signal}` : `exited with status ${x.code}`;
    return fail('failed', `${program} get ${status}${said}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(x.stdout);
  } catch {
    // The output may be a secret printed the wrong way: say what it is not, never what it is.
    return fail(
      'garbage',
      `${program} get printed ${Buffer.byteLength(x.stdout)} bytes that are not JSON${x.stderr ? `; stderr: ${oneLine(x.stderr)}` : ''}`,
    );
  }
  const o = parsed as { Username?: unknown; Secret?: unknown };
  if (
    typeof o !== 'object' ||
    o === null ||
    typeof o.Secret !== 'string' ||
    (o.Username !== undefined && typeof o.Username !== 'string')
  ) {
    return fail('garbage', `${program} get printed JSON without a "Secret" string`);
  }
  registerSecret(o.Secret);
  if (!o.Secret) return fail('not_found', `${program} answered with an empty secret`);
  return { ok: true, username: (o.Username as string | undefined) ?? '', secret: o.Secret, ms: x.ms, stderr: x.stderr };
}

function oneLine(text: string): string {
  const flat = text.trim().replace(/\s*\n\s*/g, ' | ');
  return flat.length > 400 ? `${flat.slice(0, 400)}…` : flat;
}

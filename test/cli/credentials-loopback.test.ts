/**
 * Credential scenarios that need control over time, on loopback with the simulated peers:
 *   - a clock 10 minutes off the registry's (gcrwatch itself, run as a user would);
 *   - an `oauth2accesstoken` login whose token lapses during the session: a warning first,
 *     then `auth.token_expired` as soon as it has lapsed (the session's credential source,
 *     in-process, because Google's tokeninfo is reached on loopback here).
 * Each asserts the `auth` events and that no secret reaches the log, --json or plain output.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuthEvent, SessionEndEvent } from '../../src/core/events.js';
import { clearRegisteredSecrets } from '../../src/core/log/redact.js';
import { createCa, issueLeaf, startOAuthServer, startTokenServer, type OAuthServer, type TokenServer } from '../../src/sim/index.js';
import { checkSession, startLoopbackRegistry, waitFor } from '../support/auth-loopback.js';
import { SECRET_SHAPES } from '../support/auth-world.js';
import { HelperBin } from '../support/credential-helpers.js';
import { runCli } from '../support/run-cli.js';
import { startSkewedRegistry, type SkewedRegistry } from '../support/skewed-registry.js';

const ROBOT_PASSWORD = 'CANARY-robot-password-31415';
const PASTER_REFRESH = '1//sim-paster-refresh-CANARY-27182';
let bin: HelperBin;
const closers: Array<() => Promise<void>> = [];

beforeEach(() => { bin = new HelperBin(); });
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  bin.cleanup();
  clearRegisteredSecrets();
});

async function loopbackPki() {
  const ca = await createCa();
  const leaf = await issueLeaf(ca, { sans: ['127.0.0.1'] });
  const caFile = path.join(bin.dir, 'ca.pem');
  writeFileSync(caFile, ca.certPem);
  return { ca, leaf, caFile };
}

function expectNoSecret(text: string, secrets: string[]): void {
  for (const s of secrets) expect(text).not.toContain(s);
  for (const shape of SECRET_SHAPES) expect(text).not.toMatch(shape);
}

describe('clock skew of 10 minutes against the registry', () => {
  it('is reported with its size and direction, and tokens keep working', async () => {
    const { leaf, caFile } = await loopbackPki();
    const tokens: TokenServer = await startTokenServer({ tls: { cert: leaf.chainPem, key: leaf.keyPem }, identities: [{ username: 'robot', password: ROBOT_PASSWORD, policy: 'push', grantDelete: true }] });
    closers.push(() => tokens.close());
    const registry: SkewedRegistry = await startSkewedRegistry(leaf, tokens.realm, 10 * 60_000);
    closers.push(() => registry.close());
    const host = `127.0.0.1:${registry.port}`;
    bin.writeDockerConfig({ auths: { [host]: { auth: Buffer.from(`robot:${ROBOT_PASSWORD}`).toString('base64') } } });
    const log = path.join(bin.dir, 'session.ndjson');
    const args = ['--only', '--target', host, '--repo', `${host}/proj/app`, '--ca-file', caFile, '--duration', '2s'];
    const [plain, json] = await Promise.all([
      runCli(['--plain', '--log', log, ...args], { env: bin.env() }),
      runCli(['--json', '--no-log', ...args], { env: bin.env() }),
    ]);
    const events = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuthEvent | SessionEndEvent);
    const clock = events.find((e): e is AuthEvent => e.type === 'auth' && e.view === 'clock')!;
    expect(clock).toMatchObject({ ok: false, host, error: { code: 'auth.clock_skew', category: 'local' } });
    expect(clock.skewSeconds).toBeGreaterThanOrEqual(599);
    expect(clock.skewSeconds).toBeLessThanOrEqual(601);
    expect(clock.error!.message).toMatch(/this machine's clock is 6\d\d s behind 127\.0\.0\.1:\d+'s/);
    expect(events.find((e): e is AuthEvent => e.type === 'auth' && e.view === 'registry')).toMatchObject({ ok: true, canPush: true });
    expect(plain.stdout).toMatch(/auth clock {4}127\.0\.0\.1:\d+ {2}clock skew \+6\d\ds {2}FAIL auth\.clock_skew/);
    expect(plain.stdout).toContain('credentials: FAILING:');
    expect(json.stdout).toContain('"auth.clock_skew"');
    expectNoSecret([plain.stdout, plain.stderr, json.stdout, json.stderr, readFileSync(log, 'utf8')].join('\n'), [ROBOT_PASSWORD]);
  }, 30_000);
});

describe('an oauth2accesstoken login whose token lapses', () => {
  it('warns while it lives, and says expired the moment it has lapsed', async () => {
    // Google's tokeninfo over plain HTTP on loopback: this process cannot add a CA to fetch's trust.
    const oauth: OAuthServer = await startOAuthServer({ expiresIn: 4, accounts: [{ email: 'paster@example.com', refreshToken: PASTER_REFRESH }] });
    closers.push(() => oauth.close());
    const minted = await fetch(`${oauth.url}/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: PASTER_REFRESH }) });
    const accessToken = ((await minted.json()) as { access_token: string }).access_token;
    const registry = await startLoopbackRegistry([{ password: accessToken, policy: 'push', grantDelete: true, subject: 'paster@example.com' }]);
    closers.push(() => registry.close());
    bin.writeDockerConfig({ auths: { [registry.host]: { auth: Buffer.from(`oauth2accesstoken:${accessToken}`).toString('base64') } } });
    const run = checkSession(registry, bin.dir, { env: bin.env(), tokenInfoUrl: `${oauth.url}/tokeninfo` });
    const docker = () => run.auth.filter((e) => e.view === 'docker');
    run.session.start();
    const started = Date.now();
    await waitFor(() => docker().some((e) => e.error?.code === 'auth.token_expired'), 15_000, 'auth.token_expired');
    const end = await run.session.stop('duration');

    const [first] = docker();
    expect(first).toMatchObject({ ok: false, kind: 'access-token', identity: 'paster@example.com', error: { code: 'auth.short_lived' } });
    expect(first!.error!.message).toMatch(/docker's access token for 127\.0\.0\.1:\d+ expires in [34]s/);
    const expired = docker().find((e) => e.error?.code === 'auth.token_expired')!;
    // The check was brought forward to the expiry, not left for the 60 s interval.
    expect(Date.parse(expired.t) - started).toBeLessThan(8000);
    expect(Date.parse(expired.t)).toBeGreaterThanOrEqual(Date.parse(first!.expiresAt!));
    expect(end.credentials).toMatchObject({ state: 'failing', codes: expect.arrayContaining(['auth.token_expired']) });
    expect(run.plain.join('\n')).toMatch(/WARN auth\.short_lived: docker's access token for 127\.0\.0\.1:\d+ expires in/);
    expect(run.plain.join('\n')).toMatch(/FAIL auth\.token_expired/);
    expectNoSecret(run.allText(), [accessToken, PASTER_REFRESH]);
  }, 30_000);
});

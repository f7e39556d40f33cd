import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCredentialHelper, type HelperLimits } from '../../../src/core/auth/credential-helper.js';
import { clearRegisteredSecrets, redactText } from '../../../src/core/log/redact.js';
import { HelperBin } from '../../support/credential-helpers.js';

const SECRET = 'ya29.CANARY-helper-secret-0123456789';
let bin: HelperBin;
let limits: HelperLimits;

beforeEach(() => {
  bin = new HelperBin();
  limits = { timeoutMs: 1500, maxOutputBytes: 64 * 1024, env: bin.env() };
});
afterEach(() => {
  bin.cleanup();
  clearRegisteredSecrets();
});

describe('runCredentialHelper (real executables on PATH)', () => {
  it('runs `get` with the host on stdin and reads the answer, timed; the secret is registered', async () => {
    bin.install('gcloud', { kind: 'ok', username: '_dcgcloud_token', secret: SECRET });
    const out = await runCredentialHelper('gcloud', 'gcr.io', limits);
    expect(out).toMatchObject({ ok: true, username: '_dcgcloud_token', secret: SECRET });
    expect(out.ms).toBeGreaterThan(0);
    expect(readFileSync(path.join(bin.dir, 'gcloud.calls'), 'utf8')).toBe('gcr.io\n');
    expect(redactText(`x ${SECRET} y`)).not.toContain(SECRET);
  });

  it('reports a helper that is not on PATH, naming the program', async () => {
    const out = await runCredentialHelper('gcloud', 'gcr.io', limits);
    expect(out).toMatchObject({ ok: false, reason: 'missing' });
    expect(!out.ok && out.message).toContain('docker-credential-gcloud is not on PATH');
  });

  it('keeps the stderr of a failing helper and its exit status', async () => {
    bin.install('gcloud', {
      kind: 'fail',
      stderr: 'ERROR: (gcloud.auth.docker-helper) You do not currently have an active account selected.',
      status: 1,
    });
    const out = await runCredentialHelper('gcloud', 'gcr.io', limits);
    expect(out.ok).toBe(false);
    expect(!out.ok && out.reason).toBe('failed');
    expect(!out.ok && out.message).toMatch(
      /exited with status 1; stderr: ERROR: \(gcloud.auth.docker-helper\) You do not currently have an active account/,
    );
  });

  it('says when a failing helper printed nothing at all', async () => {
    bin.install('silent', { kind: 'fail', stderr: '', status: 3 });
    const out = await runCredentialHelper('silent', 'gcr.io', limits);
    expect(!out.ok && out.message).toContain('exited with status 3 and printed nothing');
  });

  it('treats "credentials not found in native keychain" as no credential, as docker does', async () => {
    bin.install('desktop', { kind: 'not-found' });
    const out = await runCredentialHelper('desktop', 'europe-west1-docker.pkg.dev', limits);
    expect(out).toMatchObject({ ok: false, reason: 'not_found' });
  });

  it('kills a hanging helper (and its children) at the time limit', async () => {
    bin.install('hang', { kind: 'hang' });
    const started = Date.now();
    const out = await runCredentialHelper('hang', 'gcr.io', { ...limits, timeoutMs: 400 });
    expect(out).toMatchObject({ ok: false, reason: 'timeout' });
    expect(!out.ok && out.message).toContain('did not answer within 0.4 s');
    // The script's `sleep` child held the pipes: only a group kill ends this promptly.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('times a slow helper that answers', async () => {
    bin.install('slow', { kind: 'ok', username: '_dcgcloud_token', secret: SECRET, delayMs: 600 });
    const out = await runCredentialHelper('slow', 'gcr.io', limits);
    expect(out.ok).toBe(true);
    expect(out.ms).toBeGreaterThanOrEqual(550);
  });

  it('reports garbage without repeating it (it may be a secret printed the wrong way)', async () => {
    bin.install('garbage', { kind: 'garbage', stdout: 'CANARY-garbage-not-json' });
    const out = await runCredentialHelper('garbage', 'gcr.io', limits);
    expect(out).toMatchObject({ ok: false, reason: 'garbage' });
    expect(!out.ok && out.message).toContain('23 bytes that are not JSON');
    expect(JSON.stringify(out)).not.toContain('CANARY-garbage');
  });

  it('reports JSON without a Secret as garbage', async () => {
    bin.install('nosecret', { kind: 'garbage', stdout: '{"Username":"x"}' });
    const out = await runCredentialHelper('nosecret', 'gcr.io', limits);
    expect(out).toMatchObject({ ok: false, reason: 'garbage' });
  });

  it('stops a helper that floods its output', async () => {
    bin.install('flood', { kind: 'flood' });
    const out = await runCredentialHelper('flood', 'gcr.io', limits);
    expect(out).toMatchObject({ ok: false, reason: 'overflow' });
    expect(!out.ok && out.message).toContain('more than 64 KiB');
  });

  it('stops the helper when the signal aborts', async () => {
    bin.install('hang', { kind: 'hang' });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const out = await runCredentialHelper('hang', 'gcr.io', limits, ac.signal);
    expect(out).toMatchObject({ ok: false, reason: 'aborted' });
  });

  it('refuses a helper name that is a path', async () => {
    const out = await runCredentialHelper('../../bin/sh', 'gcr.io', limits);
    expect(out).toMatchObject({ ok: false, reason: 'failed' });
  });
});

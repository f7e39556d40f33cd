import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDockerConfig } from '../../../src/core/auth/docker-config.js';
import { checkDockerView, type DockerViewInput } from '../../../src/core/auth/docker-view.js';
import { clearRegisteredSecrets, redactValue } from '../../../src/core/log/redact.js';
import { HelperBin } from '../../support/credential-helpers.js';

const PRIVATE_KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvCANARYKEYMATERIAL\n-----END PRIVATE KEY-----\n';
const KEY_JSON = JSON.stringify({
  type: 'service_account',
  client_email: 'pusher@proj.iam.gserviceaccount.com',
  private_key_id: 'CANARYkeyid0123',
  private_key: PRIVATE_KEY,
});
let bin: HelperBin;

beforeEach(() => {
  bin = new HelperBin();
});
afterEach(() => {
  bin.cleanup();
  clearRegisteredSecrets();
});

function input(host: string, pushTarget: boolean, over: Partial<DockerViewInput> = {}): DockerViewInput {
  return {
    host,
    pushTarget,
    config: loadDockerConfig(`${bin.dockerConfigDir}/config.json`),
    helperLimits: { timeoutMs: 2000, maxOutputBytes: 65536, env: bin.env() },
    slowHelperMs: 3000,
    tokenInfo: () => {
      throw new Error('tokeninfo must not be asked about this kind of credential');
    },
    now: Date.now,
    ...over,
  };
}

describe('docker view', () => {
  it('names the hosts that do have a credential when the pushed host has none', async () => {
    bin.writeDockerConfig({ credHelpers: { 'gcr.io': 'gcloud', 'us.gcr.io': 'gcloud' } });
    const { event } = await checkDockerView(input('europe-west1-docker.pkg.dev', true));
    expect(event).toMatchObject({
      view: 'docker',
      host: 'europe-west1-docker.pkg.dev',
      ok: false,
      kind: 'none',
      error: { code: 'auth.wrong_host', category: 'auth' },
    });
    expect(event.error!.message).toContain('it has credentials only for gcr.io, us.gcr.io');
    expect(event.error!.message).toContain('gcloud auth configure-docker europe-west1-docker.pkg.dev');
  });

  it('says no credential at all when config.json does not exist', async () => {
    const { event } = await checkDockerView(input('gcr.io', true));
    expect(event).toMatchObject({ ok: false, error: { code: 'auth.no_credentials' } });
    expect(event.error!.message).toContain('config.json does not exist');
  });

  it('only notes a missing credential for a host nobody pushes to', async () => {
    bin.writeDockerConfig({ credHelpers: { 'gcr.io': 'gcloud' } });
    const { event } = await checkDockerView(input('asia.gcr.io', false));
    expect(event).toMatchObject({ ok: true, kind: 'none', note: expect.stringContaining('anonymously') });
  });

  it('reports the classic missing docker-credential-gcloud', async () => {
    bin.writeDockerConfig({ credHelpers: { 'gcr.io': 'gcloud' } });
    const { event } = await checkDockerView(input('gcr.io', true));
    expect(event).toMatchObject({
      ok: false,
      source: 'credHelpers: gcloud',
      helper: { name: 'docker-credential-gcloud' },
      error: { code: 'auth.helper_missing' },
    });
  });

  it("keeps a failing helper's stderr in the finding", async () => {
    bin.writeDockerConfig({ credsStore: 'desktop' });
    bin.install('desktop', { kind: 'fail', stderr: 'error getting credentials: keychain locked' });
    const { event } = await checkDockerView(input('gcr.io', true));
    expect(event).toMatchObject({
      ok: false,
      source: 'credsStore: desktop',
      error: { code: 'auth.helper_failed', message: expect.stringContaining('keychain locked') },
    });
  });

  it('reports a helper that hangs, after killing it', async () => {
    bin.writeDockerConfig({ credHelpers: { 'gcr.io': 'hang' } });
    bin.install('hang', { kind: 'hang' });
    const { event } = await checkDockerView(
      input('gcr.io', true, { helperLimits: { timeoutMs: 300, maxOutputBytes: 65536, env: bin.env() } }),
    );
    expect(event).toMatchObject({
      ok: false,
      error: { code: 'auth.helper_failed', message: expect.stringContaining('did not answer within 0.3 s') },
    });
  });

  it('reports a slow helper that does answer, with its time', async () => {
    bin.writeDockerConfig({ credHelpers: { 'gcr.io': 'slow' } });
    bin.install('slow', { kind: 'ok', username: 'robot', secret: 'CANARY-robot-password', delayMs: 400 });
    const { event, credential } = await checkDockerView(input('gcr.io', true, { slowHelperMs: 200 }));
    expect(event).toMatchObject({ ok: false, kind: 'basic', identity: 'robot', error: { code: 'auth.helper_slow' } });
    expect(event.helper!.ms).toBeGreaterThanOrEqual(380);
    expect(credential?.password).toBe('CANARY-robot-password');
    expect(JSON.stringify(event)).not.toContain('CANARY');
  });

  it('reads a service-account key login: kind, e-mail, and no secret in the event', async () => {
    bin.writeDockerConfig({ auths: { 'gcr.io': { auth: Buffer.from(`_json_key:${KEY_JSON}`).toString('base64') } } });
    const { event } = await checkDockerView(input('gcr.io', true));
    expect(event).toMatchObject({
      ok: true,
      source: 'config.json auths',
      kind: 'service-account-key',
      identity: 'pusher@proj.iam.gserviceaccount.com',
    });
    expect(event.fingerprint).toMatch(/^[0-9a-f]{8}$/);
    const text = JSON.stringify(redactValue(event));
    expect(text).not.toContain('CANARY');
  });

  it('reads _json_key_base64 from a helper too', async () => {
    bin.writeDockerConfig({ credHelpers: { 'europe-west1-docker.pkg.dev': 'keyhelper' } });
    bin.install('keyhelper', {
      kind: 'ok',
      username: '_json_key_base64',
      secret: Buffer.from(KEY_JSON).toString('base64'),
    });
    const { event } = await checkDockerView(input('europe-west1-docker.pkg.dev', true));
    expect(event).toMatchObject({
      ok: true,
      kind: 'service-account-key',
      identity: 'pusher@proj.iam.gserviceaccount.com',
      helper: { name: 'docker-credential-keyhelper' },
    });
  });

  it('treats a helper\'s "not found" for the pushed host as no credential, naming the store', async () => {
    bin.writeDockerConfig({ credsStore: 'pass', auths: { 'gcr.io': {} } });
    bin.install('pass', { kind: 'not-found' });
    const { event } = await checkDockerView(input('europe-west1-docker.pkg.dev', true));
    expect(event).toMatchObject({
      ok: false,
      error: { code: 'auth.wrong_host', message: expect.stringContaining('credsStore: pass has none') },
    });
  });
});

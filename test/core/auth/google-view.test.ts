import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { locateAdc } from '../../../src/core/auth/adc.js';
import { checkGoogleView, classifyMintError } from '../../../src/core/auth/google-view.js';
import { clearRegisteredSecrets, redactText } from '../../../src/core/log/redact.js';
import { HelperBin } from '../../support/credential-helpers.js';

let bin: HelperBin;
beforeEach(() => {
  bin = new HelperBin();
});
afterEach(() => {
  bin.cleanup();
  clearRegisteredSecrets();
});

const tokenInfo = () => {
  throw new Error('no token should be minted here');
};

describe("Google's view without the network", () => {
  it('no ADC and not on Google Cloud: a note, and no metadata server is asked', async () => {
    expect(locateAdc(bin.env())).toMatchObject({ kind: 'none' });
    const e = await checkGoogleView({ env: bin.env(), timeoutMs: 1000, tokenInfo });
    expect(e).toMatchObject({
      view: 'google',
      ok: true,
      kind: 'none',
      note: expect.stringContaining('gcloud auth application-default login'),
    });
  });

  it('an ADC file that is not JSON is a finding naming the file', async () => {
    const file = path.join(bin.dir, 'adc.json');
    writeFileSync(file, '{"type": "authorized_user", "refresh_token": "1//CANARY');
    const e = await checkGoogleView({
      env: bin.env({ GOOGLE_APPLICATION_CREDENTIALS: file }),
      timeoutMs: 1000,
      tokenInfo,
    });
    expect(e).toMatchObject({
      ok: false,
      source: 'GOOGLE_APPLICATION_CREDENTIALS',
      error: { code: 'auth.config_invalid', message: `GOOGLE_APPLICATION_CREDENTIALS=${file} is not valid JSON` },
    });
  });

  it('GOOGLE_APPLICATION_CREDENTIALS naming a missing file is a finding', async () => {
    const e = await checkGoogleView({
      env: bin.env({ GOOGLE_APPLICATION_CREDENTIALS: '/nonexistent/key.json' }),
      timeoutMs: 1000,
      tokenInfo,
    });
    expect(e).toMatchObject({
      ok: false,
      error: {
        code: 'auth.config_invalid',
        message: 'GOOGLE_APPLICATION_CREDENTIALS=/nonexistent/key.json does not exist',
      },
    });
  });

  it("finds gcloud's ADC file under CLOUDSDK_CONFIG, kind and identity, and registers its secrets", () => {
    const dir = path.join(bin.dir, 'gcloud');
    const file = path.join(bin.dir, 'gcloud', 'application_default_credentials.json');
    mkdirSync(dir);
    writeFileSync(
      file,
      JSON.stringify({
        type: 'service_account',
        client_email: 'sa@proj.iam.gserviceaccount.com',
        private_key_id: 'CANARYkeyid42',
        private_key: 'x',
      }),
    );
    expect(locateAdc(bin.env({ CLOUDSDK_CONFIG: dir }))).toMatchObject({
      kind: 'file',
      file: {
        source: 'gcloud ADC file',
        path: file,
        type: 'service_account',
        identity: 'sa@proj.iam.gserviceaccount.com',
      },
    });
    expect(redactText('id CANARYkeyid42')).not.toContain('CANARYkeyid42');
  });

  it('names the metadata server when GCE_METADATA_HOST says where it is', () => {
    expect(locateAdc(bin.env({ GCE_METADATA_HOST: '127.0.0.1:8080' }))).toEqual({
      kind: 'metadata',
      host: '127.0.0.1:8080',
    });
  });
});

describe('classifyMintError', () => {
  it("maps invalid_grant with Google's description", () => {
    const err = Object.assign(new Error('invalid_grant'), {
      response: {
        status: 400,
        data: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
      },
    });
    expect(classifyMintError(err, 5000)).toMatchObject({
      code: 'auth.invalid_grant',
      message: expect.stringContaining('invalid_grant: Token has been expired or revoked.'),
    });
  });
  it('maps a 5xx to the token endpoint', () => {
    const err = Object.assign(new Error('Request failed'), {
      response: { status: 503, data: '<html><body>down</body></html>' },
    });
    expect(classifyMintError(err, 5000)).toMatchObject({
      code: 'auth.token_endpoint',
      message: 'the OAuth token endpoint answered 503: an HTML page',
    });
  });
});

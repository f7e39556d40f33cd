/**
 * The Google Cloud SDK's own docker-credential-gcloud, when this machine has it: with no
 * account logged in it fails, printing its reason on stdout (see the fixture), and gcrwatch
 * must show that reason. The SDK is not a Debian package (Google's repository has it): where it
 * is absent the test says so, and fails under CI=true like any missing prerequisite.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCredentialHelper } from '../../../src/core/auth/credential-helper.js';
import { describeWithPrereqs } from '../../peers/prereqs.js';
import { HelperBin } from '../../support/credential-helpers.js';

const REAL = '/usr/bin/docker-credential-gcloud';
const fixture = readFileSync(
  path.resolve(import.meta.dirname, '../../fixtures/credential-helpers/docker-credential-gcloud-no-account.stdout'),
  'utf8',
).trim();
let bin: HelperBin | undefined;
afterEach(() => bin?.cleanup());

describeWithPrereqs(
  'the real docker-credential-gcloud (Google Cloud SDK)',
  ['root', 'docker-credential-gcloud'],
  () => {
    it('fails with no account, and gcrwatch shows the reason it printed on stdout', async () => {
      bin = new HelperBin();
      const sdkConfig = path.join(bin.dir, 'gcloud');
      mkdirSync(sdkConfig);
      // gcloud caches "not on Google Compute Engine" here; without it, it would ask the metadata server.
      writeFileSync(path.join(sdkConfig, 'gce'), 'False');
      // The SDK is a network client: run it in a network namespace of its own (unshare -n, with
      // only a loopback that is down), so nothing it tries can leave this machine.
      const wrapped = path.join(bin.dir, 'isolated');
      mkdirSync(wrapped);
      writeFileSync(path.join(wrapped, 'docker-credential-gcloud'), `#!/bin/sh\nexec unshare -n ${REAL} "$@"\n`);
      chmodSync(path.join(wrapped, 'docker-credential-gcloud'), 0o755);
      const env = { PATH: `${wrapped}:/usr/bin:/bin`, HOME: bin.dir, CLOUDSDK_CONFIG: sdkConfig };
      const out = await runCredentialHelper('gcloud', 'gcr.io', { timeoutMs: 20_000, maxOutputBytes: 1 << 20, env });
      expect(out).toMatchObject({ ok: false, reason: 'failed' });
      expect(!out.ok && out.message).toBe(`docker-credential-gcloud get exited with status 1; said: ${fixture}`);
    });
  },
);

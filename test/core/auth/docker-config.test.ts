import { afterEach, describe, expect, it } from 'vitest';
import {
  credentialSourceFor,
  DOCKER_HUB_KEY,
  DockerConfigError,
  dockerConfigPath,
  hostsWithCredentials,
  loadDockerConfig,
  parseDockerConfig,
} from '../../../src/core/auth/docker-config.js';
import { clearRegisteredSecrets, redactText } from '../../../src/core/log/redact.js';
import { HelperBin } from '../../support/credential-helpers.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
afterEach(() => clearRegisteredSecrets());

describe('dockerConfigPath', () => {
  it('uses $DOCKER_CONFIG, else ~/.docker', () => {
    expect(dockerConfigPath({ DOCKER_CONFIG: '/x/y', HOME: '/home/u' })).toBe('/x/y/config.json');
    expect(dockerConfigPath({ HOME: '/home/u' })).toBe('/home/u/.docker/config.json');
  });
});

describe("credentialSourceFor: the docker CLI's order", () => {
  const config = parseDockerConfig(
    JSON.stringify({
      auths: {
        'gcr.io': { auth: b64('oauth2accesstoken:ya29.CANARY-file-token') },
        'https://eu.gcr.io/v1/': { auth: b64('_json_key:{}') },
      },
      credsStore: 'desktop',
      credHelpers: { 'gcr.io': 'gcloud', 'us.gcr.io': '' },
    }),
    'config.json',
  );

  it('credHelpers[host] first', () => {
    expect(credentialSourceFor(config, 'gcr.io')).toEqual({ kind: 'helper', helper: 'gcloud', via: 'credHelpers' });
  });
  it('then credsStore', () => {
    expect(credentialSourceFor(config, 'europe-west1-docker.pkg.dev')).toEqual({
      kind: 'helper',
      helper: 'desktop',
      via: 'credsStore',
    });
  });
  it('an empty credHelpers value sends docker to the file, not to credsStore', () => {
    expect(credentialSourceFor(config, 'us.gcr.io')).toEqual({ kind: 'none' });
  });
  it('auths[host] when no helper applies, also under a legacy URL key', () => {
    const noStore = parseDockerConfig(
      JSON.stringify({ auths: { 'https://eu.gcr.io/v1/': { auth: b64('_json_key:{"a":1}') } } }),
      'c',
    );
    expect(credentialSourceFor(noStore, 'eu.gcr.io')).toMatchObject({
      kind: 'file',
      key: 'https://eu.gcr.io/v1/',
      entry: { username: '_json_key', password: '{"a":1}' },
    });
  });
  it('Docker Hub under its historical key', () => {
    const hub = parseDockerConfig(
      JSON.stringify({ auths: { [DOCKER_HUB_KEY]: { auth: b64('me:CANARY-hub-password') } } }),
      'c',
    );
    expect(credentialSourceFor(hub, 'registry-1.docker.io')).toMatchObject({ kind: 'file', entry: { username: 'me' } });
  });
  it('registers every secret it decodes', () => {
    expect(redactText('token ya29.CANARY-file-token')).not.toContain('CANARY-file-token');
  });
  it('lists the hosts that have a credential', () => {
    const c = parseDockerConfig(
      JSON.stringify({ credHelpers: { 'gcr.io': 'gcloud', 'us.gcr.io': 'gcloud' }, auths: { 'a.example': {} } }),
      'c',
    );
    expect(hostsWithCredentials(c)).toEqual(['gcr.io', 'us.gcr.io']);
  });
});

describe('loadDockerConfig', () => {
  let bin: HelperBin;
  afterEach(() => bin.cleanup());

  it('treats a missing file as no credential at all', () => {
    bin = new HelperBin();
    expect(loadDockerConfig(`${bin.dockerConfigDir}/config.json`)).toMatchObject({ exists: false, auths: new Map() });
  });

  it.each([
    ['{"auths": {"gcr.io": {"auth": "CANARY', /is not valid JSON/],
    ['[1,2]', /is not a JSON object/],
    ['{"auths": []}', /"auths" is not an object/],
    ['{"credHelpers": {"gcr.io": 1}}', /"credHelpers"."gcr.io" is not a string/],
    [
      `{"auths": {"gcr.io": {"auth": "${b64('no-colon-CANARY')}"}}}`,
      /"auths"."gcr.io"."auth" is not base64 of "user:password"/,
    ],
  ])('refuses %s with a message naming the file and the fault, never the content', (text, why) => {
    bin = new HelperBin();
    const file = bin.writeDockerConfig(text);
    let caught: unknown;
    try {
      loadDockerConfig(file);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DockerConfigError);
    expect((caught as Error).message).toMatch(why);
    expect((caught as Error).message.startsWith(file)).toBe(true);
    expect((caught as Error).message).not.toContain('CANARY');
  });
});

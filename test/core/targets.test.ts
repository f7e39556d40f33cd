import { describe, expect, it } from 'vitest';
import { parseImageRef } from '../../src/core/image-ref.js';
import { DEFAULT_HOSTS, defaultTargets, parseTarget } from '../../src/core/targets.js';

describe('parseTarget', () => {
  it.each([
    ['gcr.io', 'gcr.io', 443, 'gcr.io'],
    ['GCR.IO.', 'gcr.io', 443, 'gcr.io'],
    ['127.0.0.1:8443', '127.0.0.1', 8443, '127.0.0.1:8443'],
    ['https://us-docker.pkg.dev', 'us-docker.pkg.dev', 443, 'us-docker.pkg.dev'],
    ['https://localhost:5000/v2/', 'localhost', 5000, 'localhost:5000'],
    ['[::1]:5443', '::1', 5443, '[::1]:5443'],
    ['::1', '::1', 443, '[::1]'],
    [
      'europe-west1-docker.pkg.dev/proj/repo/app:tag',
      'europe-west1-docker.pkg.dev',
      443,
      'europe-west1-docker.pkg.dev',
    ],
    ['localhost:5000/app', 'localhost', 5000, 'localhost:5000'],
  ])('%s -> %s:%i', (input, host, port, id) => {
    const t = parseTarget(input);
    expect(t.host).toBe(host);
    expect(t.port).toBe(port);
    expect(t.id).toBe(id);
  });

  it.each([
    ['', /empty/],
    ['http://gcr.io', /only https/],
    ['gcr.io:0', /out of range/],
    ['gcr.io:99999', /out of range/],
    ['gcr.io:http', /not a number/],
    ['bad host!', /not a valid host/],
    ['-gcr.io', /not a valid host/],
    ['proj/app:tag', /needs a registry host/],
    ['[zz]:443', /not an IPv6/],
    ['https://', /no host/],
  ])('rejects %j naming the input', (input, why) => {
    expect(() => parseTarget(input)).toThrow(why);
    if (input) expect(() => parseTarget(input)).toThrow(input);
  });

  it('has the seven Google default hosts', () => {
    expect(DEFAULT_HOSTS).toEqual([
      'gcr.io',
      'us.gcr.io',
      'eu.gcr.io',
      'asia.gcr.io',
      'us-docker.pkg.dev',
      'europe-docker.pkg.dev',
      'asia-docker.pkg.dev',
    ]);
    expect(defaultTargets().every((t) => t.port === 443 && t.source === 'default')).toBe(true);
  });
});

describe('parseImageRef (docker normalisation)', () => {
  it.each([
    ['gcr.io/proj/app:1.2', { registry: 'gcr.io', endpoint: 'gcr.io', repository: 'proj/app', tag: '1.2' }],
    [
      'europe-west1-docker.pkg.dev/p/r/app',
      { registry: 'europe-west1-docker.pkg.dev', endpoint: 'europe-west1-docker.pkg.dev', repository: 'p/r/app' },
    ],
    ['ubuntu', { registry: 'docker.io', endpoint: 'registry-1.docker.io', repository: 'library/ubuntu' }],
    ['me/app:v1', { registry: 'docker.io', endpoint: 'registry-1.docker.io', repository: 'me/app', tag: 'v1' }],
    ['index.docker.io/me/app', { registry: 'docker.io', endpoint: 'registry-1.docker.io', repository: 'me/app' }],
    ['localhost/app', { registry: 'localhost', endpoint: 'localhost', repository: 'app' }],
    ['localhost:5000/a/b:t', { registry: 'localhost:5000', endpoint: 'localhost:5000', repository: 'a/b', tag: 't' }],
  ])('%s', (input, expected) => {
    expect(parseImageRef(input)).toEqual(expected);
  });

  it('keeps a digest', () => {
    const d = 'sha256:' + 'a'.repeat(64);
    expect(parseImageRef(`gcr.io/p/app@${d}`).digest).toBe(d);
  });

  it.each(['', 'gcr.io/Proj/App', 'gcr.io/p/app:', 'gcr.io/p/app@sha256:short', 'gcr.io//app'])(
    'rejects %j',
    (input) => {
      expect(() => parseImageRef(input)).toThrow(/invalid image reference/);
    },
  );
});

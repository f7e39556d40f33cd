import { describe, expect, it } from 'vitest';
import { likelyGoogleHost } from '../../src/core/host-typo.js';

describe('likelyGoogleHost', () => {
  it.each([
    ['gcr.i0', 'gcr.io'],
    ['GCR.IO.', undefined],
    ['gcr.com', 'gcr.io'],
    ['us.gcr.oi', 'us.gcr.io'],
    ['eu.gcr.i', 'eu.gcr.io'],
    ['us-docker.pkg.dv', 'us-docker.pkg.dev'],
    ['europe-west1-docker.pgk.dev', 'europe-west1-docker.pkg.dev'],
    ['europe-dokcer.pkg.dev', 'europe-docker.pkg.dev'],
    ['europe-west1-dockr.pkg.dev', 'europe-west1-docker.pkg.dev'],
    ['us-npm.pkg.dev', undefined],
    ['eu.gcr.io', undefined],
    ['asia-docker.pkg.de', 'asia-docker.pkg.dev'],
    ['us-docker.pkg.dev', undefined],
    ['registry.local', undefined],
    ['docker.io', undefined],
    ['localhost', undefined],
    ['127.0.0.1', undefined],
    ['::1', undefined],
  ])('%s -> %s', (typed, meant) => {
    expect(likelyGoogleHost(typed)).toBe(meant);
  });
});

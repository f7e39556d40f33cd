import { describe, expect, it } from 'vitest';
import { describePushCommand } from '../../../src/core/push/push-command.js';

describe('describePushCommand', () => {
  it.each([
    [['docker', 'push', 'gcr.io/proj/app:v1'], 'docker', 'gcr.io', 'proj/app', 'v1'],
    [
      [
        '/usr/bin/docker',
        '--context',
        'ci',
        '-H',
        'unix:///x.sock',
        'image',
        'push',
        '--quiet',
        'us-docker.pkg.dev/p/r/app:1',
      ],
      'docker',
      'us-docker.pkg.dev',
      'p/r/app',
      '1',
    ],
    [
      ['sudo', '-E', 'env', 'A=b', 'docker', 'push', 'localhost:5000/app'],
      'docker',
      'localhost:5000',
      'app',
      undefined,
    ],
    [['docker', 'push', 'ubuntu:22.04'], 'docker', 'registry-1.docker.io', 'library/ubuntu', '22.04'],
    [
      ['podman', '--root', '/r', 'push', '--cert-dir', '/c', 'app:v1', 'docker://eu.gcr.io/p/app:v1'],
      'podman',
      'eu.gcr.io',
      'p/app',
      'v1',
    ],
    [['podman', 'push', 'gcr.io/p/app:v2'], 'podman', 'gcr.io', 'p/app', 'v2'],
    [
      ['skopeo', 'copy', '--dest-cert-dir', '/c', 'docker-archive:/tmp/a.tar', 'docker://asia.gcr.io/p/app:v3'],
      'skopeo',
      'asia.gcr.io',
      'p/app',
      'v3',
    ],
    [
      ['crane', 'push', 'image.tar', 'europe-west1-docker.pkg.dev/p/r/app:v4'],
      'crane',
      'europe-west1-docker.pkg.dev',
      'p/r/app',
      'v4',
    ],
    [['docker', 'buildx', 'build', '--push', '-t', 'gcr.io/p/built:5', '.'], 'docker', 'gcr.io', 'p/built', '5'],
  ])('%j', (argv, tool, endpoint, repository, tag) => {
    const c = describePushCommand(argv);
    expect(c.tool).toBe(tool);
    expect(c.image?.endpoint).toBe(endpoint);
    expect(c.image?.repository).toBe(repository);
    expect(c.image?.tag).toBe(tag);
  });

  it('a destination that is not a registry, a bad reference, or no push at all: no image', () => {
    expect(describePushCommand(['podman', 'push', 'app', 'oci-archive:/tmp/a.tar']).image).toBeUndefined();
    expect(describePushCommand(['docker', 'push', 'gcr.io/UPPER/case']).image).toBeUndefined();
    expect(describePushCommand(['docker', 'images']).image).toBeUndefined();
    expect(describePushCommand(['make', 'push']).tool).toBe('generic');
    expect(describePushCommand([]).tool).toBe('generic');
  });
});

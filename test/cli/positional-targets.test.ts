/** Reading the words after `gcrwatch`: hosts, one image, or a refusal that never runs them. */
import { describe, expect, it } from 'vitest';
import { readPositionals, splitWrapped, withPositionals } from '../../src/cli/positional-targets.js';
import type { MonitorFlags } from '../../src/cli/program.js';
import { closestWord, editDistance } from '../../src/core/suggest.js';
import { UsageError } from '../../src/cli/usage-error.js';

const COMMANDS = ['push', 'doctor', 'report', 'replay', 'discover', 'config', 'completion', 'help'];

describe('readPositionals', () => {
  it.each([
    ['gcr.io', 'host'],
    ['registry.local:5000', 'host'],
    ['https://registry.local:5000/v2/', 'host'],
    ['localhost', 'host'],
    ['8.8.8.8', 'host'],
    ['[::1]:5000', 'host'],
    ['europe-west1-docker.pkg.dev/proj/repo/app:tag', 'image'],
    ['localhost:5000/app', 'image'],
    ['127.0.0.1:5000/proj/app@sha256:' + 'a'.repeat(64), 'image'],
  ])('%s is a %s', (word, kind) => {
    const read = readPositionals([word], COMMANDS);
    expect(kind === 'host' ? read.hosts : [read.image]).toEqual([word]);
  });

  it('reads a host copied with its trailing slash as the host', () => {
    expect(readPositionals(['gcr.io/', 'europe-docker.pkg.dev//'], COMMANDS).hosts).toEqual([
      'gcr.io',
      'europe-docker.pkg.dev',
    ]);
  });

  it.each(['echo', 'docker', './push.sh', '/usr/bin/docker', 'library/ubuntu', '../x'])(
    '%s is refused with the way to wrap it',
    (word) => {
      expect(() => readPositionals([word, 'arg'], COMMANDS)).toThrow(
        new UsageError(
          `"${word}" is neither a registry host nor an image reference; to wrap a command, put it after --: gcrwatch -- ${word} arg`,
        ),
      );
    },
  );

  it('suggests a command only for the first word', () => {
    expect(() => readPositionals(['doctr'], COMMANDS)).toThrow('unknown command "doctr": did you mean doctor?');
    expect(() => readPositionals(['gcr.io', 'doctr'], COMMANDS)).toThrow(/"doctr" is neither/);
  });
});

describe('splitWrapped and withPositionals', () => {
  it('takes the words after the first -- as the command, whatever they look like', () => {
    expect(
      splitWrapped(['--plain', 'gcr.io', '--', 'docker', 'push', '--', 'x'], ['gcr.io', 'docker', 'push', '--', 'x']),
    ).toEqual({
      positional: ['gcr.io'],
      wrapped: ['docker', 'push', '--', 'x'],
    });
    expect(splitWrapped(['gcr.io'], ['gcr.io'])).toEqual({ positional: ['gcr.io'], wrapped: [] });
  });

  const flags = { target: ['x.example:5000'], only: false } as unknown as MonitorFlags;
  it('hosts replace the defaults (--only), --target adds to them, and the image is the push target', () => {
    expect(withPositionals(flags, { hosts: ['gcr.io'] }, false)).toMatchObject({
      only: true,
      target: ['gcr.io', 'x.example:5000'],
    });
    expect(withPositionals(flags, { hosts: [], image: 'gcr.io/p/a' }, false)).toMatchObject({
      only: true,
      repo: 'gcr.io/p/a',
    });
    // Targets from the configuration file give way to the hosts typed.
    expect(withPositionals(flags, { hosts: ['gcr.io'] }, true).target).toEqual(['gcr.io']);
    expect(withPositionals(flags, { hosts: [] }, false)).toBe(flags);
  });
});

describe('closestWord', () => {
  it('finds a typo of one or two edits, a swapped pair as one, and nothing for a short or distant word', () => {
    expect(editDistance('replya', 'replay')).toBe(1);
    expect(closestWord('doctr', COMMANDS)).toBe('doctor');
    expect(closestWord('DOCTOR', COMMANDS)).toBe('doctor');
    expect(closestWord('rpeort', COMMANDS)).toBe('report');
    expect(closestWord('ls', COMMANDS)).toBeUndefined();
    // The word most often typed by mistake: a push to wrap, not the doctor command.
    expect(closestWord('docker', COMMANDS)).toBeUndefined();
    expect(closestWord('discovr', COMMANDS)).toBe('discover');
    expect(closestWord('kubectl', COMMANDS)).toBeUndefined();
  });
});

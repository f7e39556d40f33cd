import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  discoverDaemonLog,
  dockerHost,
  lookInJournal,
  type DiscoveryProbe,
  type JournalLook,
} from '../../../src/core/push/daemon-log-discovery.js';

/** A machine of the test's making: which units have journal lines, which files are readable. */
function machine(opts: { systemd?: boolean; units?: Record<string, JournalLook>; files?: string[] } = {}) {
  const asked: string[] = [];
  const probe: DiscoveryProbe = {
    journal: (unit, user) => {
      asked.push(`${user ? 'user ' : ''}${unit}`);
      return Promise.resolve(opts.units?.[`${user ? 'user ' : ''}${unit}`] ?? { entries: false });
    },
    readable: (f) => opts.files?.includes(f) ?? false,
    systemd: () => opts.systemd ?? true,
  };
  return { probe, asked };
}

const docker = (env: NodeJS.ProcessEnv = {}, flag?: string, platform: NodeJS.Platform = 'linux') => ({
  tool: 'docker' as const,
  env: { HOME: '/home/u', ...env },
  platform,
  ...(flag !== undefined ? { flag } : {}),
});

describe('discoverDaemonLog', () => {
  it('takes the flag as given: none, journal, a file', async () => {
    const { probe, asked } = machine();
    expect(await discoverDaemonLog(docker({}, 'none'), probe)).toEqual({
      kind: 'none',
      reason: 'turned off with --daemon-log none',
    });
    expect(await discoverDaemonLog(docker({}, 'journal'), probe)).toEqual({ kind: 'journal', unit: 'docker.service' });
    expect(await discoverDaemonLog(docker({}, '/srv/d.log'), probe)).toEqual({ kind: 'file', path: '/srv/d.log' });
    expect(asked).toEqual([]);
  });

  it("reads the system daemon's journal, else snap's, else the common files", async () => {
    const journal = machine({ units: { 'docker.service': { entries: true } } });
    expect(await discoverDaemonLog(docker(), journal.probe)).toEqual({ kind: 'journal', unit: 'docker.service' });
    const snap = machine({ units: { 'snap.docker.dockerd.service': { entries: true } } });
    expect(await discoverDaemonLog(docker({ DOCKER_HOST: 'unix:///var/run/docker.sock' }), snap.probe)).toEqual({
      kind: 'journal',
      unit: 'snap.docker.dockerd.service',
    });
    const file = machine({ systemd: false, files: ['/var/log/upstart/docker.log'] });
    expect(await discoverDaemonLog(docker(), file.probe)).toEqual({
      kind: 'file',
      path: '/var/log/upstart/docker.log',
    });
    expect(file.asked).toEqual([]);
  });

  it('says how to grant access when the system journal is hidden from this user, and why when nothing is found', async () => {
    const hidden = machine({
      units: {
        'docker.service': {
          entries: false,
          problem: 'this user may not read the system journal, ... systemd-journal group',
        },
      },
    });
    const none = await discoverDaemonLog(docker(), hidden.probe);
    expect(none).toMatchObject({ kind: 'none', reason: expect.stringContaining('systemd-journal group') });
    expect(await discoverDaemonLog(docker(), machine({ systemd: false }).probe)).toEqual({
      kind: 'none',
      reason:
        'no log of dockerd found (no systemd journal here, and /var/log/docker.log is absent); pass --daemon-log FILE where dockerd writes',
    });
  });

  it('names a remote daemon, Docker Desktop, rootless dockerd and a hand-started one, reading what can be read', async () => {
    const { probe } = machine({ units: { 'user docker.service': { entries: true } } });
    expect(await discoverDaemonLog(docker({ DOCKER_HOST: 'tcp://10.1.2.3:2376' }), probe)).toMatchObject({
      kind: 'none',
      reason: expect.stringMatching(/^the docker daemon is remote \(DOCKER_HOST tcp:\/\/10\.1\.2\.3:2376\)/),
    });
    expect(await discoverDaemonLog(docker({}, undefined, 'darwin'), probe)).toMatchObject({
      kind: 'none',
      reason: expect.stringMatching(/^Docker Desktop runs dockerd in its VM/),
    });
    const desktopLog = '/home/u/Library/Containers/com.docker.docker/Data/log/vm/dockerd.log';
    expect(await discoverDaemonLog(docker({}, undefined, 'darwin'), machine({ files: [desktopLog] }).probe)).toEqual({
      kind: 'file',
      path: desktopLog,
    });
    expect(await discoverDaemonLog(docker({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }), probe)).toEqual({
      kind: 'journal',
      unit: 'docker.service',
      user: true,
    });
    expect(
      await discoverDaemonLog(docker({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }), machine().probe),
    ).toMatchObject({ kind: 'none', reason: expect.stringMatching(/^rootless dockerd logs to your user journal/) });
    expect(await discoverDaemonLog(docker({ DOCKER_HOST: 'unix:///tmp/w/docker.sock' }), probe)).toMatchObject({
      kind: 'none',
      reason: expect.stringMatching(/^the daemon at unix:\/\/\/tmp\/w\/docker\.sock is not the system's/),
    });
  });

  it('leaves tools that print their own causes alone', async () => {
    const { probe, asked } = machine({ units: { 'docker.service': { entries: true } } });
    expect(await discoverDaemonLog({ tool: 'crane', env: {} }, probe)).toEqual({
      kind: 'none',
      reason: 'crane prints the cause of each failed request itself',
    });
    expect(asked).toEqual([]);
  });
});

describe('dockerHost', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads DOCKER_HOST, else the current context's endpoint", () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-ctx-'));
    const meta = path.join(dir, 'contexts', 'meta', createHash('sha256').update('desktop-linux').digest('hex'));
    mkdirSync(meta, { recursive: true });
    writeFileSync(
      path.join(meta, 'meta.json'),
      JSON.stringify({
        Name: 'desktop-linux',
        Endpoints: { docker: { Host: 'unix:///home/u/.docker/desktop/docker.sock' } },
      }),
    );
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ currentContext: 'desktop-linux' }));
    expect(dockerHost({ DOCKER_HOST: 'tcp://h:2375', DOCKER_CONFIG: dir })).toBe('tcp://h:2375');
    expect(dockerHost({ DOCKER_CONFIG: dir })).toBe('unix:///home/u/.docker/desktop/docker.sock');
    expect(dockerHost({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'default' })).toBeUndefined();
    expect(dockerHost({ DOCKER_CONFIG: path.join(dir, 'none') })).toBeUndefined();
  });
});

describe('lookInJournal', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A stand-in journalctl printing `out` and `err`, recording its arguments. */
  function standIn(out: string, err = ''): string {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-jl-'));
    const file = path.join(dir, 'journalctl');
    writeFileSync(file, `#!/bin/sh\necho "$@" > ${dir}/args\nprintf '${out}'\nprintf '${err}' >&2\n`, { mode: 0o755 });
    return file;
  }

  it('sees entries, a hidden system journal, and a missing journalctl', async () => {
    expect(await lookInJournal('docker.service', false, standIn('level=info msg=x\\n'))).toEqual({ entries: true });
    const hidden = await lookInJournal(
      'docker.service',
      false,
      standIn('', 'Hint: You are currently not seeing messages from other users and the system.\\n'),
    );
    expect(hidden.problem).toMatch(/^this user may not read the system journal.*sudo usermod -aG systemd-journal/);
    expect(await lookInJournal('docker.service', true, standIn(''))).toEqual({ entries: false });
    expect(await lookInJournal('docker.service', false, path.join(dir, 'missing'))).toEqual({
      entries: false,
      problem: 'journalctl is not installed',
    });
  });
});

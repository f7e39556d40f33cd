import { describe, expect, it } from 'vitest';
import { buildAuthSettings } from '../../src/cli/auth-config.js';
import { runCli } from '../support/run-cli.js';

describe('credential flags', () => {
  it.each([
    [['--auth-interval', '0s'], /--auth-interval: 0s is out of range/],
    [['--auth-interval', 'often'], /--auth-interval: "often" is not a duration/],
    [['--auth-interval', '2d'], /--auth-interval: 2d is out of range/],
  ])('%j is refused in one line, exit 2', async (args, why) => {
    const r = await runCli(['--no-log', '--duration', '1s', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(why);
  });

  it('default to a check a minute, with the push check on', () => {
    expect(buildAuthSettings({ authInterval: '60s', pushCheck: true }, {})).toEqual({
      intervalMs: 60_000,
      pushCheck: true,
      env: {},
    });
  });

  it('take the push target from --repo: endpoint, port and repository as docker reads them', () => {
    expect(
      buildAuthSettings(
        { authInterval: '5m', pushCheck: false, repo: 'europe-west1-docker.pkg.dev/proj/repo/app:1.2' },
        {},
      ),
    ).toMatchObject({
      intervalMs: 300_000,
      pushCheck: false,
      repo: { host: 'europe-west1-docker.pkg.dev', port: 443, repository: 'proj/repo/app' },
    });
    expect(buildAuthSettings({ authInterval: '1s', pushCheck: true, repo: 'localhost:5000/app' }, {}).repo).toEqual({
      id: 'localhost:5000',
      host: 'localhost',
      port: 5000,
      portGiven: true,
      repository: 'app',
    });
    // The host as the targets know it: lower case (docker accepts capitals in the host).
    expect(buildAuthSettings({ authInterval: '1s', pushCheck: true, repo: 'GCR.io/proj/app' }, {}).repo).toMatchObject({
      id: 'gcr.io',
      host: 'gcr.io',
    });
  });
});

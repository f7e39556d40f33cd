/** `gcrwatch --demo` without a terminal: the demo world probed for real, plain or NDJSON lines. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/core/events.js';
import { runCli } from '../support/run-cli.js';

describe('gcrwatch --demo', () => {
  it('probes the simulated registries and labels the session DEMO (--json)', async () => {
    const { code, stdout, stderr } = await runCli(['--demo', '--json', '--duration', '4s', '--no-log'], {
      timeoutMs: 30_000,
    });
    expect(stderr).toBe('');
    expect(code === 0 || code === 1).toBe(true);
    const events = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as SessionEvent);
    const start = events[0]!;
    expect(start).toMatchObject({
      type: 'session.start',
      demo: true,
      options: { intervalMs: 1000, timeoutMs: 3000, demo: true },
    });
    expect(start.type === 'session.start' && start.targets.map((t) => t.host)).toEqual([
      'gcr.io',
      'eu.gcr.io',
      'asia.gcr.io',
      'us-docker.pkg.dev',
      'europe-docker.pkg.dev',
    ]);
    const probes = events.filter((e) => e.type === 'probe');
    expect(probes.length).toBeGreaterThanOrEqual(15);
    // Every name resolved through the demo's resolver to loopback; nothing left the machine.
    expect(
      probes.every(
        (p) =>
          p.type === 'probe' &&
          /^127\.0\.0\.1:\d+$/.test(p.details.dns?.[0]?.resolver ?? '') &&
          p.details.dns?.[0]?.v4[0] === '127.0.0.1',
      ),
    ).toBe(true);
    // No trouble is scripted in the first 6 s (a loaded machine may still lose a round).
    expect(probes.filter((p) => p.type === 'probe' && p.ok).length).toBeGreaterThanOrEqual(probes.length - 2);
    expect(events.some((e) => e.type === 'push.start')).toBe(true);
    // The credential checks of the real world (this machine's docker config, Google) stay off.
    const auth = events.filter((e) => e.type === 'auth');
    expect(auth.every((a) => a.type === 'auth' && a.source === 'DEMO token endpoint' && a.view === 'registry')).toBe(
      true,
    );
    expect(events.at(-1)).toMatchObject({ type: 'session.end', reason: 'duration' });
  });

  it('prints plain lines with --plain', async () => {
    const { code, stdout } = await runCli(['--demo', '--plain', '--duration', '2500ms', '--no-log'], {
      timeoutMs: 30_000,
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^gcrwatch \S+: probing 5 target\(s\) every 1000ms \(DEMO world\)$/m);
    expect(stdout).toMatch(/gcr\.io:\d+ +dns .* 401 +ok/);
  });

  it("keeps the real world out: a config file's targets and interval, a proxy in the environment", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-demo-cfg-'));
    try {
      const config = path.join(dir, 'gcrwatch.json');
      writeFileSync(config, JSON.stringify({ targets: ['example.com'], interval: '30s' }));
      // Nothing listens on port 9: a probe sent through this proxy would fail.
      const env = { ...process.env, HTTPS_PROXY: 'http://127.0.0.1:9', https_proxy: 'http://127.0.0.1:9' };
      const { code, stdout } = await runCli(
        ['--demo', '--json', '--config', config, '--duration', '2500ms', '--no-log'],
        { env, timeoutMs: 30_000 },
      );
      expect(code === 0 || code === 1).toBe(true);
      const events = stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as SessionEvent);
      expect(events[0]).toMatchObject({ type: 'session.start', options: { intervalMs: 1000 } });
      expect(events[0]!.type === 'session.start' && events[0]!.targets.map((t) => t.host)).not.toContain('example.com');
      const probes = events.filter((e) => e.type === 'probe');
      expect(probes.length).toBeGreaterThan(0);
      expect(probes.every((p) => p.type === 'probe' && !p.details.proxy)).toBe(true);
      expect(probes.some((p) => p.type === 'probe' && p.ok)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses targets of its own with a one-line usage error', async () => {
    const { code, stderr } = await runCli(['--demo', '--target', 'gcr.io'], { timeoutMs: 10_000 });
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe('gcrwatch: --demo brings its own registries: drop --target');
  });
});

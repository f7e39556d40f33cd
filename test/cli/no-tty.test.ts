/**
 * Without a terminal on stdout (`gcrwatch | cat`), the TUI never starts: plain lines, no
 * escape sequences. Runs the built CLI (npm test builds it first).
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { tuiUsable } from '../../src/cli/outputs/attach.js';
import { runCli } from '../support/run-cli.js';

/** A loopback port with nothing listening (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('without a terminal', () => {
  it('prints plain lines and never starts the TUI', async () => {
    const port = await closedPort();
    // Not a CI job, so only the missing terminal can keep the TUI away.
    const env = { ...process.env };
    delete env.CI;
    delete env.FORCE_COLOR;
    const { code, stdout, stderr } = await runCli(
      ['--only', '-t', `127.0.0.1:${port}`, '--rounds', '2', '-i', '200ms', '--no-log'],
      { env },
    );
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toContain(`127.0.0.1:${port}`);
    expect(stdout).toMatch(/FAIL tcp\.refused/);
    expect(stdout).not.toMatch(/\x1b/);
  });

  it('decides by the terminal and by CI', () => {
    const io = (isTTY: boolean, env: NodeJS.ProcessEnv) =>
      ({ stdoutIsTTY: isTTY, env }) as Parameters<typeof tuiUsable>[0];
    expect(tuiUsable(io(true, {}))).toBe(true);
    expect(tuiUsable(io(false, {}))).toBe(false);
    expect(tuiUsable(io(true, { CI: 'true' }))).toBe(false);
    expect(tuiUsable(io(true, { CI: 'false' }))).toBe(true);
    expect(tuiUsable(io(true, { CONTINUOUS_INTEGRATION: '1' }))).toBe(false);
  });
});

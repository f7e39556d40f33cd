/** Bad values of the fleet flags: one line naming the input, the usage hint, exit 2. */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

async function refused(args: string[]): Promise<string> {
  const r = await runCli(['--no-log', '--no-config', '--only', '--target', '127.0.0.1:9', '--duration', '1s', ...args]);
  expect(r.code).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines[1]).toBe("Try 'gcrwatch --help' for usage.");
  expect(r.stdout).toBe('');
  return lines[0]!;
}

describe('fleet flags refuse bad input', () => {
  it.each([
    [['--metrics', 'abc'], /^gcrwatch: --metrics: "abc" is not \[ADDRESS:\]PORT/],
    [['--metrics', '70000'], /^gcrwatch: --metrics: "70000" is not \[ADDRESS:\]PORT/],
    [['--metrics', 'localhost:9464'], /^gcrwatch: --metrics: "localhost" in "localhost:9464" is not an IP address/],
    [['--metrics', ':9464'], /^gcrwatch: --metrics: ":9464" is not \[ADDRESS:\]PORT/],
    [['--proxy', 'ftp://p:21'], /^gcrwatch: --proxy: ftp:\/\/ proxies are not supported/],
    [['--proxy', 'http://'], /^gcrwatch: --proxy: "http:\/\/" is not a proxy URL/],
    [
      ['--config', '/nonexistent/gcrwatch.json'],
      /^gcrwatch: \/nonexistent\/gcrwatch.json: cannot read the configuration file \(ENOENT\)/,
    ],
    [['discover', '--wait', 'long'], /^gcrwatch: --wait: "long" is not a duration/],
    [['discover', '--wait', '5m'], /^gcrwatch: --wait: 5m is out of range/],
  ])('%j', async (args, why) => {
    expect(await refused(args)).toMatch(why);
  });

  it('a metrics port already in use', async () => {
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    const { port } = holder.address() as net.AddressInfo;
    try {
      expect(await refused(['--metrics', String(port)])).toBe(
        `gcrwatch: --metrics: cannot listen on 127.0.0.1:${port}: EADDRINUSE`,
      );
    } finally {
      holder.close();
    }
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-bad-'));
const notPem = path.join(dir, 'not.pem');
writeFileSync(notPem, 'this is not a certificate\n');

describe('bad input: one line naming the input, the usage hint, exit 2', () => {
  it.each([
    [['--bogus'], /unknown option '--bogus'/],
    [['--interval', '-5s'], /--interval: "-5s" is not a duration/],
    [['--interval', '0s'], /--interval: 0s is out of range/],
    [['--interval', '99h'], /--interval: 99h is out of range/],
    [['--timeout', 'soon'], /--timeout: "soon" is not a duration/],
    [['--duration', '3x'], /--duration: "3x" is not a duration/],
    [['--rounds', '0'], /--rounds: "0" is not a whole number/],
    [['--rounds', 'many'], /--rounds: "many" is not a whole number/],
    [['--target', 'http://gcr.io'], /invalid target "http:\/\/gcr.io": only https/],
    [['--target', 'gcr.io:70000'], /invalid target "gcr.io:70000": port 70000 is out of range/],
    [['--target', 'not a host'], /invalid target "not a host"/],
    [['--repo', 'gcr.io/Bad/Name'], /--repo: invalid image reference "gcr.io\/Bad\/Name"/],
    [
      ['--repo', 'gcr.io'],
      /--repo: "gcr.io" is a registry host, not an image: .*--repo gcr.io\/PROJECT\/IMAGE.*gcrwatch gcr.io$/,
    ],
    [['--resolve', 'gcr.io:443'], /--resolve: "gcr.io:443" is not HOST:PORT:ADDRESS/],
    [['--resolve', 'gcr.io:443:999.1.1.1'], /--resolve: "999.1.1.1" in "gcr.io:443:999.1.1.1" is not an IP address/],
    [['--dns-server', 'dns.google'], /--dns-server: "dns.google" is not IP or IP:PORT/],
    [['--ca-file', '/nonexistent/ca.pem'], /--ca-file \/nonexistent\/ca.pem: cannot read it \(ENOENT\)/],
    [['--ca-file', notPem], /no PEM certificate in it/],
    [['-4', '-6'], /-4\/--ipv4 and -6\/--ipv6 cannot be used together/],
    [['--plain', '--json'], /cannot be used with option '--json'/],
    [['--only'], /--only: no target left to probe/],
    [['--interval'], /option '-i, --interval <duration>' argument missing/],
  ])('%j', async (args, why) => {
    const r = await runCli(['--no-log', '--duration', '1s', ...args]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^gcrwatch: /);
    expect(lines[0]).toMatch(why);
    expect(lines[1]).toBe("Try 'gcrwatch --help' for usage.");
    expect(lines).toHaveLength(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('--help and --version exit 0', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: gcrwatch/);
    expect(help.stdout).toMatch(/--resolve <host:port:addr>/);
    // A repeatable option says so; commander's "(default: [])" is for programmers.
    expect(help.stdout).toMatch(/\(repeatable\)/);
    expect(help.stdout).not.toContain('(default: [])');
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

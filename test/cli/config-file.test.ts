/** The configuration file: where it is found, how it is validated, and flags overriding it. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/cli/config-file.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { createCa } from '../../src/sim/pki.js';
import { runCli } from '../support/run-cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function file(content: unknown, name = `c${n++}.json`): string {
  const p = path.join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

async function refusal(p: string): Promise<string> {
  try {
    await loadConfigFile(p);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`${p} was accepted`);
}

describe('validation names the file, the key and the problem', () => {
  it.each([
    [{ intervall: '2s' }, /^intervall: unknown key \(known: targets, only/],
    [{ credentials: { intervall: '1m' } }, /^credentials\.intervall: unknown key \(known: interval, pushCheck\)/],
    [{ interval: '5x' }, /^interval: "5x" is not a duration/],
    [{ interval: '2h' }, /^interval: 2h is out of range/],
    [{ interval: 5 }, /^interval: expected string, got number/],
    [{ targets: ['gcr.io', 'http://x'] }, /^targets\[1\]: invalid target "http:\/\/x": only https/],
    [{ targets: 'gcr.io' }, /^targets: expected array, got string/],
    [{ resolve: ['gcr.io:443'] }, /^resolve\[0\]: "gcr.io:443" is not HOST:PORT:ADDRESS/],
    [{ dnsServers: ['dns.google'] }, /^dnsServers\[0\]: "dns.google" is not IP or IP:PORT/],
    [{ ipFamily: 5 }, /^ipFamily: must be 4 or 6/],
    [{ proxy: true }, /^proxy: must be a proxy URL or false/],
    [{ proxy: 'socks5://u:pw-9f8e7d@p:1080' }, /^proxy: socks5:\/\/ proxies are not supported/],
    [{ metrics: 70000 }, /^metrics: /],
    [{ metrics: 'localhost:9464' }, /^metrics: "localhost" in "localhost:9464" is not an IP address/],
    [{ rounds: 0 }, /^rounds: "0" is not a whole number/],
    [{ output: 'html' }, /^output: /],
    [{ caFiles: ['missing.pem'] }, /^caFiles\[0\]: .*missing\.pem: cannot read it \(ENOENT\)/],
    [[1, 2], /^the configuration must be a JSON object/],
    ['{"interval": "2s",\n  }', /^not valid JSON: .* at line 2, column 3$/],
  ])('%j', async (content, why) => {
    const p = file(content);
    const message = await refusal(p);
    expect(message.startsWith(`${p}: `)).toBe(true);
    expect(message.slice(p.length + 2)).toMatch(why);
    expect(message).not.toContain('pw-9f8e7d');
    expect(message).not.toContain('\n');
  });

  it('paths in the file are relative to the file', async () => {
    const sub = path.join(dir, 'sub');
    mkdirSync(sub, { recursive: true });
    writeFileSync(path.join(sub, 'ca.pem'), (await createCa()).certPem);
    const p = file({ caFiles: ['ca.pem'], log: 'logs/s.ndjson' }, 'sub/relative.json');
    expect((await loadConfigFile(p)).values).toEqual({
      caFiles: [path.join(sub, 'ca.pem')],
      log: path.join(sub, 'logs', 's.ndjson'),
    });
  });
});

describe('finding and applying the file', () => {
  const env = (extra: Record<string, string> = {}) => {
    const e: NodeJS.ProcessEnv = { ...process.env, ...extra };
    for (const k of ['HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy']) delete e[k];
    return { ...e, ...extra };
  };

  async function print(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
    const r = await runCli([...args, 'config', 'print', '--json'], {
      env: opts.env ?? env({ XDG_CONFIG_HOME: path.join(dir, 'no-such-xdg') }),
      cwd: opts.cwd ?? dir,
    });
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as {
      file: string | null;
      targets: string[];
      settings: Array<{ name: string; value: string; source: string }>;
      unusedKeys: string[];
    };
  }
  const setting = (out: Awaited<ReturnType<typeof print>>, name: string) => out.settings.find((s) => s.name === name);

  it('reads $XDG_CONFIG_HOME/gcrwatch/config.json, and flags override it', async () => {
    const xdg = path.join(dir, 'xdg');
    mkdirSync(path.join(xdg, 'gcrwatch'), { recursive: true });
    writeFileSync(
      path.join(xdg, 'gcrwatch', 'config.json'),
      JSON.stringify({
        targets: ['europe-west1-docker.pkg.dev'],
        only: true,
        interval: '7s',
        timeout: '3s',
        ipFamily: 6,
        proxy: 'http://alice:pw-3c2b1a@proxy.corp:3128',
        credentials: { interval: '30s' },
      }),
    );
    const out = await print(['--timeout', '4s', '-4'], { env: env({ XDG_CONFIG_HOME: xdg }) });
    expect(out.file).toBe(path.join(xdg, 'gcrwatch', 'config.json'));
    expect(out.targets).toEqual(['europe-west1-docker.pkg.dev']);
    expect(setting(out, '--interval')).toEqual({ name: '--interval', value: '7s', source: 'config file' });
    expect(setting(out, '--timeout')).toEqual({ name: '--timeout', value: '4s', source: 'command line' });
    // -4 on the command line wins over the file's ipFamily 6 (no "-4 and -6 together" error).
    expect(setting(out, '--ipv4')?.source).toBe('command line');
    expect(setting(out, '--ipv6')?.value).toBe('');
    expect(setting(out, '--proxy')).toEqual({
      name: '--proxy',
      value: 'http://proxy.corp:3128',
      source: 'config file',
    });
    expect(setting(out, '--color')?.source).toBe('default');
    expect(JSON.stringify(out)).not.toContain('pw-3c2b1a');
  });

  it('falls back to ./gcrwatch.json; --config names another; --no-config reads none', async () => {
    const cwd = path.join(dir, 'project');
    mkdirSync(cwd, { recursive: true });
    writeFileSync(path.join(cwd, 'gcrwatch.json'), JSON.stringify({ interval: '11s' }));
    const other = file({ interval: '13s' });
    expect(setting(await print([], { cwd }), '--interval')?.value).toBe('11s');
    expect(setting(await print(['--config', other], { cwd }), '--interval')?.value).toBe('13s');
    const none = await print(['--no-config'], { cwd });
    expect(none.file).toBeNull();
    expect(setting(none, '--interval')).toMatchObject({ value: '2s', source: 'default' });
  });

  it('the proxy from the environment is shown with its variable', async () => {
    const out = await print(['--no-config'], {
      env: env({ HTTPS_PROXY: 'http://bob:pw-77aa66@envproxy:8080', NO_PROXY: '.corp' }),
    });
    expect(setting(out, '--proxy')).toEqual({
      name: '--proxy',
      value: 'http://envproxy:8080',
      source: 'environment (HTTPS_PROXY)',
    });
    expect(setting(out, '--proxy-bypass')).toEqual({
      name: '--proxy-bypass',
      value: '.corp',
      source: 'environment (NO_PROXY)',
    });
    expect(JSON.stringify(out)).not.toContain('pw-77aa66');
  });

  it('a run uses the file: its targets, interval and rounds, recorded in session.start', async () => {
    const p = file({ targets: ['127.0.0.1:9'], only: true, interval: '300ms', rounds: 2, log: false });
    const r = await runCli(['--config', p, '--json', '--timeout', '1s'], { env: env() });
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; target?: string; options?: Record<string, unknown> });
    const start = events.find((e) => e.type === 'session.start')!;
    expect(start.options).toMatchObject({ intervalMs: 300, timeoutMs: 1000, configFile: p, rounds: 2 });
    expect(events.filter((e) => e.type === 'probe').map((e) => e.target)).toEqual(['127.0.0.1:9', '127.0.0.1:9']);
    expect(r.code).toBe(1);
  });

  it('a broken file stops the run with one line and exit 2', async () => {
    const p = file({ interval: 'often' });
    const r = await runCli(['--config', p, '--duration', '1s'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      `gcrwatch: ${p}: interval: "often" is not a duration (examples: 500ms, 2s, 1m, 1h30m)`,
    );
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { clearRegisteredSecrets, redactText } from '../../../src/core/log/redact.js';
import { bypassesProxy, parseNoProxy } from '../../../src/core/proxy/no-proxy.js';
import {
  parseProxyUrl,
  proxyForUrl,
  proxyForUrlFromEnv,
  resolveProxySettings,
  ProxyConfigError,
} from '../../../src/core/proxy/proxy-settings.js';

afterEach(() => clearRegisteredSecrets());

describe('NO_PROXY', () => {
  const rules = parseNoProxy(
    'localhost, .corp.example ,*.internal,10.0.0.0/8 [fd00::]/8,registry.local:5000 192.168.1.7',
  );
  it.each([
    ['localhost', 443, true],
    ['corp.example', 443, true],
    ['a.b.corp.example', 443, true],
    ['notcorp.example', 443, false],
    ['x.internal', 443, true],
    ['10.20.30.40', 443, true],
    ['11.0.0.1', 443, false],
    ['fd00::1', 443, true],
    ['[fd00::1]', 443, true],
    ['registry.local', 5000, true],
    ['registry.local', 443, false],
    ['192.168.1.7', 8443, true],
    ['gcr.io', 443, false],
  ])('%s:%d bypasses: %s', (host, port, expected) => {
    expect(bypassesProxy(rules, host, port)).toBe(expected);
  });

  it('* bypasses everything, and an empty list nothing', () => {
    expect(bypassesProxy(parseNoProxy('*'), 'gcr.io', 443)).toBe(true);
    expect(bypassesProxy(parseNoProxy(''), 'gcr.io', 443)).toBe(false);
  });
});

describe('proxy URLs', () => {
  it('accepts host:port without a scheme, defaults the port to 80, and keeps credentials out of display', () => {
    expect(parseProxyUrl('proxy.corp:3128', 'HTTPS_PROXY')).toEqual({
      host: 'proxy.corp',
      port: 3128,
      display: 'http://proxy.corp:3128',
      source: 'HTTPS_PROXY',
    });
    expect(parseProxyUrl('http://proxy.corp', '--proxy').port).toBe(80);
    expect(parseProxyUrl('http://[::1]:8080', '--proxy')).toMatchObject({ host: '::1', port: 8080 });
    const p = parseProxyUrl('http://bob:s%40cret-Pass@proxy.corp:3128', '--proxy');
    expect(p.display).toBe('http://proxy.corp:3128');
    expect(p.authorization).toBe(`Basic ${Buffer.from('bob:s@cret-Pass').toString('base64')}`);
    expect(redactText('password s@cret-Pass, encoded s%40cret-Pass')).toBe('password <redacted>, encoded <redacted>');
  });

  it.each([
    ['socks5://proxy:1080', /socks5:\/\/ proxies are not supported/],
    ['https://proxy:443', /https:\/\/ proxies are not supported/],
    ['http://user:topsecret@', /is not a proxy URL/],
  ])('refuses %s naming the source and never the password', (raw, why) => {
    let err: unknown;
    try {
      parseProxyUrl(raw, 'HTTPS_PROXY');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProxyConfigError);
    expect((err as Error).message).toMatch(/^HTTPS_PROXY: /);
    expect((err as Error).message).toMatch(why);
    expect((err as Error).message).not.toContain('topsecret');
  });
});

describe('which proxy applies', () => {
  it('https URLs use HTTPS_PROXY (lower case first) and never fall back to HTTP_PROXY, as docker', () => {
    expect(proxyForUrlFromEnv('https://gcr.io/v2/', { HTTP_PROXY: 'http://p:1' })).toBeUndefined();
    expect(proxyForUrlFromEnv('http://gcr.io/', { HTTP_PROXY: 'http://p:1' })?.display).toBe('http://p:1');
    expect(
      proxyForUrlFromEnv('https://gcr.io/v2/', { HTTPS_PROXY: 'http://up:1', https_proxy: 'http://low:2' }),
    ).toMatchObject({ host: 'low', source: 'https_proxy' });
    expect(proxyForUrlFromEnv('https://gcr.io/v2/', { HTTPS_PROXY: 'http://up:1', https_proxy: '' })).toMatchObject({
      host: 'up',
      source: 'HTTPS_PROXY',
    });
  });

  it('NO_PROXY (either case) sends matching hosts direct', () => {
    const env = { HTTPS_PROXY: 'http://p:1', no_proxy: '.pkg.dev' };
    expect(proxyForUrlFromEnv('https://europe-west1-docker.pkg.dev/v2/', env)).toBeUndefined();
    expect(proxyForUrlFromEnv('https://gcr.io/v2/', env)?.host).toBe('p');
    expect(proxyForUrlFromEnv('https://gcr.io/v2/', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'gcr.io' })).toBeUndefined();
  });

  it('--proxy replaces the environment for every scheme but keeps NO_PROXY; --no-proxy turns it all off', () => {
    const env = { HTTPS_PROXY: 'http://envproxy:1', NO_PROXY: 'gcr.io' };
    const flagged = resolveProxySettings({ env, proxy: 'http://flag:3128' });
    expect(proxyForUrl('https://us-docker.pkg.dev/v2/', flagged)).toMatchObject({ host: 'flag', source: '--proxy' });
    expect(proxyForUrl('http://example.test/', flagged)?.host).toBe('flag');
    expect(proxyForUrl('https://us.gcr.io/v2/', flagged)).toBeUndefined();
    expect(proxyForUrl('https://us-docker.pkg.dev/v2/', resolveProxySettings({ env, disabled: true }))).toBeUndefined();
  });

  it('an explicit NO_PROXY list (the config file) replaces the environment one', () => {
    const s = resolveProxySettings({
      env: { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'gcr.io' },
      noProxy: 'pkg.dev',
      noProxySource: 'config',
    });
    expect(proxyForUrl('https://gcr.io/v2/', s)?.host).toBe('p');
    expect(proxyForUrl('https://us-docker.pkg.dev/v2/', s)).toBeUndefined();
    expect(s.noProxySource).toBe('config');
  });
});

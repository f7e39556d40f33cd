/** The dispatcher for non-probe HTTP clients goes through the same proxy, with its credentials. */
import { afterEach, beforeAll, expect, it } from 'vitest';
import { request } from 'undici';
import { clearRegisteredSecrets } from '../../../src/core/log/redact.js';
import { proxyDispatcherFor } from '../../../src/core/proxy/dispatcher.js';
import { resolveProxySettings } from '../../../src/core/proxy/proxy-settings.js';
import { createCa, issueLeaf, type TestLeaf } from '../../../src/sim/pki.js';
import { startRegistryFront } from '../../../src/sim/registry-front.js';
import { describeWithPrereqs } from '../../peers/prereqs.js';
import { startTinyproxy } from '../../support/tinyproxy.js';

let leaf: TestLeaf;
let cleanups: Array<() => Promise<void>> = [];
beforeAll(async () => {
  leaf = await issueLeaf(await createCa(), { sans: ['127.0.0.1'] });
});
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
  clearRegisteredSecrets();
});

describeWithPrereqs('proxyDispatcherFor', ['tinyproxy'], () => {
  it('tunnels through the proxy with its credentials, and is undefined for NO_PROXY hosts', async () => {
    const front = await startRegistryFront({ tls: { cert: leaf.chainPem, key: leaf.keyPem } });
    cleanups.push(() => front.close());
    const tp = await startTinyproxy(['BasicAuth carol pw-41b7c2d9']);
    cleanups.push(() => tp.stop());
    const url = `https://127.0.0.1:${front.address.port}/v2/`;

    const withCreds = resolveProxySettings({ env: { HTTPS_PROXY: `http://carol:pw-41b7c2d9@127.0.0.1:${tp.port}` } });
    const dispatcher = proxyDispatcherFor(url, withCreds, { ca: leaf.caPem })!;
    cleanups.push(() => dispatcher.close());
    const res = await request(url, { dispatcher });
    await res.body.dump();
    expect(res.statusCode).toBe(401);
    expect(tp.log()).toContain(`CONNECT 127.0.0.1:${front.address.port}`);

    const without = proxyDispatcherFor(url, resolveProxySettings({ env: { HTTPS_PROXY: tp.url } }), {
      ca: leaf.caPem,
    })!;
    cleanups.push(() => without.close());
    await expect(request(url, { dispatcher: without })).rejects.toThrow(/407/);

    expect(
      proxyDispatcherFor(url, resolveProxySettings({ env: { HTTPS_PROXY: tp.url, NO_PROXY: '127.0.0.1' } })),
    ).toBeUndefined();
  });
});

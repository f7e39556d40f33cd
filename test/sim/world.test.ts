import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithPrereqs, itWithPrereqs } from '../peers/prereqs.js';
import { isAlive, runCommand } from '../peers/processes.js';
import { createWorld, DEFAULT_WORLD_HOSTS, WORLD_CREDENTIALS, WORLD_PREREQS, type World } from '../peers/world.js';

describeWithPrereqs('simulated world (docker-registry, node resolver)', [...WORLD_PREREQS, 'curl', 'getent'], () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld();
  });
  afterAll(() => world?.close());

  const curl = (args: string[]) => world.run('curl', ['-sS', '--max-time', '5', '--cacert', world.caFile, ...args]);

  it('resolves every default host to its own world address through 127.0.0.53', async () => {
    for (const { name } of DEFAULT_WORLD_HOSTS) {
      const result = await world.run('getent', ['hosts', name]);
      expect(result.stdout.trim().split(/\s+/)).toEqual([world.addressOf(name), name]);
    }
    expect(await world.dns.queryCount('gcr.io')).toBeGreaterThan(0);
  });

  it('answers https://gcr.io/v2/ with the real registry 401 Bearer challenge', async () => {
    for (const host of ['gcr.io', 'europe-west1-docker.pkg.dev']) {
      const result = await curl(['-i', `https://${host}/v2/`]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^HTTP\/\S+ 401/);
      expect(result.stdout).toMatch(
        /^www-authenticate: Bearer realm="https:\/\/auth\.gcr\.io\/v2\/token",service="gcr\.io"\r$/im,
      );
      expect(result.stdout).toMatch(/^docker-distribution-api-version: registry\/2\.0\r$/im);
    }
  });

  it('issues tokens the real registry accepts, with push and upload cancel for the pusher', async () => {
    const { username, password } = WORLD_CREDENTIALS.pusher;
    const scope = 'repository:proj/app:push,pull';
    const reply = await curl(['-u', `${username}:${password}`, `${world.realm}?service=gcr.io&scope=${scope}`]);
    const { token } = JSON.parse(reply.stdout) as { token: string };
    const bearer = ['-H', `Authorization: Bearer ${token}`];
    expect((await curl(['-o', '/dev/null', '-w', '%{http_code}', ...bearer, 'https://gcr.io/v2/'])).stdout).toBe('200');
    const upload = await curl(['-i', '-X', 'POST', ...bearer, 'https://gcr.io/v2/proj/app/blobs/uploads/']);
    expect(upload.stdout).toMatch(/^HTTP\/\S+ 202/);
    const location = /^location: (\S+)\r$/im.exec(upload.stdout)![1]!;
    const cancel = await curl([
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-X',
      'DELETE',
      ...bearer,
      new URL(location, 'https://gcr.io').href,
    ]);
    expect(cancel.stdout).toBe('204');
    const tokenRequests = await world.tokens.stats();
    expect(tokenRequests.requests.at(-1)).toMatchObject({
      outcome: 'granted',
      granted: { 'proj/app': ['push', 'pull', 'delete'] },
    });
  });

  it('refuses the puller an upload, and words the denied identity as Artifact Registry does', async () => {
    const puller = WORLD_CREDENTIALS.puller;
    const scope = 'repository:proj/app:push,pull';
    const pull = JSON.parse(
      (await curl(['-u', `${puller.username}:${puller.password}`, `${world.realm}?service=gcr.io&scope=${scope}`]))
        .stdout,
    ) as { token: string };
    const upload = await curl([
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-X',
      'POST',
      '-H',
      `Authorization: Bearer ${pull.token}`,
      'https://gcr.io/v2/proj/app/blobs/uploads/',
    ]);
    expect(upload.stdout).toBe('401');
    const denied = WORLD_CREDENTIALS.denied;
    const refused = await curl([
      '-u',
      `${denied.username}:${denied.password}`,
      `${world.realm}?service=gcr.io&scope=${scope}`,
    ]);
    expect(refused.stdout).toContain('"code":"DENIED"');
  });

  it('switches DNS answers and proxy faults at runtime', async () => {
    await world.dns.set('gcr.io', { kind: 'nxdomain' });
    expect((await world.run('getent', ['hosts', 'gcr.io'])).code).toBe(2);
    await world.dns.set('gcr.io', { kind: 'answer', a: [world.addressOf('gcr.io')] });
    expect((await world.run('getent', ['hosts', 'gcr.io'])).code).toBe(0);

    await world.proxy('eu.gcr.io').set({ refuse: 'close' });
    expect((await curl(['https://eu.gcr.io/v2/'])).code).toBe(7); // curl: could not connect
    await world.proxy('eu.gcr.io').set({ resetAfterBytes: 0 });
    expect((await curl(['https://eu.gcr.io/v2/'])).code).toBe(35); // curl: TLS connect error (reset)
    await world.proxy('eu.gcr.io').set({});
    expect((await curl(['-o', '/dev/null', '-w', '%{http_code}', 'https://eu.gcr.io/v2/'])).stdout).toBe('401');
    const stats = await world.proxy('eu.gcr.io').stats();
    expect(stats.resets.map((reset) => reset.reason)).toEqual(['reset-after']);
  });

  itWithPrereqs('black-holes a host: connects time out until the rule is lifted', ['iptables'], async () => {
    await world.blackhole('asia.gcr.io');
    expect((await curl(['--connect-timeout', '1', 'https://asia.gcr.io/v2/'])).code).toBe(28); // curl: timeout
    await world.blackhole('asia.gcr.io', false);
    expect((await curl(['-o', '/dev/null', '-w', '%{http_code}', 'https://asia.gcr.io/v2/'])).stdout).toBe('401');
  });

  it('lets google-auth-library refresh an authorized_user ADC against oauth2.googleapis.com unchanged', async () => {
    const adc = join(world.dir, 'adc.json');
    await writeFile(
      adc,
      JSON.stringify({
        type: 'authorized_user',
        client_id: 'sim',
        client_secret: 'sim',
        refresh_token: '1//sim-refresh-CANARY-9e8d7c',
      }),
    );
    const script = `
      const { GoogleAuth } = await import('google-auth-library');
      const client = await new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] }).getClient();
      const { token } = await client.getAccessToken();
      const info = await client.getTokenInfo(token);
      console.log(JSON.stringify({ prefix: token.slice(0, 9), email: info.email }));`;
    const result = await world.run(process.execPath, ['--input-type=module', '-e', script], {
      env: { GOOGLE_APPLICATION_CREDENTIALS: adc },
      cwd: process.cwd(),
      timeoutMs: 20_000,
    });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ prefix: 'ya29.sim-', email: 'dev@example.com' });
  });
});

describeWithPrereqs(
  'simulated world (registry fronts, dnsmasq)',
  ['root', 'netns', 'ip', 'dnsmasq', 'curl', 'getent'],
  () => {
    it('serves /v2/ from registry fronts resolved by dnsmasq, and close() leaves nothing behind', async () => {
      const hosts = DEFAULT_WORLD_HOSTS.map((host) =>
        host.name === 'eu.gcr.io' ? { ...host, serve: 'front' as const } : host,
      );
      const world = await createWorld({ resolver: 'dnsmasq', registry: 'front', hosts });
      let closed = false;
      try {
        const curl = (url: string) =>
          world.run('curl', ['-sS', '-i', '--max-time', '5', '--cacert', world.caFile, url]);
        expect((await world.run('getent', ['hosts', 'us-docker.pkg.dev'])).stdout).toContain(
          world.addressOf('us-docker.pkg.dev'),
        );
        expect((await curl('https://us-docker.pkg.dev/v2/')).stdout).toMatch(
          /^www-authenticate: Bearer realm="https:\/\/auth\.gcr\.io\/v2\/token"/im,
        );
        await world.front('eu.gcr.io').setMode({ kind: 'status', status: 503, retryAfter: 9 });
        const unavailable = await curl('https://eu.gcr.io/v2/');
        expect(unavailable.stdout).toMatch(/^HTTP\/1\.1 503/);
        expect(unavailable.stdout).toMatch(/^retry-after: 9\r$/im);
        expect((await world.front('registry').stats()).requests).toHaveLength(1);
        const sleeper = world.spawn('sleep', ['300']);
        await world.close();
        closed = true;
        expect(isAlive(sleeper.pid!)).toBe(false);
        expect((await runCommand('ip', ['netns', 'list'])).stdout).not.toContain(world.name);
        expect(existsSync(`/etc/netns/${world.name}`)).toBe(false);
        expect(existsSync(world.dir)).toBe(false);
        await world.close(); // idempotent
      } finally {
        if (!closed) await world.close();
      }
    });
  },
);

import { Resolver } from 'node:dns/promises';
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDnsServer, type DnsServer } from '../../src/sim/dns-server.js';
import { itWithPrereqs } from '../peers/prereqs.js';

const run = promisify(execFile);

describe('DnsServer', () => {
  let server: DnsServer;
  let resolver: Resolver;

  beforeEach(async () => {
    server = await startDnsServer({
      names: {
        'gcr.io': { kind: 'answer', a: ['127.0.1.1'], aaaa: ['::1'] },
        'only6.test': { kind: 'answer', aaaa: ['::1'] },
        '*.pkg.dev': { kind: 'answer', a: ['127.0.1.5'] },
      },
    });
    // One try and a short timeout: silence must surface as ETIMEOUT quickly.
    resolver = new Resolver({ timeout: 300, tries: 1 });
    resolver.setServers([server.server]);
  });

  afterEach(async () => {
    resolver.cancel();
    await server.close();
  });

  it('answers A and AAAA with the configured addresses, and wildcards match subdomains', async () => {
    expect(await resolver.resolve4('gcr.io')).toEqual(['127.0.1.1']);
    expect(await resolver.resolve6('GCR.IO')).toEqual(['::1']);
    expect(await resolver.resolve4('us-docker.pkg.dev')).toEqual(['127.0.1.5']);
    expect(server.queryCount('gcr.io')).toBe(2);
  });

  it('maps each failure onto the error c-ares reports', async () => {
    server.set('gcr.io', { kind: 'nxdomain' });
    await expect(resolver.resolve4('gcr.io')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    server.set('gcr.io', { kind: 'servfail' });
    await expect(resolver.resolve4('gcr.io')).rejects.toMatchObject({ code: 'ESERVFAIL' });
    server.set('gcr.io', { kind: 'refused' });
    await expect(resolver.resolve4('gcr.io')).rejects.toMatchObject({ code: 'EREFUSED' });
    server.set('gcr.io', { kind: 'nodata' });
    await expect(resolver.resolve4('gcr.io')).rejects.toMatchObject({ code: 'ENODATA' });
    server.set('gcr.io', { kind: 'silence' });
    await expect(resolver.resolve4('gcr.io')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    expect(server.queryCount('gcr.io')).toBe(5);
  });

  it('falls back to NXDOMAIN for unknown names, and the fallback can change', async () => {
    await expect(resolver.resolve4('example.invalid')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    server.setFallback({ kind: 'refused' });
    await expect(resolver.resolve4('example.invalid')).rejects.toMatchObject({ code: 'EREFUSED' });
  });

  it('answers only AAAA for an IPv6-only name', async () => {
    await expect(resolver.resolve4('only6.test')).rejects.toMatchObject({ code: 'ENODATA' });
    expect(await resolver.resolve6('only6.test')).toEqual(['::1']);
  });

  it('delays a slow answer by the configured time', async () => {
    server.set('gcr.io', { kind: 'answer', a: ['127.0.1.1'], delayMs: 150 });
    const started = performance.now();
    expect(await resolver.resolve4('gcr.io')).toEqual(['127.0.1.1']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    server.set('gcr.io', { kind: 'answer', a: ['127.0.1.1'], delayMs: 1_000 });
    await expect(resolver.resolve4('gcr.io')).rejects.toMatchObject({ code: 'ETIMEOUT' });
  });

  it('sends garbage that c-ares cannot use', async () => {
    server.set('gcr.io', { kind: 'garbage' });
    // c-ares (Node 20.20) reports an unparsable reply with the right id as a bad response.
    await expect(resolver.resolve4('gcr.io')).rejects.toMatchObject({ code: 'EBADRESP' });
    // Raw check: the reply carries the query's id and does not decode.
    const raw = await rawUdpQuery(server.address.port, 0x1234);
    expect(raw.readUInt16BE(0)).toBe(0x1234);
  });

  itWithPrereqs('answers over TCP on the same port (dig +tcp)', ['dig'], async () => {
    const { stdout } = await run('dig', [
      '+tcp',
      '+short',
      '+time=2',
      '+tries=1',
      '-p',
      String(server.address.port),
      '@127.0.0.1',
      'gcr.io',
      'A',
    ]);
    expect(stdout.trim()).toBe('127.0.1.1');
    expect(server.queries.at(-1)).toMatchObject({ name: 'gcr.io', type: 'A', transport: 'tcp' });
  });

  it('frees its port on close, and close is idempotent', async () => {
    const { port } = server.address;
    await server.close();
    await server.close();
    const again = await startDnsServer({ port });
    expect(again.address.port).toBe(port);
    await again.close();
  });
});

/** Sends a minimal A query for gcr.io with the given id and returns the first reply. */
async function rawUdpQuery(port: number, id: number): Promise<Buffer> {
  const socket = createSocket('udp4');
  try {
    const query = Buffer.concat([
      Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]),
      Buffer.from([3, ...Buffer.from('gcr'), 2, ...Buffer.from('io'), 0, 0, 1, 0, 1]),
    ]);
    const reply = new Promise<Buffer>((resolve) => socket.once('message', resolve));
    socket.send(query, port, '127.0.0.1');
    return await reply;
  } finally {
    socket.close();
  }
}

import { connect, createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../src/sim/fault-proxy.js';
import { listen, stopListening, SocketSet, type PeerAddress } from '../../src/sim/lifecycle.js';

describe('FaultProxy', () => {
  let echo: Server;
  let echoSockets: SocketSet;
  let upstream: PeerAddress;
  let proxy: FaultProxy;
  const clients: Socket[] = [];

  beforeEach(async () => {
    echoSockets = new SocketSet();
    echo = createServer((socket) => {
      echoSockets.add(socket);
      socket.on('error', () => {});
      socket.pipe(socket);
    });
    upstream = await listen(echo, '127.0.0.1', 0);
    proxy = await startFaultProxy({ upstream });
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await proxy.close();
    echoSockets.destroyAll();
    await stopListening(echo);
  });

  function open(): Socket {
    const socket = connect(proxy.address.port, proxy.address.host);
    clients.push(socket);
    return socket;
  }

  /** Sends `size` bytes and resolves with the time until all came back, or the socket's error. */
  async function roundTrip(size: number): Promise<{ ms: number; error?: NodeJS.ErrnoException }> {
    const socket = open();
    const started = performance.now();
    let received = 0;
    // A reset can arrive before 'connect' is emitted (refuse: 'reset'), so listen for errors first.
    return new Promise((resolve) => {
      socket.on('error', (error) => resolve({ ms: performance.now() - started, error }));
      socket.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received >= size) resolve({ ms: performance.now() - started });
      });
      socket.write(Buffer.alloc(size, 7));
    });
  }

  it('passes traffic through and counts bytes', async () => {
    const { error } = await roundTrip(100_000);
    expect(error).toBeUndefined();
    const stats = proxy.stats();
    expect(stats.connections).toBe(1);
    expect(stats.log[0]).toMatchObject({ clientToUpstream: 100_000, upstreamToClient: 100_000, fate: 'open' });
  });

  it('adds latency before connecting upstream and before the first byte back', async () => {
    // The clock starts at connect() here, so the delays are measured from the client's view.
    await proxy.set({ connectDelayMs: 200 });
    expect((await roundTrip(10)).ms).toBeGreaterThanOrEqual(190);
    await proxy.set({ firstByteDelayMs: 250 });
    expect((await roundTrip(10)).ms).toBeGreaterThanOrEqual(240);
    await proxy.set({});
    expect((await roundTrip(10)).ms).toBeLessThan(150);
  });

  it('resets a connection after N bytes, and records when', async () => {
    await proxy.set({ resetAfterBytes: 1_000 });
    const before = Date.now();
    const { error } = await roundTrip(50_000);
    expect(error?.code).toBe('ECONNRESET');
    const [reset] = proxy.stats().resets;
    expect(reset).toMatchObject({ connection: 1, reason: 'reset-after', clientToUpstream: 1_000 });
    expect(reset!.at).toBeGreaterThanOrEqual(before);
    expect(reset!.at).toBeLessThanOrEqual(Date.now());
  });

  it('resets on the first byte with resetAfterBytes 0 (reset mid-handshake)', async () => {
    await proxy.set({ resetAfterBytes: 0 });
    expect((await roundTrip(10)).error?.code).toBe('ECONNRESET');
  });

  it('resets only the first K connections that carry more than N bytes', async () => {
    await proxy.set({ resetLarge: { bytes: 10_000, count: 2 } });
    expect((await roundTrip(500)).error).toBeUndefined(); // small: not counted
    expect((await roundTrip(20_000)).error?.code).toBe('ECONNRESET');
    expect((await roundTrip(20_000)).error?.code).toBe('ECONNRESET');
    expect((await roundTrip(20_000)).error).toBeUndefined();
    const resets = proxy.stats().resets;
    expect(resets.map((reset) => [reset.connection, reset.reason])).toEqual([
      [2, 'reset-large'],
      [3, 'reset-large'],
    ]);
    proxy.clearStats();
    const cleared = proxy.stats();
    expect(cleared).toMatchObject({ connections: 4, resets: [] });
    expect(cleared.log.every((record) => record.fate === 'open')).toBe(true);
  });

  it('stalls: accepts, never forwards, and close() frees the stalled socket', async () => {
    await proxy.set({ stall: true });
    const socket = open();
    socket.on('error', () => {}); // unread data makes the kernel close with RST
    await once(socket, 'connect');
    socket.write('hello');
    const data = new Promise((resolve) => socket.once('data', () => resolve('data')));
    const got = await Promise.race([data, sleep(300).then(() => 'nothing')]);
    expect(got).toBe('nothing');
    expect(proxy.stats().open).toBe(1);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await proxy.close();
    await closed;
  });

  it('stalls a connection after N bytes: nothing more moves either way', async () => {
    await proxy.set({ stallAfterBytes: 1_000 });
    const { error, ms } = await Promise.race([
      roundTrip(50_000),
      sleep(400).then(() => ({ error: undefined, ms: -1 })),
    ]);
    expect({ error, ms }).toEqual({ error: undefined, ms: -1 });
    // The first 1 000 bytes reach the echo server, but its answer is held too.
    expect(proxy.stats().log[0]).toMatchObject({ clientToUpstream: 1_000, upstreamToClient: 0, fate: 'stalled' });
    await proxy.set({ resetLarge: { bytes: 100 } });
    expect((await roundTrip(200)).error?.code).toBe('ECONNRESET');
    expect((await roundTrip(200)).error?.code).toBe('ECONNRESET'); // no count: every large connection
  });

  it('refuses with a reset, or by not listening, and listens again on the same port', async () => {
    await proxy.set({ refuse: 'reset' });
    expect((await roundTrip(10)).error?.code).toBe('ECONNRESET');
    await proxy.set({ refuse: 'close' });
    const socket = open();
    const [error] = (await once(socket, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');
    await proxy.set({});
    expect((await roundTrip(10)).error).toBeUndefined();
  });

  it('passes an unreachable upstream on as a reset, with the cause', async () => {
    await stopListening(echo);
    expect((await roundTrip(10)).error?.code).toBe('ECONNRESET');
    expect(proxy.stats().resets).toMatchObject([{ reason: 'upstream-error', cause: 'ECONNREFUSED' }]);
  });

  it('limits bandwidth', async () => {
    await proxy.set({ bytesPerSecond: 100_000 });
    const { ms, error } = await roundTrip(50_000);
    expect(error).toBeUndefined();
    expect(ms).toBeGreaterThanOrEqual(450);
    expect(ms).toBeLessThan(2_000);
  });

  it('resetAll() resets open connections; close() is idempotent and frees the port', async () => {
    const socket = open();
    await once(socket, 'connect');
    const error = once(socket, 'error');
    await sleep(20);
    proxy.resetAll();
    expect(((await error) as [NodeJS.ErrnoException])[0].code).toBe('ECONNRESET');
    const { port } = proxy.address;
    await proxy.close();
    await proxy.close();
    proxy = await startFaultProxy({ upstream, port });
    expect(proxy.address.port).toBe(port);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

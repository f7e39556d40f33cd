/**
 * The probe's HTTP/1.1 exchange against raw TCP peers on loopback that answer byte by byte as
 * a test scripts them: every framing (Content-Length, chunked, end of connection, none), an
 * interim 100, answers cut in pieces anywhere, broken answers, the body cap, the deadline.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ChunkedDecoder } from '../../../src/core/probes/http-chunked.js';
import { exchange, HttpProtocolError, IncompleteResponseError, parseHead } from '../../../src/core/probes/http-exchange.js';

const REQUEST = 'GET /v2/ HTTP/1.1\r\nhost: gcr.io\r\nconnection: close\r\n\r\n';
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A peer that reads the request head, then plays `script` (strings to write, numbers to wait, 'end' or 'reset'). */
async function peer(script: Array<string | Buffer | number | 'end' | 'reset'>): Promise<{ socket: Socket; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((client) => {
    let seen = '';
    client.on('data', async (chunk) => {
      seen += chunk.toString('latin1');
      if (!seen.includes('\r\n\r\n') || requests.length) return;
      requests.push(seen);
      for (const step of script) {
        if (client.destroyed) return;
        if (typeof step === 'number') await new Promise((r) => setTimeout(r, step));
        else if (step === 'end') client.end();
        else if (step === 'reset') client.resetAndDestroy();
        else client.write(step);
      }
    });
    client.on('error', () => undefined);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const socket = await new Promise<Socket>((resolve) => { const s = connect(port, '127.0.0.1', () => resolve(s)); });
  return { socket, requests };
}

async function run(script: Parameters<typeof peer>[0], maxBody = 64 * 1024, signal = AbortSignal.timeout(3000)) {
  const { socket, requests } = await peer(script);
  try {
    const res = await exchange(socket, REQUEST, signal, maxBody);
    return { res, requests, socket };
  } finally {
    socket.destroy();
  }
}

describe('exchange', () => {
  it('writes the request once and reads a Content-Length answer cut into pieces', async () => {
    const { res, requests } = await run(['HTTP/1.1 401 Unauthorized\r\nWww-Authenticate: Bearer realm="r"\r\nCon', 5, 'tent-Length: 11\r\n\r\n{"err', 5, 'ors":1}', 'trailing bytes of the next thing']);
    expect(requests).toEqual([REQUEST]);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="r"');
    expect(res.body.toString()).toBe('{"errors":1}'.slice(0, 11));
    expect(res.bodyBytes).toBe(11);
  });

  it('decodes a chunked body with extensions and a trailer', async () => {
    const { res } = await run(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', '3;name=x\r\nabc\r', '\n', 'A\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n', 5, '\r\n']);
    expect(res.body.toString()).toBe('abc0123456789');
  });

  it('reads to the end of the connection when nothing frames the body', async () => {
    const { res } = await run(['HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html>', 5, '</html>', 'end']);
    expect(res.body.toString()).toBe('<html></html>');
  });

  it('skips an interim 100 Continue and reads the answer after it', async () => {
    const { res } = await run(['HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nDate: x\r\n\r\n']);
    expect(res.status).toBe(204);
    expect(res.headers.date).toBe('x');
    expect(res.bodyBytes).toBe(0);
  });

  it('keeps a repeated header as a list', () => {
    expect(parseHead('HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2').headers['set-cookie']).toEqual(['a=1', 'b=2']);
  });

  it('keeps only the first maxBody bytes and counts the rest', async () => {
    const body = 'x'.repeat(100_000);
    const { res } = await run([`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`, body.slice(0, 70_000), body.slice(70_000)], 64 * 1024);
    expect(res.body.length).toBe(64 * 1024);
    expect(res.bodyBytes).toBe(100_000);
  });

  it('times the first bytes from the moment the request was written', async () => {
    const { res } = await run([60, 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n', 40, '{}']);
    expect(res.firstByteAt - res.writtenAt).toBeGreaterThanOrEqual(55);
    expect(res.endAt - res.firstByteAt).toBeGreaterThanOrEqual(35);
  });

  it.each([
    [['SSH-2.0-OpenSSH_9.2\r\n\r\n'], HttpProtocolError, /not an HTTP\/1\.x response: "SSH-2\.0/],
    [['HTTP/1.1 200 OK\r\nno colon here\r\n\r\n'], HttpProtocolError, /malformed header line/],
    [['HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n'], HttpProtocolError, /invalid Content-Length/],
    [['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'], HttpProtocolError, /bad chunk size/],
    [['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{"a"', 'end'], IncompleteResponseError, /before the body was complete/],
    [['HTTP/1.1 200 OK\r\nContent-', 'end'], IncompleteResponseError, /before the response head was complete/],
  ] as const)('%j is refused', async (script, kind, message) => {
    const error = await run([...script]).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(kind);
    expect((error as Error).message).toMatch(message);
  });

  it('a reset is the socket error, for the classifier', async () => {
    const error = await run(['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{', 20, 'reset']).then(() => undefined, (e: unknown) => e);
    expect((error as NodeJS.ErrnoException).code).toBe('ECONNRESET');
  });

  it('gives up at the deadline and leaves no listener behind', async () => {
    const { socket } = await peer(['HTTP/1.1 200 OK\r\n']);
    const events = ['data', 'end', 'close', 'error'] as const;
    const before = events.map((e) => socket.listenerCount(e));
    const error = await exchange(socket, REQUEST, AbortSignal.timeout(150), 1024).then(() => undefined, (e: unknown) => e);
    expect((error as Error).name).toBe('TimeoutError');
    expect(events.map((e) => socket.listenerCount(e))).toEqual(before);
    socket.destroy();
  });
});

describe('ChunkedDecoder', () => {
  it('decodes any body however the coded bytes are cut', () => {
    fc.assert(fc.property(
      fc.array(fc.uint8Array({ minLength: 1, maxLength: 40 }), { maxLength: 8 }),
      fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 20 }),
      (chunks, cuts) => {
        const coded = Buffer.concat([
          ...chunks.flatMap((c) => [Buffer.from(`${c.length.toString(16)}\r\n`), Buffer.from(c), Buffer.from('\r\n')]),
          Buffer.from('0\r\n\r\n'),
        ]);
        const decoder = new ChunkedDecoder();
        const out: Buffer[] = [];
        let done = false;
        for (let at = 0, i = 0; at < coded.length && !done; i++) {
          const size = cuts[i % cuts.length]!;
          done = decoder.push(coded.subarray(at, at + size), (b) => out.push(Buffer.from(b)));
          at += size;
        }
        expect(done).toBe(true);
        expect(Buffer.concat(out).equals(Buffer.concat(chunks.map((c) => Buffer.from(c))))).toBe(true);
      },
    ));
  });
});

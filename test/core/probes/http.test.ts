/**
 * The HTTP phase (node:https on the round's own TLS connection) against raw TLS peers on loopback
 * that answer byte by byte as a test scripts them: every framing (Content-Length, chunked,
 * end of connection, none), an interim 100, answers cut in pieces, broken and cut answers,
 * a reset, the deadline, and the times curl brackets.
 */
import tls from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock.js';
import { probeHttp, readCapped } from '../../../src/core/probes/http.js';
import { phaseContext } from '../../../src/core/probes/run-phase.js';
import { makeTarget } from '../../../src/core/targets.js';
import { makePki, type ProbePki } from '../../support/probe-peers.js';

type Step = string | number | 'end' | 'reset';

let pki: ProbePki;
const servers: tls.Server[] = [];
beforeAll(async () => {
  pki = await makePki();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A TLS peer that reads the request head, then plays `script` (strings to write, numbers to wait, 'end' or 'reset'). */
async function peer(script: Step[]): Promise<{ port: number; requests: string[] }> {
  const requests: string[] = [];
  const server = tls.createServer({ cert: pki.leaf.chainPem, key: pki.leaf.keyPem }, (client) => {
    let seen = '';
    let answered = false;
    client.on('data', async (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      if (!seen.includes('\r\n\r\n') || answered) return;
      answered = true;
      requests.push(seen);
      for (const step of script) {
        if (client.destroyed) return;
        if (typeof step === 'number') await new Promise((r) => setTimeout(r, step));
        else if (step === 'end') client.end();
        else if (step === 'reset') client.destroy();
        else client.write(step);
      }
    });
    client.on('error', () => undefined);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as { port: number }).port, requests };
}

/** Connect and verify as a round does, then run the HTTP phase as the round runs it. */
async function httpPhase(script: Step[], timeoutMs = 3000, peerPort?: { port: number; requests: string[] }) {
  const { port, requests } = peerPort ?? (await peer(script));
  const socket = await new Promise<tls.TLSSocket>((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, servername: 'gcr.io', secureContext: pki.trust }, () =>
      resolve(s),
    );
    s.once('error', reject);
  });
  const ctx = phaseContext(makeTarget('gcr.io', port, 'flag'), timeoutMs, systemClock);
  const outcome = await probeHttp(ctx, { socket, host: 'gcr.io', port, userAgent: 'gcrwatch-test' });
  return { outcome, requests, socket };
}

const CHALLENGE = 'Www-Authenticate: Bearer realm="https://gcr.io/v2/token",service="gcr.io"\r\n';

describe('probeHttp', () => {
  it('writes one GET /v2/ and reads a Content-Length answer cut into pieces', async () => {
    const { outcome, requests, socket } = await httpPhase([
      `HTTP/1.1 401 Unauthorized\r\n${CHALLENGE}Con`,
      5,
      'tent-Length: 12\r\n\r\n{"err',
      5,
      'ors":1}',
    ]);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatch(/^GET \/v2\/ HTTP\/1\.1\r\n/);
    expect(requests[0]).toMatch(/\r\nuser-agent: gcrwatch-test\r\n/i);
    expect(outcome.ok && outcome.value.details).toMatchObject({
      status: 401,
      challenge: { scheme: 'Bearer', realm: 'https://gcr.io/v2/token', service: 'gcr.io' },
    });
    expect(socket.destroyed).toBe(true);
  });

  it('decodes a chunked body with extensions and a trailer (an empty registry answer is healthy)', async () => {
    const { outcome } = await httpPhase([
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n',
      '1;name=x\r\n{\r',
      '\n',
      '1\r\n}\r\n0\r\nX-Trailer: 1\r\n',
      5,
      '\r\n',
    ]);
    expect(outcome.ok).toBe(true);
  });

  it('reads to the end of the connection when nothing frames the body', async () => {
    const { outcome } = await httpPhase([
      'HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html>',
      5,
      '</html>',
      'end',
    ]);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'http.not_registry' } });
  });

  it('skips an interim 103 Early Hints and judges the answer after it', async () => {
    const { outcome } = await httpPhase([
      'HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\nHTTP/1.1 204 No Content\r\nDate: x\r\n\r\n',
    ]);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'http.unexpected_status' } });
    expect(outcome.ok || outcome.partial?.details).toMatchObject({
      status: 204,
      date: 'x',
    });
  });

  it('times the first bytes from the request write and the transfer to the last bytes', async () => {
    const { outcome } = await httpPhase([
      60,
      `HTTP/1.1 401 Unauthorized\r\n${CHALLENGE}Content-Length: 2\r\n\r\n`,
      40,
      '{}',
    ]);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.value.ttfbMs).toBeGreaterThanOrEqual(55);
    expect(outcome.value.ttfbMs).toBeLessThan(1000);
    expect(outcome.value.transferMs).toBeGreaterThanOrEqual(35);
  });

  it.each([
    [['SSH-2.0-OpenSSH_9.2\r\n\r\n'], 'http.error'],
    // A 100 Continue nobody asked for (no Expect sent) is skipped, as curl does; the 204 is judged.
    [['HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n'], 'http.unexpected_status'],
    [['HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n'], 'http.error'],
    [['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'], 'http.error'],
    [['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{"a"', 'end'], 'http.reset'],
    [['HTTP/1.1 200 OK\r\nContent-', 'end'], 'http.reset'],
    [['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{', 20, 'reset'], 'http.reset'],
  ] as const)('%j is %s', async (script, code) => {
    const { outcome, socket } = await httpPhase([...script]);
    expect(outcome).toMatchObject({ ok: false, error: { code, phase: 'http' } });
    expect(socket.destroyed).toBe(true);
  });

  it('gives up at the deadline and closes the connection', async () => {
    const started = performance.now();
    const { outcome, socket } = await httpPhase(['HTTP/1.1 200 OK\r\n'], 200);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'http.timeout' } });
    expect(performance.now() - started).toBeLessThan(2000);
    await new Promise((r) => setTimeout(r, 10));
    expect(socket.destroyed).toBe(true);
  });
});

describe('round after round', () => {
  it("sends each round on the round's own connection, also after a round cut at its deadline", async () => {
    const good = await peer([`HTTP/1.1 401 Unauthorized\r\n${CHALLENGE}Content-Length: 2\r\n\r\n{}`]);
    const silent = await peer(['HTTP/1.1 401']);
    const outcomes = [];
    for (const [p, timeout] of [
      [good, 3000],
      [silent, 200],
      [good, 3000],
      [good, 3000],
    ] as const) {
      const { outcome, socket } = await httpPhase([], timeout, p);
      outcomes.push(outcome.ok ? 'ok' : outcome.error.code);
      expect(socket.destroyed).toBe(true);
    }
    expect(outcomes).toEqual(['ok', 'http.timeout', 'ok', 'ok']);
    expect(good.requests).toHaveLength(3);
  });

  it('reads a body longer than it keeps to its end, and judges what it kept', async () => {
    const { outcome } = await httpPhase([
      'HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n',
      'x'.repeat(70_000),
      5,
      'y'.repeat(30_000),
    ]);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'http.not_registry' } });
    expect(outcome.ok || outcome.partial?.transferMs).toBeGreaterThanOrEqual(4);
  });
});

describe('readCapped', () => {
  it('keeps only the first bytes up to the cap and reads the rest to the end', async () => {
    let read = 0;
    async function* body() {
      for (const part of ['x'.repeat(70_000), 'y'.repeat(30_000)]) {
        read += part.length;
        yield Buffer.from(part);
      }
    }
    const text = await readCapped(body(), 64 * 1024);
    expect(text).toBe('x'.repeat(64 * 1024));
    expect(read).toBe(100_000);
  });
});

/**
 * One HTTP/1.1 request and its response on a connection the round owns: the request written
 * in one piece, the response read as it arrives and framed by Content-Length, chunked coding
 * or the end of the connection. What a probe of `GET /v2/` needs and nothing more (no
 * keep-alive, redirects or pipelining): an undici Client per round cost ~0.65 ms more CPU
 * for the same exchange (bench/watch-cost.mjs), a third of a probe's budget. The times are
 * taken where curl takes them: when the request is written and when the first bytes arrive.
 */
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { ChunkedDecoder, HttpProtocolError } from './http-chunked.js';

export { HttpProtocolError } from './http-chunked.js';

/** The response, with its body cut at the cap given, and the moments it came (`performance.now()`). */
export interface ExchangeResponse {
  status: number;
  /** Header names in lower case; a repeated header is a list. */
  headers: Record<string, string | string[]>;
  /** The first `maxBody` bytes of the body. */
  body: Buffer;
  /** The whole body's length. */
  bodyBytes: number;
  writtenAt: number;
  firstByteAt: number;
  endAt: number;
}

/** The connection ended before the response was complete. */
export class IncompleteResponseError extends Error {
  readonly code = 'HTTP_INCOMPLETE_RESPONSE';
  constructor(what: string) {
    super(`the connection closed before the ${what} was complete`);
    this.name = 'IncompleteResponseError';
  }
}

const MAX_HEAD_BYTES = 64 * 1024;
const HEAD_END = Buffer.from('\r\n\r\n');

type Framing = { kind: 'none' } | { kind: 'length'; left: number } | { kind: 'chunked'; decoder: ChunkedDecoder } | { kind: 'close' };

/**
 * Write `request` (a complete HTTP/1.1 request head) on `socket` and read the response.
 * Rejects with the socket's error, the abort reason of `signal`, an `HttpProtocolError` for
 * an answer that is not HTTP/1.x, or an `IncompleteResponseError`. Leaves the socket open
 * (the caller closes it) and removes every listener it added.
 */
export function exchange(socket: Duplex, request: string, signal: AbortSignal, maxBody: number): Promise<ExchangeResponse> {
  return new Promise((resolve, reject) => {
    let head: Buffer | undefined;
    let status = 0;
    let headers: Record<string, string | string[]> = {};
    let framing: Framing | undefined;
    const kept: Buffer[] = [];
    let bodyBytes = 0;
    let writtenAt = 0;
    let firstByteAt = 0;

    /** `endAt`: when the bytes that completed the answer arrived, not when they were parsed. */
    const finish = (error?: unknown, endAt = performance.now()) => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onClose);
      socket.off('error', finish);
      signal.removeEventListener('abort', onAbort);
      if (error !== undefined) reject(error);
      else resolve({ status, headers, body: Buffer.concat(kept), bodyBytes, writtenAt, firstByteAt, endAt });
    };
    const onAbort = () => finish(signal.reason);
    const keep = (bytes: Buffer) => {
      const room = maxBody - Math.min(maxBody, bodyBytes);
      if (room > 0) kept.push(bytes.length > room ? bytes.subarray(0, room) : bytes);
      bodyBytes += bytes.length;
    };
    /** Feed body bytes; true once the body is complete. */
    const feedBody = (bytes: Buffer): boolean => {
      const f = framing!;
      if (f.kind === 'none') return true;
      if (f.kind === 'close') { keep(bytes); return false; }
      if (f.kind === 'chunked') return f.decoder.push(bytes, keep);
      const part = bytes.length > f.left ? bytes.subarray(0, f.left) : bytes;
      keep(part);
      f.left -= part.length;
      return f.left === 0;
    };
    const onData = (chunk: Buffer) => {
      const at = performance.now();
      if (!firstByteAt) firstByteAt = at;
      try {
        if (framing) {
          if (feedBody(chunk)) finish(undefined, at);
          return;
        }
        head = head ? Buffer.concat([head, chunk]) : chunk;
        for (;;) {
          const end = head.indexOf(HEAD_END);
          if (end < 0) {
            if (head.length > MAX_HEAD_BYTES) throw new HttpProtocolError('the response headers are larger than 64 KB');
            return;
          }
          ({ status, headers } = parseHead(head.toString('latin1', 0, end)));
          const rest = head.subarray(end + HEAD_END.length);
          // An interim answer (100 Continue, 103 Early Hints) precedes the real one.
          if (status >= 100 && status < 200 && status !== 101) { head = rest; continue; }
          framing = framingOf(status, headers);
          if (feedBody(rest)) finish(undefined, at);
          return;
        }
      } catch (error) {
        finish(error);
      }
    };
    const onEnd = () => {
      if (framing?.kind === 'close') finish(undefined, performance.now());
      else finish(new IncompleteResponseError(framing ? 'body' : 'response head'));
    };
    const onClose = () => onEnd();

    if (signal.aborted) { reject(signal.reason); return; }
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onClose);
    socket.once('error', finish);
    writtenAt = performance.now();
    socket.write(request);
  });
}

/** The status and headers of a response head (without its final empty line). */
export function parseHead(text: string): { status: number; headers: Record<string, string | string[]> } {
  const lines = text.split('\r\n');
  const statusLine = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(lines[0] ?? '');
  if (!statusLine) throw new HttpProtocolError(`not an HTTP/1.x response: "${(lines[0] ?? '').slice(0, 40)}"`);
  const headers: Record<string, string | string[]> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new HttpProtocolError(`a malformed header line: "${line.slice(0, 40)}"`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const before = headers[name];
    headers[name] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
  }
  return { status: Number(statusLine[1]), headers };
}

/** How the body of this response ends (RFC 9112 §6.3). */
function framingOf(status: number, headers: Record<string, string | string[]>): Framing {
  if (status === 204 || status === 304) return { kind: 'none' };
  const coding = String(headers['transfer-encoding'] ?? '');
  if (/(^|,)\s*chunked\s*$/i.test(coding)) return { kind: 'chunked', decoder: new ChunkedDecoder() };
  const length = headers['content-length'];
  if (length !== undefined) {
    const text = Array.isArray(length) ? length[0]! : length;
    if (!/^\d{1,15}$/.test(text)) throw new HttpProtocolError(`an invalid Content-Length: "${text.slice(0, 20)}"`);
    const left = Number(text);
    return left === 0 ? { kind: 'none' } : { kind: 'length', left };
  }
  return { kind: 'close' };
}

/**
 * The chunked transfer coding of HTTP/1.1 (RFC 9112 §7.1), decoded as bytes arrive in pieces
 * of any size: size lines (extensions ignored), data, the CRLF after each chunk, the last
 * chunk and its trailer.
 */

/** A response that is not valid HTTP/1.x. */
export class HttpProtocolError extends Error {
  readonly code = 'HTTP_MALFORMED_RESPONSE';
  constructor(what: string) {
    super(`the answer is not valid HTTP: ${what}`);
    this.name = 'HttpProtocolError';
  }
}

const EMPTY = Buffer.alloc(0);
/** A size line or trailer line longer than this is not a registry talking. */
const MAX_LINE = 4096;

/** Decodes one chunked body. */
export class ChunkedDecoder {
  private pending: Buffer = EMPTY;
  private state: 'size' | 'data' | 'crlf' | 'trailer' | 'done' = 'size';
  private left = 0;

  /**
   * Decode `input`, handing the data bytes to `onData`. Returns true once the last chunk and
   * the trailer have been read (bytes after them are ignored). Throws `HttpProtocolError`.
   */
  push(input: Buffer, onData: (bytes: Buffer) => void): boolean {
    const buf = this.pending.length ? Buffer.concat([this.pending, input]) : input;
    this.pending = EMPTY;
    let i = 0;
    while (i < buf.length && this.state !== 'done') {
      if (this.state === 'data') {
        const n = Math.min(this.left, buf.length - i);
        onData(buf.subarray(i, i + n));
        i += n;
        this.left -= n;
        if (this.left === 0) this.state = 'crlf';
        continue;
      }
      const eol = buf.indexOf('\r\n', i);
      if (eol < 0) {
        this.pending = buf.subarray(i);
        if (this.pending.length > MAX_LINE) throw new HttpProtocolError('a chunk line longer than 4 KB');
        break;
      }
      this.line(buf.toString('latin1', i, eol));
      i = eol + 2;
    }
    return this.state === 'done';
  }

  private line(text: string): void {
    if (this.state === 'size') {
      const size = /^([0-9a-fA-F]{1,12})[ \t]*(;.*)?$/.exec(text);
      if (!size) throw new HttpProtocolError(`a bad chunk size line: "${text.slice(0, 20)}"`);
      this.left = parseInt(size[1]!, 16);
      this.state = this.left === 0 ? 'trailer' : 'data';
    } else if (this.state === 'crlf') {
      if (text !== '') throw new HttpProtocolError('a chunk longer than its size');
      this.state = 'size';
    } else if (text === '') {
      this.state = 'done';
    }
  }
}

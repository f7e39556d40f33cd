/**
 * Writing lines to stdout or stderr. A reader that goes away (`gcrwatch --json | head -1`)
 * closes the pipe: the first EPIPE is reported through `onClosed` once and later lines are
 * dropped, with no exception and no message.
 */
import type { Writable } from 'node:stream';

/** Something that accepts whole lines. */
export interface LineWriter {
  line(text: string): void;
}

/** Lines to a stream, tolerant of a closed pipe. */
export class StreamLineWriter implements LineWriter {
  private closed = false;

  constructor(private readonly stream: Writable, private readonly onClosed: () => void = () => undefined) {
    // Any error on an output stream (EPIPE above all) means nobody reads it any more.
    stream.on('error', () => {
      if (this.closed) return;
      this.closed = true;
      this.onClosed();
    });
  }

  line(text: string): void {
    if (this.closed) return;
    this.stream.write(text + '\n');
  }

  /** True once the reader has gone. */
  get isClosed(): boolean {
    return this.closed;
  }
}

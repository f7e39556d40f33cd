/**
 * Writing lines to stdout or stderr. A reader that goes away (`gcrwatch --json | head -1`)
 * closes the pipe: the first EPIPE is reported through `onClosed` once and later lines are
 * dropped, with no exception and no message.
 *
 * Lines are batched: the lines of one burst of events (a chunk of a child's output is
 * hundreds of lines) reach the stream in one write at the end of the current task, not one
 * system call each — stdout to a file or pipe is synchronous, and a write per line capped a
 * wrapped command's output at about 100 000 lines a second. Order across stdout and stderr
 * is kept: a line for one stream first writes out what the other has pending.
 */
import type { Writable } from 'node:stream';

/** Something that accepts whole lines. */
export interface LineWriter {
  line(text: string): void;
}

/** Writers holding lines not yet written, oldest first. */
const pending = new Set<StreamLineWriter>();
let flushQueued = false;

function flushAll(): void {
  flushQueued = false;
  for (const writer of [...pending]) writer.flush();
}

/** Lines to a stream, tolerant of a closed pipe. */
export class StreamLineWriter implements LineWriter {
  private closed = false;
  private lines: string[] = [];

  constructor(
    private readonly stream: Writable,
    private readonly onClosed: () => void = () => undefined,
  ) {
    // Any error on an output stream (EPIPE above all) means nobody reads it any more.
    stream.on('error', () => {
      if (this.closed) return;
      this.closed = true;
      this.lines = [];
      pending.delete(this);
      this.onClosed();
    });
  }

  line(text: string): void {
    if (this.closed) return;
    if (!pending.has(this)) {
      for (const other of pending) other.flush();
      pending.add(this);
    }
    this.lines.push(text);
    if (!flushQueued) {
      flushQueued = true;
      queueMicrotask(flushAll);
    }
  }

  /** Write the pending lines now, in one write. */
  flush(): void {
    pending.delete(this);
    if (!this.lines.length) return;
    const text = this.lines.join('\n') + '\n';
    this.lines = [];
    if (!this.closed) this.stream.write(text);
  }

  /** True once the reader has gone. */
  get isClosed(): boolean {
    return this.closed;
  }
}

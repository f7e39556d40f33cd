/**
 * The session log on disk: one JSON line per event, appended as it happens; a probe that
 * repeats an earlier one's details is written as a reference to it (probe-refs.ts). Lines
 * reach the file in one synchronous write of whole lines at the end of the task that emitted
 * them (a wrapped push emits hundreds of events per chunk of output: one write each made the
 * log the bottleneck), so a process killed at any moment leaves a file that is valid up to
 * its last full line. The folder is created 0700 and the file 0600. A log that cannot be
 * written (read-only folder, disk full) is reported once through `onProblem` and writing
 * stops; the session goes on.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EventSink } from '../bus.js';
import type { SessionEvent } from '../events.js';
import { eventLine } from './event-line.js';
import { ProbeRefWriter } from './probe-refs.js';

/** Why the log stopped. */
export interface LogProblem {
  path: string;
  code: string;
  message: string;
}

/** An append-only NDJSON file of session events. */
export class NdjsonLogWriter implements EventSink {
  readonly name = 'session log';
  private fd: number | undefined;
  private pending: string[] = [];
  private failed = false;
  private writeQueued = false;
  private readonly refs = new ProbeRefWriter();
  /** Lines written, and lines not written after a failure. */
  written = 0;
  dropped = 0;

  constructor(
    readonly path: string,
    private readonly onProblem: (p: LogProblem) => void,
  ) {}

  /** Create the folder (0700) and open the file (0600, append). Reports a failure, never throws. */
  open(): boolean {
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      this.fd = openSync(this.path, 'a', 0o600);
      return true;
    } catch (err) {
      this.fail(err);
      return false;
    }
  }

  onEvent(event: SessionEvent): void {
    if (this.failed || this.fd === undefined) {
      this.dropped++;
      return;
    }
    this.pending.push(this.refs.line(event, () => eventLine(event)));
  }

  /** Write the pending lines at the end of the current task, in one call. */
  flush(): void {
    if (this.writeQueued || !this.pending.length) return;
    this.writeQueued = true;
    queueMicrotask(() => this.writePending());
  }

  /** Write the pending lines now. */
  writePending(): void {
    this.writeQueued = false;
    if (!this.pending.length || this.fd === undefined || this.failed) return;
    const data = Buffer.from(this.pending.join('\n') + '\n');
    const count = this.pending.length;
    this.pending = [];
    try {
      let off = 0;
      while (off < data.length) off += writeSync(this.fd, data, off);
      this.written += count;
    } catch (err) {
      this.dropped += count;
      this.fail(err);
    }
  }

  /** Flush, sync to disk and close. Safe to call twice. */
  close(): void {
    this.writePending();
    if (this.fd === undefined) return;
    try {
      fsyncSync(this.fd);
    } catch {
      // A log on a full or read-only disk cannot be synced; its problem was reported already.
    }
    try {
      closeSync(this.fd);
    } catch {
      // Already closed by the OS on a failed device: nothing left to release.
    }
    this.fd = undefined;
  }

  private fail(err: unknown): void {
    if (this.failed) return;
    this.failed = true;
    const code = (err as NodeJS.ErrnoException)?.code ?? 'EIO';
    const reason =
      code === 'ENOSPC'
        ? 'the disk is full'
        : code === 'EROFS'
          ? 'the file system is read-only'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : ((err as Error)?.message ?? code);
    this.onProblem({
      path: this.path,
      code,
      message: `cannot write the session log ${this.path}: ${reason} (${code}); probing continues without a log`,
    });
  }
}

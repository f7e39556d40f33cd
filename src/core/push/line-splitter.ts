/**
 * Turning a child's output bytes into lines. A push tool writes for a terminal or a pipe:
 * chunks end anywhere (in the middle of a line, of a UTF-8 character, of a CRLF), progress
 * is redrawn with a bare CR, and terminal output is full of ANSI cursor codes
 * (`ESC[1A ESC[2K`). Lines come out without their terminator and without escape codes;
 * lines left empty once cleaned are dropped (they are what cursor movement leaves behind).
 */
import { StringDecoder } from 'node:string_decoder';

/**
 * CSI sequences (`ESC [ ... final`), OSC sequences (`ESC ] ... BEL` or `ESC \`), and the
 * two-byte escapes (`ESC 7`, `ESC M`, ...). The 8-bit CSI (0x9b) is matched as well.
 */
const ANSI =
  /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u001b[ -/]*[0-~]/g;
/** Control characters other than TAB that a terminal would not print. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** Remove ANSI escape sequences and unprintable control characters from one line. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '').replace(CONTROL, '');
}

/** Longest line kept whole; a longer run without a terminator is cut into pieces at most this long. */
export const MAX_LINE_CHARS = 16_384;

/** How far back from MAX_LINE_CHARS a cut looks for a blank (longer than any token printed). */
const CUT_WINDOW = 4096;
const BLANK = /[ \t]/;

/**
 * Where to cut a run longer than MAX_LINE_CHARS: after the last blank of its last
 * CUT_WINDOW characters, so that a token printed there stays whole and redaction still
 * recognises it (half a token is no known shape, nor a registered secret); at
 * MAX_LINE_CHARS when there is no blank. Depends only on the first MAX_LINE_CHARS
 * characters, so the pieces are the same however the stream was chunked.
 */
function cutPoint(run: string): number {
  for (let i = MAX_LINE_CHARS - 1; i >= MAX_LINE_CHARS - CUT_WINDOW; i--) if (BLANK.test(run[i]!)) return i + 1;
  return MAX_LINE_CHARS;
}

/** Splits a byte stream into clean lines; feed chunks with `push`, then call `end`. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  /** A CR ended the previous chunk: if the next starts with LF, that LF is part of a CRLF. */
  private pendingCr = false;

  /** Lines completed by `chunk`, in order. */
  push(chunk: Buffer | string): string[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    return this.split(text);
  }

  /** The last line, if the stream ended without a terminator. */
  end(): string[] {
    const rest = this.split(this.decoder.end());
    const last = this.partial;
    this.partial = '';
    return this.keep(rest, last);
  }

  private split(text: string): string[] {
    const out: string[] = [];
    let start = 0;
    if (this.pendingCr && text.startsWith('\n')) start = 1;
    if (text.length) this.pendingCr = false;
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.keep(out, this.partial + text.slice(start, i));
      this.partial = '';
      if (c === 13) {
        if (i + 1 === text.length) this.pendingCr = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    this.partial += text.slice(start);
    while (this.partial.length > MAX_LINE_CHARS) {
      // A child printing megabytes without a newline must not grow our memory.
      const cut = cutPoint(this.partial);
      this.keep(out, this.partial.slice(0, cut));
      this.partial = this.partial.slice(cut);
    }
    return out;
  }

  private keep(out: string[], raw: string): string[] {
    const line = stripAnsi(raw).trimEnd();
    if (line) out.push(line);
    return out;
  }
}

import { describe, expect, it } from 'vitest';
import { LineSplitter, MAX_LINE_CHARS, stripAnsi } from '../../../src/core/push/line-splitter.js';
import { fixture } from '../../support/transcripts.js';

function splitAll(parts: Array<Buffer | string>): string[] {
  const s = new LineSplitter();
  const out: string[] = [];
  for (const p of parts) out.push(...s.push(p));
  out.push(...s.end());
  return out;
}

describe('LineSplitter', () => {
  it('joins a line cut across chunks and keeps the last unterminated line', () => {
    expect(splitAll(['abc: Prep', 'aring\nv1: dig', 'est'])).toEqual(['abc: Preparing', 'v1: digest']);
  });

  it('treats CRLF as one terminator even when CR and LF arrive in different chunks', () => {
    expect(splitAll(['one\r', '\ntwo\r\n', 'three'])).toEqual(['one', 'two', 'three']);
  });

  it('treats a bare CR as the end of a redrawn line', () => {
    expect(splitAll(['Pushing 1MB\rPushing 2MB\rPushed\n'])).toEqual(['Pushing 1MB', 'Pushing 2MB', 'Pushed']);
  });

  it('decodes a UTF-8 character split between two chunks', () => {
    const bytes = Buffer.from('denied: café\n');
    const cut = bytes.indexOf(0xc3) + 1;
    expect(splitAll([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(['denied: café']);
  });

  it('drops cursor codes and the empty lines they leave', () => {
    const tty = '\u001b[1A\u001b[2K\r97c51aba369f: Preparing \r\u001b[1B\r\n';
    expect(splitAll([tty])).toEqual(['97c51aba369f: Preparing']);
  });

  it('cuts a run without terminator so memory stays bounded', () => {
    const lines = splitAll(['x'.repeat(MAX_LINE_CHARS * 2 + 5)]);
    expect(lines.map((l) => l.length)).toEqual([MAX_LINE_CHARS, MAX_LINE_CHARS, 5]);
  });

  it('replaces invalid UTF-8 and removes control bytes instead of failing', () => {
    const lines = splitAll([Buffer.from([0x66, 0xff, 0x00, 0x07, 0x6f, 0x0a])]);
    expect(lines).toEqual(['f\ufffdo']);
  });

  it('reads the same lines from the docker terminal recording whole or byte by byte', () => {
    const tty = fixture('docker28-tty-retry.tty');
    const whole = splitAll([tty]);
    const bytes = splitAll([...tty].map((b) => Buffer.from([b])));
    expect(bytes).toEqual(whole);
    expect(whole).toContain('df52d57a4b3d: Retrying in 10 seconds');
    expect(whole.some((l) => l.includes('\u001b'))).toBe(false);
  });
});

describe('stripAnsi', () => {
  it('removes CSI, OSC and two-byte escapes', () => {
    expect(stripAnsi('\u001b[31mred\u001b[0m \u001b]0;title\u0007x\u001b7y')).toBe('red xy');
  });
});

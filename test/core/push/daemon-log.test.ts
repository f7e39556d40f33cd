import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDaemonLogLine } from '../../../src/core/push/daemon-log.js';
import { DaemonLogError, followFile, followJournal } from '../../../src/core/push/daemon-log-follower.js';
import { fixture } from '../../support/transcripts.js';

describe('parseDaemonLogLine', () => {
  it('reads the causes of retries and the final failure from a recorded dockerd log', () => {
    const lines = fixture('dockerd-tls-timeout.log').toString().split('\n').filter(Boolean).map(parseDaemonLogLine);
    expect(lines.map((l) => l?.retryCause ?? l?.finalCause)).toEqual([
      'write tcp 127.0.0.1:49110->127.0.1.1:443: write: connection reset by peer',
      'net/http: TLS handshake timeout',
      'net/http: TLS handshake timeout',
      'net/http: TLS handshake timeout',
      'net/http: TLS handshake timeout',
    ]);
    expect(lines.map((l) => l?.code)).toEqual([
      'push.connection_reset',
      'push.tls_timeout',
      'push.tls_timeout',
      'push.tls_timeout',
      'push.tls_timeout',
    ]);
    expect(lines.at(-1)).toMatchObject({ level: 'error', finalCause: 'net/http: TLS handshake timeout' });
    expect(lines.at(-1)?.retryCause).toBeUndefined();
  });

  it('keeps errors and upload failures of a whole daemon session, drops the info chatter', () => {
    const all = fixture('dockerd-session.log').toString().split('\n').filter(Boolean);
    const kept = all.map(parseDaemonLogLine).filter((l) => l !== undefined);
    expect(kept.length).toBeGreaterThan(20);
    expect(kept.length).toBeLessThan(all.length);
    expect(kept.every((l) => l.level !== 'info' || l.retryCause || l.finalCause)).toBe(true);
    const denied = kept.find((l) => l.finalCause?.startsWith('denied: Permission "artifactregistry'));
    expect(denied?.code).toBe('push.denied');
  });

  it("reads the JSON log format and the journal's plain lines alike", () => {
    expect(
      parseDaemonLogLine('{"level":"error","msg":"Upload failed, retrying: EOF","time":"2026-11-27T03:09:31Z"}'),
    ).toMatchObject({ retryCause: 'EOF', code: 'push.eof' });
    expect(parseDaemonLogLine('not a log line')).toBeUndefined();
  });
});

describe('followFile', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('sees only lines written after it started, across partial writes and a truncation', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-dlog-'));
    const file = path.join(dir, 'dockerd.log');
    writeFileSync(file, 'old line\n');
    const seen: string[] = [];
    const f = followFile(file, (l) => seen.push(l), 20);
    appendFileSync(file, 'time="x" level=error msg="Upload failed, ret');
    await new Promise((r) => setTimeout(r, 60));
    appendFileSync(file, 'rying: EOF"\n');
    await new Promise((r) => setTimeout(r, 60));
    writeFileSync(file, 'after rotation\n');
    await new Promise((r) => setTimeout(r, 60));
    f.stop();
    expect(seen).toEqual(['time="x" level=error msg="Upload failed, retrying: EOF"', 'after rotation']);
  });

  it('a file that cannot be read is a clear error naming it', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-dlog-'));
    expect(() => followFile(path.join(dir, 'missing.log'), () => undefined)).toThrow(DaemonLogError);
    expect(() => followFile(path.join(dir, 'missing.log'), () => undefined)).toThrow(
      /--daemon-log: cannot read ".*missing.log"/,
    );
  });
});

describe('followJournal', () => {
  let dir: string;
  let savedPath: string | undefined;
  afterEach(() => {
    process.env.PATH = savedPath;
    rmSync(dir, { recursive: true, force: true });
  });

  /** A stand-in `journalctl` first on PATH: records its arguments, prints `lines`, stays up like -f. */
  function standIn(lines: string[]): string {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-journal-'));
    const args = path.join(dir, 'args');
    const script = `#!/bin/sh\necho "$@" > ${args}\n${lines.map((l) => `printf '%s\\n' '${l}'`).join('\n')}\nexec sleep 30\n`;
    writeFileSync(path.join(dir, 'journalctl'), script, { mode: 0o755 });
    savedPath = process.env.PATH;
    process.env.PATH = `${dir}:${savedPath}`;
    return args;
  }

  it('runs journalctl -f -u docker.service -o cat -n 0 and hands on its lines', async () => {
    const args = standIn(['time="2026-11-27T03:09:31Z" level=error msg="Upload failed, retrying: EOF"']);
    const seen: string[] = [];
    const errors: string[] = [];
    const f = followJournal(
      (l) => seen.push(l),
      (e) => errors.push(e),
    );
    await new Promise((r) => setTimeout(r, 500));
    f.stop();
    expect(seen.map(parseDaemonLogLine)).toEqual([expect.objectContaining({ retryCause: 'EOF' })]);
    expect(readFileSync(args, 'utf8').trim()).toBe('-f -u docker.service -o cat -n 0');
    expect(errors).toEqual([]);
  });

  it('says so once when journalctl is not installed', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-journal-'));
    savedPath = process.env.PATH;
    process.env.PATH = dir;
    const errors: string[] = [];
    const f = followJournal(
      () => undefined,
      (e) => errors.push(e),
    );
    await new Promise((r) => setTimeout(r, 300));
    f.stop();
    expect(errors).toEqual(['--daemon-log journal: journalctl is not installed']);
  });
});

import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportFileName, exportSessionLog } from '../../src/cli/outputs/export-log.js';

let dir: string;
afterEach(() => {
  chmodSync(dir, 0o700);
  rmSync(dir, { recursive: true, force: true });
});

describe('exportSessionLog', () => {
  it('copies the log as it is now into the folder, readable by the owner only', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-export-'));
    const log = path.join(dir, 'session.ndjson');
    writeFileSync(log, '{"v":1,"type":"session.start"}\n{"v":1,"type":"probe"}\n');
    const now = new Date('2026-01-02T03:04:05.678Z');
    const out = await exportSessionLog(log, dir, now);
    expect(out).toBe(path.join(dir, 'gcrwatch-export-2026-01-02T03-04-05Z.ndjson'));
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(log, 'utf8'));
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(exportFileName(now)).toBe('gcrwatch-export-2026-01-02T03-04-05Z.ndjson');
  });

  it('makes a folder that does not exist yet (--export-dir)', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-export-'));
    const log = path.join(dir, 'session.ndjson');
    writeFileSync(log, '{"v":2}\n');
    const out = await exportSessionLog(log, path.join(dir, 'new', 'exports'));
    expect(path.dirname(out)).toBe(path.join(dir, 'new', 'exports'));
    expect(statSync(path.dirname(out)).mode & 0o777).toBe(0o700);
    expect(readFileSync(out, 'utf8')).toBe('{"v":2}\n');
  });

  it('says why when there is no log or the folder cannot be written', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-export-'));
    await expect(exportSessionLog(null, dir)).rejects.toThrow('there is no session log to export (--no-log)');
    const log = path.join(dir, 'session.ndjson');
    writeFileSync(log, '{}\n');
    // A "folder" that is a file cannot hold the export, even for root.
    await expect(exportSessionLog(log, log)).rejects.toThrow(
      /^cannot write .*session\.ndjson\/gcrwatch-export-.*\.ndjson \(ENOTDIR\)$/,
    );
  });
});

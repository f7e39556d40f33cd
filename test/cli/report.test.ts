import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

const SCENARIOS = path.resolve(import.meta.dirname, '../scenarios');
const log = (name: string) => path.join(SCENARIOS, name, 'session.ndjson');
const dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-report-'));

describe('gcrwatch report', () => {
  it('turns the retry scenario into a Markdown verdict naming the reset uploads', async () => {
    const r = await runCli(['report', log('retry-healthy-probes')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('## Verdict');
    expect(r.stdout).toMatch(
      /\*\*Network \(network\.upload_path, high confidence\)\.\*\* 2 of 2 failed push attempts .*connection reset by peer/,
    );
    expect(r.stdout).toContain('## Push timeline');
  });

  it('writes HTML to -o (format from the extension), private like the log', async () => {
    const out = path.join(dir, 'r.html');
    const r = await runCli(['report', log('retry-tls-timeout-regional'), '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`gcrwatch: html report of ${log('retry-tls-timeout-regional')} written to ${out}\n`);
    expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>/);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('gives one CSV row per probe, and JSON that parses', async () => {
    const csv = await runCli(['report', log('ipv6-blackhole'), '--format', 'csv']);
    const probes = readFileSync(log('ipv6-blackhole'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"type":"probe"')).length;
    expect(csv.stdout.trim().split('\n')).toHaveLength(probes + 1);
    const json = await runCli(['report', log('ipv6-blackhole'), '-f', 'json']);
    expect(JSON.parse(json.stdout).verdict.code).toBe('network.ipv6_unreachable');
  });

  it('skips a probe without details with a warning naming its line, in every format and in replay (no exit 70)', async () => {
    const lines = readFileSync(log('healthy'), 'utf8').trimEnd().split('\n');
    const full = JSON.parse(lines.find((l) => l.includes('"key":'))!) as Record<string, unknown>;
    delete full.details;
    delete full.key;
    lines.splice(5, 0, JSON.stringify(full));
    const damaged = path.join(dir, 'no-details.ndjson');
    writeFileSync(damaged, lines.join('\n') + '\n');
    const warning = `gcrwatch: warning: ${damaged}: 1 line(s) skipped: line 6 (probe) details is missing\n`;
    for (const format of ['md', 'html', 'json', 'csv']) {
      const r = await runCli(['report', damaged, '--format', format]);
      expect(r.code, format).toBe(0);
      expect(r.stderr, format).toBe(warning);
    }
    const replay = await runCli(['replay', damaged, '--speed', '100000', '--plain']);
    expect(replay.code).toBe(0);
    expect(replay.stderr).toContain(warning);
    expect(replay.stdout + replay.stderr).not.toContain('diagnosis failed');
  });

  it('reads a log cut off mid-line, with one warning', async () => {
    const text = readFileSync(log('retry-healthy-probes'), 'utf8');
    const cut = path.join(dir, 'cut.ndjson');
    writeFileSync(cut, text.slice(0, text.length - 40));
    const r = await runCli(['report', cut]);
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^gcrwatch: warning: .*cut\.ndjson: the last line is incomplete \(the session was cut off\)/,
      ),
    ]);
    expect(r.stdout).toContain('the log ends without session.end (cut off)');
    expect(r.stdout).toContain('network.upload_path');
  });

  it('skips event types it does not know, with one warning', async () => {
    const future = path.join(dir, 'future.ndjson');
    const lines = readFileSync(log('healthy'), 'utf8').trim().split('\n');
    lines.splice(
      3,
      0,
      '{"v":2,"t":"2026-03-02T10:00:01.000Z","type":"hologram","x":1}',
      '{"v":2,"t":"2026-03-02T10:00:01.500Z","type":"hologram","x":2}',
    );
    writeFileSync(future, lines.join('\n') + '\n');
    const r = await runCli(['report', future]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `gcrwatch: warning: ${future}: 2 event(s) of unknown type "hologram" skipped (written by a newer gcrwatch?)\n`,
    );
  });

  it('skips an event whose time is not a time, naming it, and reports the rest', async () => {
    const damaged = path.join(dir, 'damaged.ndjson');
    const lines = readFileSync(log('retry-healthy-probes'), 'utf8').trim().split('\n');
    lines[5] = lines[5]!.replace(/"t":"[^"]+"/, '"t":"yesterday"');
    lines[40] = lines[40]!.replace(/"t":"[^"]+"/, '"t":"not a time"');
    writeFileSync(damaged, lines.join('\n') + '\n');
    for (const format of ['md', 'html', 'json']) {
      const r = await runCli(['report', damaged, '--format', format]);
      expect(r.stderr).toBe(
        `gcrwatch: warning: ${damaged}: 2 line(s) skipped: line 6 (probe) t: is not a time; line 41 (probe) t: is not a time\n`,
      );
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('network.upload_path');
    }
  });

  it.each([
    [
      'a text file',
      'notes.ndjson',
      'hello, world\nthis is not json\n',
      /not a gcrwatch session log \(line 1 is not JSON\)/,
    ],
    [
      'JSON that is not an event',
      'other.ndjson',
      '{"name":"x"}\n{"name":"y"}\n',
      /not a gcrwatch session log \(line 1 is not a gcrwatch event\)/,
    ],
    ['an empty file', 'empty.ndjson', '', /is empty, not a session log/],
  ])('refuses %s with one line and exit 2', async (_what, name, content, message) => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    const r = await runCli(['report', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('refuses a missing file and an unknown format', async () => {
    const missing = await runCli(['report', path.join(dir, 'nope.ndjson')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.ndjson: cannot read it \(ENOENT\)/);
    const pdf = await runCli(['report', log('healthy'), '--format', 'pdf']);
    expect(pdf.code).toBe(2);
    expect(pdf.stderr.split('\n')[0]).toBe('gcrwatch: --format: "pdf" is not one of md, html, json, csv');
  });
});

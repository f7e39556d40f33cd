/**
 * The examples of docs/metrics.md and docs/configuration.md are real: the scrape configuration
 * and alert rules pass promtool, the config example passes gcrwatch's schema, and the systemd
 * unit's command line is one gcrwatch accepts.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA } from '../../src/cli/config-schema.js';
import { describeWithPrereqs } from '../peers/prereqs.js';
import { runCli } from '../support/run-cli.js';

const DOCS = path.resolve(import.meta.dirname, '../../docs');
const dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-docs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The fenced blocks of `lang` in docs/`file`, in order. */
function blocks(file: string, lang: string): string[] {
  const text = readFileSync(path.join(DOCS, file), 'utf8');
  return [...text.matchAll(new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```', 'gm'))].map((m) => m[1]!);
}

function promtool(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile('promtool', args, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, out: stdout + stderr }));
  });
}

describeWithPrereqs('docs/metrics.md: Prometheus', ['promtool'], () => {
  it('the scrape configuration passes promtool check config', async () => {
    const [scrape] = blocks('metrics.md', 'yaml');
    expect(scrape).toContain('job_name: gcrwatch');
    writeFileSync(path.join(dir, 'prometheus.yml'), scrape!);
    const r = await promtool(['check', 'config', path.join(dir, 'prometheus.yml')]);
    expect(r.out).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });

  it('the alert rules pass promtool check rules', async () => {
    const rules = blocks('metrics.md', 'yaml')[1]!;
    expect((rules.match(/- alert: /g) ?? []).length).toBeGreaterThanOrEqual(3);
    writeFileSync(path.join(dir, 'rules.yml'), rules);
    const r = await promtool(['check', 'rules', path.join(dir, 'rules.yml')]);
    expect(r.out).toMatch(/SUCCESS: \d+ rules found/);
    expect(r.code).toBe(0);
  });
});

describe('docs examples', () => {
  it('the systemd unit runs a command line gcrwatch accepts', async () => {
    const unit = blocks('metrics.md', 'ini')[0]!;
    const exec = /^ExecStart=(\S+) (.*)$/m.exec(unit)!;
    expect(exec[1]).toMatch(/gcrwatch$/);
    const args = exec[2]!.split(/\s+/);
    const configAt = args.indexOf('--config');
    args.splice(configAt, 2, '--no-config');
    const r = await runCli([...args, 'config', 'print']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--metrics\s+9464\s+command line/);
  });

  it('the configuration file example passes the schema', () => {
    const [example] = blocks('configuration.md', 'json');
    const parsed = CONFIG_SCHEMA.safeParse(JSON.parse(example!));
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });
});

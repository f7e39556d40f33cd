/**
 * The README's "Monitoring a fleet" and "Configuration file" examples are real: the scrape
 * configuration and alert rules pass promtool, the config example passes gcrwatch's schema,
 * and the systemd unit's command line is one gcrwatch accepts.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA } from '../../src/cli/config-file.js';
import { describeWithPrereqs } from '../peers/prereqs.js';
import { runCli } from '../support/run-cli.js';

const README = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
const dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The fenced blocks of `lang` in the README section titled `section`. */
function blocks(section: string, lang: string): string[] {
  const body = README.split(new RegExp(`^## ${section}$`, 'm'))[1]?.split(/^## /m)[0] ?? '';
  return [...body.matchAll(new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```', 'gm'))].map((m) => m[1]!);
}

function promtool(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile('promtool', args, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, out: stdout + stderr }));
  });
}

describeWithPrereqs('README: Monitoring a fleet', ['promtool'], () => {
  it('the scrape configuration passes promtool check config', async () => {
    const [scrape] = blocks('Monitoring a fleet', 'yaml');
    expect(scrape).toContain('job_name: gcrwatch');
    writeFileSync(path.join(dir, 'prometheus.yml'), scrape!);
    const r = await promtool(['check', 'config', path.join(dir, 'prometheus.yml')]);
    expect(r.out).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });

  it('the alert rules pass promtool check rules', async () => {
    const rules = blocks('Monitoring a fleet', 'yaml')[1]!;
    expect((rules.match(/- alert: /g) ?? []).length).toBeGreaterThanOrEqual(2);
    writeFileSync(path.join(dir, 'rules.yml'), rules);
    const r = await promtool(['check', 'rules', path.join(dir, 'rules.yml')]);
    expect(r.out).toMatch(/SUCCESS: \d+ rules found/);
    expect(r.code).toBe(0);
  });
});

describe('README examples', () => {
  it('the systemd unit runs a command line gcrwatch accepts', async () => {
    const unit = blocks('Monitoring a fleet', 'ini')[0]!;
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
    const [example] = blocks('Configuration file', 'json');
    const parsed = CONFIG_SCHEMA.safeParse(JSON.parse(example!));
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });
});

/**
 * What `gcrwatch config print` prints: the effective configuration, each value with where it
 * came from. Secrets are never printed: a proxy shows without its credentials.
 */
import type { Command } from 'commander';
import { redactText } from '../core/log/redact.js';
import { resolveProxySettings } from '../core/proxy/proxy-settings.js';
import { appliedConfigOf } from './config-apply.js';
import { defaultConfigPaths } from './config-file.js';
import { buildMonitorConfig } from './monitor-config.js';
import type { CliIO } from './outputs/attach.js';
import type { MonitorFlags } from './program.js';

/** One printed setting. */
export interface SettingRow {
  name: string;
  value: string;
  source: string;
}

const SOURCE_WORDS: Record<string, string> = {
  cli: 'command line',
  config: 'config file',
  default: 'default',
  env: 'environment',
};

/** The rows `config print` shows for `program`, after the configuration file was applied. */
export function settingRows(program: Command, env: NodeJS.ProcessEnv): SettingRow[] {
  const rows: SettingRow[] = [];
  const seen = new Set<string>();
  for (const option of program.options) {
    const attr = option.attributeName();
    if (seen.has(attr) || attr === 'version' || attr === 'config') continue;
    seen.add(attr);
    if (attr === 'proxy') {
      rows.push(...proxyRows(program, env));
      continue;
    }
    if (attr === 'proxyBypass') continue;
    const value = program.getOptionValue(attr);
    const source = program.getOptionValueSource(attr);
    // `--no-color yes` reads backwards: name a negatable setting by its positive form.
    const name = option.negate ? (option.long ?? attr).replace(/^--no-/, '--') : (option.long ?? attr);
    const shown = attr === 'log' && value === undefined ? '(default location)' : formatValue(value);
    rows.push({ name, value: shown, source: source ? (SOURCE_WORDS[source] ?? source) : 'unset' });
  }
  return rows;
}

function proxyRows(program: Command, env: NodeJS.ProcessEnv): SettingRow[] {
  const given = program.getOptionValue('proxy') as string | false | undefined;
  const source = program.getOptionValueSource('proxy');
  const noProxy = program.getOptionValue('proxyBypass') as string | undefined;
  const noProxySource = program.getOptionValueSource('proxyBypass');
  const settings = resolveProxySettings({
    env,
    proxy: typeof given === 'string' ? given : undefined,
    disabled: given === false,
    noProxy,
  });
  const from = source ? (SOURCE_WORDS[source] ?? source) : undefined;
  return [
    {
      name: '--proxy',
      value: given === false ? 'off (--no-proxy)' : (settings.https?.display ?? 'none'),
      source: from ?? (settings.https ? `environment (${settings.https.source})` : 'unset'),
    },
    {
      name: '--proxy-bypass',
      value: settings.noProxyText ?? '',
      source: noProxySource
        ? (SOURCE_WORDS[noProxySource] ?? noProxySource)
        : settings.noProxySource
          ? `environment (${settings.noProxySource})`
          : 'unset',
    },
  ];
}

function formatValue(value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.join(', ');
  if (value === true) return 'yes';
  if (value === false) return 'no';
  return String(value);
}

/** Print the effective configuration; validating it first, as a run would. */
export function printConfig(program: Command, json: boolean, io: CliIO): number {
  const flags = program.opts<MonitorFlags>();
  const effective = buildMonitorConfig(flags, { isTTY: io.stdoutIsTTY }, [], io.env);
  const applied = appliedConfigOf(program);
  const rows = settingRows(program, io.env);
  const targets = effective.targets.map((t) => t.id);
  if (json) {
    io.stdout.write(
      `${redactText(JSON.stringify({ file: applied?.file ?? null, lookedFor: defaultConfigPaths(io.env), targets, settings: rows, unusedKeys: applied?.unused ?? [] }))}\n`,
    );
    return 0;
  }
  const none =
    program.getOptionValue('config') === false
      ? 'none (--no-config)'
      : `none (looked for ${defaultConfigPaths(io.env).join(', ')})`;
  const lines = [`configuration file: ${applied?.file ?? none}`];
  lines.push(`targets: ${targets.join(', ')}`, '');
  const width = Math.max(...rows.map((r) => r.name.length), 7) + 2;
  const valueWidth = Math.min(48, Math.max(...rows.map((r) => r.value.length), 5) + 2);
  lines.push(`${'setting'.padEnd(width)}${'value'.padEnd(valueWidth)}from`);
  for (const r of rows) lines.push(`${r.name.padEnd(width)}${(r.value || '-').padEnd(valueWidth)}${r.source}`);
  if (applied?.unused.length) lines.push('', `keys of the file this build does not use: ${applied.unused.join(', ')}`);
  io.stdout.write(`${redactText(lines.join('\n'))}\n`);
  return 0;
}

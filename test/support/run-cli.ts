/** Run the built gcrwatch (bin/gcrwatch -> dist/) as a user would, and collect what it printed. */
import { spawn, type SpawnOptions } from 'node:child_process';
import path from 'node:path';

export const BIN = path.resolve(import.meta.dirname, '../../bin/gcrwatch');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run `gcrwatch args...`; kills it after `timeoutMs`. */
export function runCli(
  args: string[],
  opts: SpawnOptions & { timeoutMs?: number; input?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { ...opts, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin!.end(opts.input ?? '');
  });
}

/**
 * Assert a usage error: exit 2, one line matching `why` (no stack, nothing a terminal would act
 * on), the usage hint, nothing on stdout.
 */
export async function expectRefused(
  args: string[],
  why: RegExp,
  opts: SpawnOptions & { timeoutMs?: number } = {},
): Promise<void> {
  const { expect } = await import('vitest');
  const r = await runCli(args, opts);
  const lines = r.stderr.trimEnd().split('\n');
  expect({ code: r.code, first: lines[0], rest: lines.slice(1), stdout: r.stdout }).toEqual({
    code: 2,
    first: expect.stringMatching(why),
    rest: ["Try 'gcrwatch --help' for usage."],
    stdout: '',
  });
  expect(lines[0]).toMatch(/^gcrwatch: /);
  expect(r.stderr).not.toMatch(/\n\s+at |Error:|node:internal/);
  expect(lines[0]).not.toMatch(/[\u0000-\u001f\u007f]/);
}

/**
 * What every benchmark shares: command-line options, statistics, readings of a process from
 * /proc, prerequisites, and the result protocol.
 *
 * Result protocol: a benchmark ends with `finish(result)`, which prints each figure with its
 * target and PASS/FAIL, writes the result as JSON to `$GCRWATCH_BENCH_RESULT` when that is set
 * (bench/run.mjs reads it to write docs/benchmarks.md), and sets the exit code: 0 when every
 * target is met, 1 when one is missed. A benchmark that cannot run (a missing package, not
 * root) calls `cannotRun`, which exits 2 naming what is missing.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

/** The project root (one level above bench/). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The built CLI. */
export const BIN = `${ROOT}bin/gcrwatch`;

/** `--name VALUE` from argv as a number (or the fallback). */
export function numberOption(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value)) throw new Error(`--${name} needs a number, got ${process.argv[i + 1]}`);
  return value;
}

/** True when `--name` is on the command line. */
export function flag(name) {
  return process.argv.includes(`--${name}`);
}

/** The q-quantile (0..1) by nearest rank; NaN for an empty list. */
export function quantile(values, q) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** The median (mean of the two middle values for an even count); NaN for an empty list. */
export function median(values) {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const TICKS_PER_SECOND = Number(safe(() => execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())) || 100;

/** User + system CPU seconds of a process so far (its threads included, dead ones too), from /proc. */
export function cpuSecondsOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Resident set now and its peak (VmRSS, VmHWM) of a process, in MB. */
export function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/**
 * Watches a process: CPU seconds and wall seconds between `begin()` and `end()`, and the
 * highest RSS seen by sampling every `everyMs` in between (VmHWM covers start-up too).
 */
export class ProcessMeter {
  constructor(pid, everyMs = 500) {
    this.pid = pid;
    this.everyMs = everyMs;
    this.maxRssMb = 0;
  }

  begin() {
    this.cpu0 = cpuSecondsOf(this.pid);
    this.wall0 = process.hrtime.bigint();
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    return this;
  }

  sample() {
    try {
      this.last = memoryOf(this.pid);
      this.maxRssMb = Math.max(this.maxRssMb, this.last.rssMb);
    } catch {
      /* the process has gone */
    }
  }

  /** `{ cpuSeconds, wallSeconds, share, maxRssMb, rssMb, peakMb }`; share is CPU ÷ wall. */
  end() {
    clearInterval(this.timer);
    this.sample();
    const cpuSeconds = cpuSecondsOf(this.pid) - this.cpu0;
    const wallSeconds = Number(process.hrtime.bigint() - this.wall0) / 1e9;
    return {
      cpuSeconds,
      wallSeconds,
      share: cpuSeconds / wallSeconds,
      maxRssMb: this.maxRssMb,
      rssMb: this.last?.rssMb,
      peakMb: this.last?.peakMb,
    };
  }
}

/** Commands missing from PATH (sbin included, where ip lives). */
export function missingCommands(commands) {
  const path = `${process.env.PATH}:/usr/sbin:/sbin`;
  return commands.filter((cmd) => {
    try {
      execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore', env: { ...process.env, PATH: path } });
      return false;
    } catch {
      return true;
    }
  });
}

/** Exit 2 with a message when root or a command is missing; `name` is the benchmark's. */
export function requirePrereqs(name, { root = false, commands = [] } = {}) {
  const missing = [...(root && process.getuid?.() !== 0 ? ['root'] : []), ...missingCommands(commands)];
  if (missing.length) cannotRun(name, `missing: ${missing.join(', ')} (run as root after .ci/run's apt-get installs)`);
}

/** End a benchmark that cannot run here: exit 2, naming why. */
export function cannotRun(name, why) {
  console.error(`${name}: cannot run, ${why}`);
  writeResult({ name, skipped: why, figures: [] });
  process.exit(2);
}

/** The machine, for the record. */
export function machine() {
  const cpu = cpus();
  return {
    cpus: cpu.length,
    model: cpu[0]?.model?.trim() ?? '?',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kernel: safe(() => readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim()) ?? '?',
    load: safe(() => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')) ?? '?',
  };
}

/**
 * A figure: `{ name, value, unit, digits?, target?: { op: '<=' | '>=', value }, note? }`.
 * `pass` is computed from the target; a figure without a target is reported only.
 */
export function judge(figure) {
  if (!figure.target) return { ...figure };
  const { op, value } = figure.target;
  const pass = Number.isFinite(figure.value) && (op === '<=' ? figure.value <= value : figure.value >= value);
  return { ...figure, pass };
}

function formatValue(v, unit, digits = 2) {
  return `${Number.isFinite(v) ? v.toFixed(digits) : String(v)}${unit ? ` ${unit}` : ''}`;
}

/**
 * Print the figures and their verdicts, write the JSON result, set the exit code.
 * `result`: `{ name, title, command, figures, details?, notes? }`; `details` is a Markdown
 * table or text kept for the document.
 */
export function finish(result) {
  const figures = result.figures.map(judge);
  console.log(`\n== ${result.title}`);
  for (const f of figures) {
    const target = f.target ? `target ${f.target.op} ${formatValue(f.target.value, f.unit, f.digits)}` : '(reported)';
    const verdict = f.pass === undefined ? '' : f.pass ? 'PASS' : 'FAIL';
    console.log(
      `${f.name}: ${formatValue(f.value, f.unit, f.digits)}   ${target}   ${verdict}${f.note ? `   (${f.note})` : ''}`,
    );
  }
  if (result.details) console.log(`\n${result.details}\n`);
  for (const n of result.notes ?? []) console.log(`note: ${n}`);
  const failed = figures.filter((f) => f.pass === false);
  writeResult({ ...result, figures, machine: machine(), date: new Date().toISOString(), failed: failed.length });
  console.log(failed.length ? `${result.name}: ${failed.length} target(s) missed` : `${result.name}: every target met`);
  process.exitCode = failed.length ? 1 : 0;
}

function writeResult(result) {
  const file = process.env.GCRWATCH_BENCH_RESULT;
  if (file) writeFileSync(file, JSON.stringify(result, null, 2));
}

function safe(fn) {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** Resolves after `ms`. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

#!/usr/bin/env node
/**
 * Benchmark 3, memory over long sessions. A real Session (redaction, store and statistics,
 * the NDJSON log writer, the diagnosis when the build has it) in a process of its own is fed
 * 24 hours' worth of rounds of 10 targets at 1 s (864,000 probe events) as fast as it can,
 * with the times of a 24-hour session. Its RSS after garbage collection is read after every
 * hour of session time, and its peak (VmHWM) at the end.
 * Targets: RSS growth from the 1st to the 24th hour ≤ 10 MB; peak ≤ 150 MB.
 *
 *   npm run build && node bench/long-session-memory.mjs [--hours 24] [--targets 10]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finish, numberOption, ROOT } from './support/kit.mjs';

const HOURS = numberOption('hours', 24);
const TARGETS = numberOption('targets', 10);

function feed(logPath) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', `${ROOT}bench/support/feed-session.mjs`, logPath, String(HOURS), String(TARGETS)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const lines = [];
    let rest = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop();
      for (const p of parts) {
        const row = JSON.parse(p);
        lines.push(row);
        if (row.hour)
          console.log(
            `hour ${String(row.hour).padStart(2)}: ${row.events} events, RSS ${row.rssMb.toFixed(1)} MB, heap ${row.heapMb.toFixed(1)} of ${row.heapTotalMb.toFixed(1)} MB, external ${row.externalMb.toFixed(1)} MB, ${(row.ms / 1000).toFixed(1)} s`,
          );
      }
    });
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(lines) : reject(new Error(`the feeding process exited with ${code}`)),
    );
  });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'gcrwatch-bench-memory-'));
  let rows;
  try {
    rows = await feed(join(dir, 'session.ndjson'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const hours = rows.filter((r) => r.hour);
  const end = rows.find((r) => r.done);
  const first = hours[0];
  const last = hours.at(-1);
  finish({
    name: 'long-session-memory',
    title: `Memory over a ${HOURS}-hour session (${TARGETS} targets at 1 s)`,
    command: 'node bench/long-session-memory.mjs',
    figures: [
      { name: 'RSS after 1 h of session time (after GC)', value: first.rssMb, unit: 'MB', digits: 1 },
      { name: `RSS after ${last.hour} h of session time (after GC)`, value: last.rssMb, unit: 'MB', digits: 1 },
      {
        name: `RSS growth from 1 h to ${last.hour} h`,
        value: last.rssMb - first.rssMb,
        unit: 'MB',
        digits: 1,
        target: { op: '<=', value: 10 },
      },
      { name: 'JS heap growth from 1 h to the end', value: last.heapMb - first.heapMb, unit: 'MB', digits: 1 },
      { name: 'peak RSS (VmHWM)', value: end.peakMb, unit: 'MB', digits: 1, target: { op: '<=', value: 150 } },
      { name: 'events per second fed', value: last.events / (last.ms / 1000), unit: '', digits: 0 },
    ],
    details: [
      '| session hour | events | RSS after GC (MB) | JS heap used / committed (MB) |',
      '| --- | --- | --- | --- |',
      ...hours
        .filter((r) => r.hour === 1 || r.hour % 4 === 0 || r.hour === last.hour)
        .map(
          (r) =>
            `| ${r.hour} | ${r.events} | ${r.rssMb.toFixed(1)} | ${r.heapMb.toFixed(1)} / ${r.heapTotalMb.toFixed(1)} |`,
        ),
    ].join('\n'),
    notes: [
      `${last.events} probe events through a real Session's bus (redaction, store, statistics, log writer${end.diagnosis ? ', diagnosis' : ''}); a ${end.logMb.toFixed(0)} MB log written and removed`,
    ],
  });
}

main().catch((error) => {
  console.error(`long-session-memory: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});

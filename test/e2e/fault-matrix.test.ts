/**
 * The fault matrix, end to end: one gcrwatch (default targets, no test-only flags) runs in the
 * simulated world while every fault of test/peers/world-faults.ts is switched on and off, a few
 * at a time on different hosts. For each fault: gcrwatch keeps running, names it with the right
 * code and category, and recovers (the next round or check after the fault succeeds); at the
 * end the session log holds exactly the events gcrwatch streamed, each line whole.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AuthEvent, ProbeEvent, SessionEndEvent, SessionEvent } from '../../src/core/events.js';
import { describeWithPrereqs } from '../peers/prereqs.js';
import { createWorld, WORLD_PREREQS, type World } from '../peers/world.js';
import {
  FAULT_WORLD_HOSTS,
  installFaultHelper,
  prepareFaultPki,
  worldFaults,
  type WorldFault,
} from '../peers/world-faults.js';
import { HelperBin } from '../support/credential-helpers.js';
import { BIN } from '../support/run-cli.js';
import { readLog } from '../support/session-log.js';

const INTERVAL_MS = 500;
const TIMEOUT_MS = 2000;

/** Events streamed by the running gcrwatch (--json), parsed as they come. */
class EventTail {
  readonly events: SessionEvent[] = [];
  raw = '';
  private partial = '';

  constructor(child: ChildProcess) {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.raw += chunk;
      const lines = (this.partial + chunk).split('\n');
      this.partial = lines.pop()!;
      for (const line of lines) if (line) this.events.push(JSON.parse(line) as SessionEvent);
    });
  }

  /** Events of the fault's witness (probe rounds of its target, or its credential checks) since `from` (ms). */
  witnessed(fault: WorldFault, from: number): Array<ProbeEvent | AuthEvent> {
    const w = fault.witness;
    return this.events.filter((e): e is ProbeEvent | AuthEvent => {
      // A round counts from its start (its event's time minus its duration).
      if (e.type === 'probe') return w.kind === 'probe' && e.target === w.target && Date.parse(e.t) - e.ms >= from;
      if (e.type === 'auth')
        return w.kind === 'auth' && e.view === w.view && e.host === w.host && Date.parse(e.t) - (e.ms ?? 0) >= from;
      return false;
    });
  }

  async until<T>(what: string, find: () => T | undefined, timeoutMs: number): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Faults in batches that never touch the same host (nor the credential checks twice) at once. */
function batches(faults: WorldFault[]): WorldFault[][] {
  const keys = (f: WorldFault) => (f.witness.kind === 'probe' ? [f.witness.target] : ['credentials', f.witness.host]);
  const out: Array<{ faults: WorldFault[]; used: Set<string> }> = [];
  for (const fault of faults) {
    let batch = out.find((b) => keys(fault).every((k) => !b.used.has(k)));
    if (!batch) out.push((batch = { faults: [], used: new Set() }));
    batch.faults.push(fault);
    for (const k of keys(fault)) batch.used.add(k);
  }
  return out.map((b) => b.faults);
}

function matches(fault: WorldFault, e: ProbeEvent | AuthEvent): boolean {
  if (fault.codes.length === 0) return e.ok && e.type === 'probe' && Boolean(e.details.tls?.interception);
  return !e.ok && e.error !== undefined && fault.codes.includes(e.error.code);
}

describeWithPrereqs('the fault matrix against gcrwatch in the simulated world', [...WORLD_PREREQS, 'iptables'], () => {
  let world: World;
  let dir: string;
  let bin: HelperBin;
  let gcrwatch: ChildProcess;
  let tail: EventTail;
  let stderr = '';
  let log: string;
  let faults: WorldFault[];

  beforeAll(async () => {
    world = await createWorld({ hosts: FAULT_WORLD_HOSTS });
    dir = mkdtempSync(path.join(os.tmpdir(), 'gcrwatch-matrix-'));
    const pki = await prepareFaultPki(world, dir);
    bin = new HelperBin();
    const helper = await installFaultHelper(world, bin);
    faults = worldFaults(world, pki, helper);
    log = path.join(dir, 'session.ndjson');
    gcrwatch = world.spawn(
      process.execPath,
      [
        BIN,
        '--json',
        '--log',
        log,
        '--interval',
        `${INTERVAL_MS}ms`,
        '--timeout',
        `${TIMEOUT_MS}ms`,
        '--ca-file',
        pki.interceptCaFile,
        '--repo',
        'gcr.io/proj/app',
        '--auth-interval',
        '1s',
      ],
      { env: bin.env() },
    );
    gcrwatch.stderr!.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    tail = new EventTail(gcrwatch);
    await tail.until(
      'every target healthy',
      () => {
        const ok = new Set(tail.events.filter((e): e is ProbeEvent => e.type === 'probe' && e.ok).map((e) => e.target));
        return ok.size === 7 ? true : undefined;
      },
      20_000,
    );
  }, 180_000);

  afterAll(async () => {
    if (gcrwatch && gcrwatch.exitCode === null) gcrwatch.kill('SIGKILL');
    await world?.close();
    bin?.cleanup();
    // MATRIX_KEEP_LOG=FILE keeps the session log for a look after a failure.
    if (process.env.MATRIX_KEEP_LOG && log) copyFileSync(log, process.env.MATRIX_KEEP_LOG);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('names whose resolver never answers do not stall the lookups of the other targets', async () => {
    // getaddrinfo cannot be cancelled and libuv gives lookups half its thread pool: with the
    // default pool, two silent names made every target fail in DNS (bin/gcrwatch sizes it).
    const silent = ['eu.gcr.io', 'asia.gcr.io', 'us.gcr.io'];
    for (const host of silent) await world.dns.set(host, { kind: 'silence' });
    const from = Date.now();
    try {
      await new Promise((r) => setTimeout(r, 3 * TIMEOUT_MS + 1000));
    } finally {
      for (const host of silent) await world.dns.set(host, { kind: 'answer', a: [world.addressOf(host)] });
    }
    const rounds = tail.events.filter(
      (e): e is ProbeEvent =>
        e.type === 'probe' && Date.parse(e.t) - e.ms >= from && Date.parse(e.t) <= from + 3 * TIMEOUT_MS,
    );
    const others = rounds.filter((e) => !silent.includes(e.target));
    expect(others.length).toBeGreaterThan(10);
    expect(others.filter((e) => !e.ok).map((e) => `${e.target} ${e.error?.code}`)).toEqual([]);
    expect(rounds.filter((e) => silent.includes(e.target)).every((e) => e.error?.code === 'dns.timeout')).toBe(true);
  }, 60_000);

  it('classifies every fault, keeps running, and recovers when it ends', async () => {
    const seen: string[] = [];
    for (const batch of batches(faults)) {
      const on = Date.now();
      await Promise.all(batch.map((f) => f.on()));
      const settled = Date.now();
      if (process.env.MATRIX_KEEP_LOG)
        console.log(new Date(on).toISOString(), 'on', batch.map((f) => f.name).join(' | '));
      await Promise.all(
        batch.map(async (fault) => {
          const hit = await tail.until(
            `${fault.name} to be seen`,
            () => tail.witnessed(fault, settled).find((e) => matches(fault, e)),
            TIMEOUT_MS * 2 + INTERVAL_MS + (fault.settleMs ?? 0) + 8000,
          );
          if (hit.error) expect(hit.error.category, fault.name).toBe(fault.category);
          seen.push(`${fault.name}: ${hit.error?.code ?? 'ok (interception flagged)'}`);
        }),
      );
      const off = Date.now();
      // Every round that ran wholly inside the fault was named the same way: no stray code. The
      // fault is in place once its switch has answered (`settled`): a round started while the
      // switch was still on its way can reach the peer first and pass.
      for (const fault of batch) {
        const inside = tail.witnessed(fault, settled + (fault.settleMs ?? 0)).filter((e) => Date.parse(e.t) <= off);
        for (const e of inside)
          expect(
            matches(fault, e) ? 'as expected' : `${e.ok ? 'ok' : e.error?.code}`,
            `${fault.name}: ${JSON.stringify(e)}`,
          ).toBe('as expected');
      }
      await Promise.all(batch.map((f) => f.off()));
      const healed = Date.now();
      await Promise.all(
        batch.map((fault) =>
          tail.until(
            `${fault.name} to recover`,
            () =>
              tail.witnessed(fault, healed).find((e) => e.ok && !(e.type === 'probe' && e.details.tls?.interception)),
            TIMEOUT_MS * 2 + INTERVAL_MS + (fault.settleMs ?? 0) + 8000,
          ),
        ),
      );
      expect(gcrwatch.exitCode, `gcrwatch still running after ${batch.map((f) => f.name).join(', ')}`).toBeNull();
    }
    expect(seen).toHaveLength(faults.length);

    gcrwatch.kill('SIGTERM');
    const [code] = (await once(gcrwatch, 'exit')) as [number | null];
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const end = tail.events.at(-1) as SessionEndEvent;
    expect(end).toMatchObject({ type: 'session.end', reason: 'signal', signal: 'SIGTERM', exitCode: 0 });
    expect(end.droppedEvents).toBeUndefined();
    const text = readFileSync(log, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const logged = readLog(log);
    expect(logged).toEqual(tail.events);
    // The helper's token, asked for every second through every fault, never written.
    expect(text).not.toContain('CANARY');
    expect(tail.events.filter((e) => e.type === 'warning')).toEqual([]);
  }, 600_000);
});

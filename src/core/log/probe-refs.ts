/**
 * The reference form of probe events on disk (event schema 2). Most of a probe event is the
 * same round after round: the target, the certificate and its chain, the TLS parameters, the
 * resolvers and addresses, the registry's challenge. What changes every round are its
 * *slots*: the round number, the durations, and the registry's Date header.
 *
 * The writer writes a probe in full, with a `key`, the first time its unchanging part is seen
 * (and again when it changes); a later probe whose unchanging part is the same is written as
 *   {"v":2,"t":"...","type":"probe","ref":KEY,"n":[ROUND, MS, ...]}
 * its slot values in the order `slotsOf` gives. The reader puts them back into a copy of the
 * keyed event, so every consumer sees full events, as in a version 1 log. Keys are numbers
 * below `MAX_KEYS`: when the writer has used them all, it starts again at 0, and a key means
 * the last probe that was written with it.
 */
import type { ProbeEvent, SessionEvent } from '../events.js';
import { PHASE_NAMES } from '../events.js';

/** How many distinct probe shapes a log keeps defined at once (bounds both ends' memory). */
export const MAX_KEYS = 1024;

/** A value of a probe that changes every round, and where it is. */
interface Slot {
  path: readonly (string | number)[];
  /** The Date header: written as seconds from the event's own second when that is exact. */
  date?: boolean;
}

const TOP: readonly Slot[] = [{ path: ['round'] }, { path: ['ms'] }];
const LAG: Slot = { path: ['lagMs'] };
const PHASES: Readonly<Record<string, Slot>> = Object.fromEntries(PHASE_NAMES.map((p) => [p, { path: ['phases', p] }]));
const DATE: Slot = { path: ['details', 'http', 'date'], date: true };

/** The slots `event` has, in their order on a reference line. */
export function slotsOf(event: ProbeEvent): Slot[] {
  const slots = [...TOP];
  if (typeof event.lagMs === 'number') slots.push(LAG);
  const phases = event.phases as Record<string, unknown>;
  for (const p of PHASE_NAMES) if (typeof phases[p] === 'number') slots.push(PHASES[p]!);
  for (const list of ['dns', 'tcp'] as const) {
    const entries = event.details[list];
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry, i) => {
      if (typeof entry?.ms === 'number') slots.push({ path: ['details', list, i, 'ms'] });
    });
  }
  if (typeof event.details.http?.date === 'string') slots.push(DATE);
  return slots;
}

/** How to make an event of a shape: the objects on the slots' paths to copy (parents first), and the slots. */
interface Plan {
  copies: ReadonlyArray<readonly (string | number)[]>;
  slots: readonly Slot[];
}

function planOf(slots: readonly Slot[]): Plan {
  const seen = new Set<string>();
  const copies: (string | number)[][] = [];
  for (const slot of slots)
    for (let depth = 1; depth < slot.path.length; depth++) {
      const prefix = slot.path.slice(0, depth);
      const id = prefix.join('\u0000');
      if (!seen.has(id)) {
        seen.add(id);
        copies.push(prefix);
      }
    }
  return { copies, slots };
}

/** The object holding the last key of `path`. */
function holderOf(root: object, path: readonly (string | number)[]): Record<string | number, unknown> {
  let node = root as Record<string | number, unknown>;
  for (let d = 0; d < path.length - 1; d++) node = node[path[d]!] as Record<string | number, unknown>;
  return node;
}

/**
 * A copy of `base` with each slot set to its value; only the objects on a slot's path are
 * copied, the rest (certificate, chain, errors) is shared with `base`.
 */
function withValues(base: object, plan: Plan, values: readonly unknown[]): Record<string, unknown> {
  const top: Record<string, unknown> = { ...base };
  for (const path of plan.copies) {
    const holder = holderOf(top, path);
    const key = path[path.length - 1]!;
    const child = holder[key];
    holder[key] = Array.isArray(child) ? [...(child as unknown[])] : { ...(child as object) };
  }
  for (let i = 0; i < plan.slots.length; i++) {
    const path = plan.slots[i]!.path;
    holderOf(top, path)[path[path.length - 1]!] = values[i];
  }
  return top;
}

/** The event's second, in ms, from its `t`; NaN when `t` is not a time. */
function secondOf(t: string): number {
  return Math.floor(Date.parse(t) / 1000) * 1000;
}

function valueAt(event: object, path: readonly (string | number)[]): unknown {
  let node: unknown = event;
  for (const key of path) node = (node as Record<string | number, unknown>)[key];
  return node;
}

/** A slot's value as written: a Date header that `toUTCString` gives back exactly is an offset. */
function encodeSlot(event: ProbeEvent, slot: Slot): unknown {
  const value = valueAt(event, slot.path);
  if (!slot.date) return value;
  const base = secondOf(event.t);
  const offset = (Date.parse(value as string) - base) / 1000;
  return Number.isInteger(offset) && new Date(base + offset * 1000).toUTCString() === value ? offset : value;
}

/** Turns probe events into lines of the reference form; one per log writer. */
export class ProbeRefWriter {
  private readonly keys = new Map<string, number>();
  private next = 0;

  /** The line to write for `event`; `full` makes the event's complete line (called only when needed). */
  line(event: SessionEvent, full: () => string): string {
    if (event.type !== 'probe') return full();
    const slots = slotsOf(event);
    const { v: _v, t: _t, ...rest } = event;
    const shape = JSON.stringify(
      withValues(
        rest,
        planOf(slots),
        slots.map((s) => (s.date ? '' : 0)),
      ),
    );
    const key = this.keys.get(shape);
    if (key !== undefined) {
      const values = JSON.stringify(slots.map((s) => encodeSlot(event, s)));
      return `{"v":${event.v},"t":${JSON.stringify(event.t)},"type":"probe","ref":${key},"n":${values}}`;
    }
    if (this.next === MAX_KEYS) {
      // Every key is in use: start again; each key is defined anew before a reference to it.
      this.keys.clear();
      this.next = 0;
    }
    const assigned = this.next++;
    this.keys.set(shape, assigned);
    const line = full();
    return `${line.slice(0, -1)},"key":${assigned}}`;
  }
}

/** A probe line in the reference form, as parsed (not yet checked). */
export interface ProbeRef {
  v: number;
  t: string;
  ref: unknown;
  n: unknown;
}

/** True when a parsed line is a probe in the reference form. */
export function isProbeRef(value: Record<string, unknown>): boolean {
  return value.type === 'probe' && 'ref' in value;
}

/** Expands reference lines back into full probe events; one per log read. */
export class ProbeRefReader {
  private readonly shapes = new Map<number, { base: ProbeEvent; plan: Plan }>();

  /** A keyed probe (already checked against the schema) defines `key` until it is defined again. */
  define(key: unknown, event: ProbeEvent): string | undefined {
    if (!Number.isInteger(key) || (key as number) < 0 || (key as number) >= MAX_KEYS)
      return `key ${JSON.stringify(key)} is not a number from 0 to ${MAX_KEYS - 1}`;
    const plan = planOf(slotsOf(event));
    freezeShared(event, plan);
    this.shapes.set(key as number, { base: event, plan });
    return undefined;
  }

  /** The full event `ref` stands for, or what is wrong with it. */
  expand(ref: ProbeRef): { ok: true; event: ProbeEvent } | { ok: false; problem: string } {
    const shape = Number.isInteger(ref.ref) ? this.shapes.get(ref.ref as number) : undefined;
    if (!shape) return { ok: false, problem: `ref ${JSON.stringify(ref.ref)} names no earlier probe with that key` };
    if (!Number.isFinite(Date.parse(ref.t))) return { ok: false, problem: 't: is not a time' };
    const { plan, base } = shape;
    const slots = plan.slots;
    if (!Array.isArray(ref.n) || ref.n.length !== slots.length)
      return { ok: false, problem: `n must be a list of ${slots.length} values (probe ${base.target})` };
    const values = new Array<unknown>(slots.length);
    for (let i = 0; i < slots.length; i++) {
      const value = ref.n[i] as unknown;
      const slot = slots[i]!;
      const date =
        slot.date && Number.isInteger(value) ? new Date(secondOf(ref.t) + (value as number) * 1000) : undefined;
      if (date && Number.isFinite(date.getTime())) {
        values[i] = date.toUTCString();
      } else if ((slot.date && typeof value === 'string') || (typeof value === 'number' && Number.isFinite(value))) {
        values[i] = value;
      } else {
        return {
          ok: false,
          problem: `n[${i}] (${slot.path.join('.')}) must be a number, got ${JSON.stringify(value)}`,
        };
      }
    }
    const event = withValues(base, plan, values);
    event.v = ref.v;
    event.t = ref.t;
    return { ok: true, event: event as unknown as ProbeEvent };
  }
}

/**
 * Freeze what every event of a shape shares (certificate, chain, errors, challenge), so that no
 * reader can change it for the others. The objects on the slots' paths are copied for each
 * event instead, and stay unfrozen: V8 copies a frozen object's properties several times slower.
 */
function freezeShared(base: object, plan: Plan): void {
  const copied = new Set<unknown>([base, ...plan.copies.map((p) => holderOf(base, p)[p[p.length - 1]!])]);
  const walk = (node: object) => {
    for (const child of Object.values(node)) {
      if (copied.has(child)) walk(child as object);
      else deepFreeze(child);
    }
  };
  walk(base);
}

function deepFreeze(value: unknown): void {
  if (!value || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

/**
 * Plays the demo script (`script.ts`) on the world's real servers: every quarter second it
 * works out what each host should suffer now and switches the fault proxy, the DNS answer
 * and the registry front when that changed. Announces each spell as a `warning` event with
 * code `demo.script`, so the event log says what is being simulated.
 */
import type { EventInput } from '../core/events.js';
import { announcementsBetween, conditionsAt, sameConditions, type HostConditions } from './script.js';
import type { DemoHost, DemoWorld } from './world.js';

/** Where the scenario sends its announcements. */
export interface Emitter {
  emit(input: EventInput): unknown;
}

const TICK_MS = 250;

/** A running scenario. */
export interface Scenario {
  stop(): Promise<void>;
}

/** Start playing the script from now. */
export function startScenario(world: DemoWorld, out: Emitter, now: () => number = Date.now): Scenario {
  const started = now();
  const applied = new Map<string, HostConditions>();
  let last = -1;
  let busy: Promise<void> = Promise.resolve();
  const tick = () => {
    busy = busy
      .then(async () => {
        const elapsed = now() - started;
        for (const text of announcementsBetween(last, elapsed))
          out.emit({ type: 'warning', code: 'demo.script', message: text });
        last = elapsed;
        for (const host of world.hosts) {
          const want = conditionsAt(host.name, elapsed);
          const had = applied.get(host.name);
          if (had && sameConditions(had, want)) continue;
          applied.set(host.name, want);
          await apply(world, host, want);
        }
      })
      .catch(() => undefined);
  };
  tick();
  const timer = setInterval(tick, TICK_MS);
  return {
    stop: async () => {
      clearInterval(timer);
      await busy;
    },
  };
}

async function apply(world: DemoWorld, host: DemoHost, c: HostConditions): Promise<void> {
  await host.proxy.set(c.tlsStall ? { stall: true } : c.tlsDelayMs ? { firstByteDelayMs: c.tlsDelayMs } : {});
  world.dns.set(host.name, c.dnsFailing ? { kind: 'servfail' } : { kind: 'answer', a: ['127.0.0.1'] });
  host.front.setMode(c.httpStatus ? { kind: 'status', status: c.httpStatus, retryAfter: 5 } : { kind: 'challenge' });
}

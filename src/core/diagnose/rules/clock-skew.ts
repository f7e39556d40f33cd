/**
 * Rule: this machine's clock differs from the registry's. Token validation (exp, nbf) breaks
 * with a skewed clock, and certificates look "not yet valid". From the credential checks'
 * clock view (`skewSeconds`, `auth.clock_skew`) and, without them, from the registry's
 * `Date` header in each probe against the time of the probe.
 */
import type { SessionEvent } from '../../events.js';
import { quantile } from '../../stats/quantile.js';
import { Ring } from '../../stats/ring.js';
import { clock } from '../format-evidence.js';
import type { SessionFacts } from '../facts.js';
import type { Finding, Rule } from '../types.js';

/** The rule's name, as its file is named. */
const CLOCK_SKEW = 'clock-skew';

/** Skew that matters: tokens carry a little leeway, a minute is past it. */
const LIMIT_SECONDS = 60;
/** Probe Date headers considered (the header has one-second resolution). */
const SAMPLES = 5;

/** Create the rule. */
export function clockSkew(): Rule {
  const fromProbes = new Ring<{ t: number; skew: number; target: string }>(SAMPLES);
  let fromCheck: { t: number; skew?: number; message?: string } | undefined;
  return {
    name: CLOCK_SKEW,
    observe(event: SessionEvent, facts: SessionFacts): boolean {
      if (event.type === 'auth' && event.view === 'clock') {
        // The clock check measures the registry minus this machine; this rule reasons in this machine minus the registry.
        fromCheck = {
          t: facts.now,
          ...(event.skewSeconds !== undefined ? { skew: -event.skewSeconds } : {}),
          ...(event.error ? { message: event.error.message } : {}),
        };
        return true;
      }
      if (event.type !== 'probe' || !event.details.http?.date) return false;
      const server = Date.parse(event.details.http.date);
      if (!Number.isFinite(server)) return false;
      // The Date header is truncated to the second and the round took `ms`: skew is local minus server.
      fromProbes.push({ t: facts.now, skew: (facts.now - server) / 1000, target: event.target });
      return true;
    },
    findings() {
      const check = fromCheck?.skew ?? undefined;
      const samples = fromProbes.toArray();
      const median = quantile(
        samples.map((s) => s.skew),
        0.5,
      );
      const skew = check ?? (samples.length >= Math.min(2, SAMPLES) ? median : undefined);
      if (skew === undefined || Math.abs(skew) < LIMIT_SECONDS) return [];
      const evidence: string[] = [];
      if (fromCheck)
        evidence.push(
          `${clock(fromCheck.t)} credential check: clock ${fromCheck.skew !== undefined ? `off by ${Math.round(fromCheck.skew)} s` : (fromCheck.message ?? 'skewed')}`,
        );
      for (const s of samples)
        evidence.push(
          `${clock(s.t)} ${s.target}: the registry's Date header is ${Math.round(Math.abs(s.skew))} s ${s.skew > 0 ? 'behind' : 'ahead of'} this machine`,
        );
      return [
        {
          code: 'local.clock_skew',
          category: 'local',
          summary: `This machine's clock is ${Math.round(Math.abs(skew))} s ${skew > 0 ? 'ahead of' : 'behind'} the registry's: tokens can be rejected as not yet valid or expired.`,
          evidence,
          basis: 'stated',
          coverage: Math.abs(skew) >= 5 * LIMIT_SECONDS || (fromCheck && samples.length) ? 'full' : 'partial',
          advice:
            'Synchronise the clock: `timedatectl set-ntp true` (or chrony/ntpd), then check with `timedatectl status`.',
        } satisfies Finding,
      ];
    },
  };
}

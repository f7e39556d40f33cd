import { describe, expect, it } from 'vitest';
import { clockSkew } from '../../../../src/core/diagnose/rules/clock-skew.js';
import { SessionBuilder } from '../../../support/session-builder.js';
import { conclude } from '../rule-harness.js';

describe('clock-skew', () => {
  it("measures the skew from the registry's Date header", () => {
    const [f] = conclude(
      clockSkew,
      new SessionBuilder(141).start(['gcr.io']).probeRounds(['gcr.io'], 0, 8, 2, () => ({ dateOffsetSeconds: 300 })),
    );
    expect(f).toMatchObject({ code: 'local.clock_skew', category: 'local' });
    expect(f!.summary).toMatch(/clock is 30\d s behind the registry's/);
  });

  it("takes the credential check's figure when there is one (registry minus this machine)", () => {
    const behind = conclude(
      clockSkew,
      new SessionBuilder(142).start(['gcr.io']).at(1).auth({ view: 'clock', ok: false, skewSeconds: 900 }),
    );
    expect(behind[0]!.summary).toContain('900 s behind the registry');
    const ahead = conclude(
      clockSkew,
      new SessionBuilder(144).start(['gcr.io']).at(1).auth({ view: 'clock', ok: false, skewSeconds: -600 }),
    );
    expect(ahead[0]!.summary).toContain('600 s ahead of the registry');
  });

  it('ignores a few seconds of difference', () => {
    expect(
      conclude(
        clockSkew,
        new SessionBuilder(143).start(['gcr.io']).probeRounds(['gcr.io'], 0, 8, 2, () => ({ dateOffsetSeconds: -3 })),
      ),
    ).toEqual([]);
  });
});

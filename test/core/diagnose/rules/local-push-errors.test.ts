import { describe, expect, it } from 'vitest';
import { localPushErrors } from '../../../../src/core/diagnose/rules/local-push-errors.js';
import { SessionBuilder } from '../../../support/session-builder.js';
import { conclude } from '../rule-harness.js';

describe('local-push-errors', () => {
  it("reports a daemon that cannot be reached as this machine's problem", () => {
    const b = new SessionBuilder(171)
      .start(['gcr.io'])
      .at(1)
      .pushStart('gcr.io/p/a:1')
      .pushError(
        'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
        'push.daemon_unreachable',
      );
    const [f] = conclude(localPushErrors, b);
    expect(f).toMatchObject({ code: 'local.push_environment', category: 'local' });
    expect(f!.advice).toContain('systemctl start docker');
  });

  it('ignores errors of other categories', () => {
    const b = new SessionBuilder(172)
      .start(['gcr.io'])
      .at(1)
      .pushStart('gcr.io/p/a:1')
      .pushError('denied: x', 'push.denied');
    expect(conclude(localPushErrors, b)).toEqual([]);
  });
});

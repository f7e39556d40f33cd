/**
 * Redaction passes on, as they are, deep-frozen parts of events it has already found clean (a
 * certificate's description shared by every probe event that shows it), and still redacts
 * whatever a frozen part holds that is secret, now or once a secret is registered later.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { clearRegisteredSecrets, redactValue, registerSecret } from '../../../src/core/log/redact.js';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

const certificate = () =>
  deepFreeze({ subject: 'CN=gcr.io', sans: ['gcr.io', '*.gcr.io'], chain: ['gcr.io', 'WR2', 'GTS Root R1'] });

afterEach(() => clearRegisteredSecrets());

describe('redaction of frozen parts', () => {
  it('keeps a clean deep-frozen part as the very same object, event after event', () => {
    const tls = certificate();
    const first = redactValue({ type: 'probe', round: 1, details: { tls } });
    const second = redactValue({ type: 'probe', round: 2, details: { tls } });
    expect(first.details.tls).toBe(tls);
    expect(second.details.tls).toBe(tls);
    expect(second.details).not.toBe(first.details);
  });

  it('copies and redacts a frozen part that holds a secret, every time', () => {
    const leaky = deepFreeze({ message: 'Authorization: Bearer abcDEF123456xyz', token: 'plain-value-123' });
    for (let i = 0; i < 2; i++) {
      const out = redactValue({ leaky });
      expect(out.leaky).not.toBe(leaky);
      expect(JSON.stringify(out)).not.toMatch(/abcDEF123456xyz|plain-value-123/);
    }
  });

  it('copies a frozen part whose children are not frozen (they could still change)', () => {
    const shallow = Object.freeze({ sans: ['gcr.io'] });
    const out = redactValue({ shallow });
    expect(out.shallow).not.toBe(shallow);
    expect(out.shallow).toEqual(shallow);
  });

  it('redacts a part found clean before once its text is registered as a secret', () => {
    const tls = deepFreeze({ subject: 'CN=s3cr3t-host-name.example' });
    expect(redactValue({ tls }).tls).toBe(tls);
    registerSecret('s3cr3t-host-name');
    const out = redactValue({ tls });
    expect(out.tls).not.toBe(tls);
    expect(out.tls.subject).toBe('CN=<redacted>.example');
  });
});

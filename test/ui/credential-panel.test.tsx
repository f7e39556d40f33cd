/**
 * The credential panel in each state a credential can be in, rendered by Ink: valid,
 * expiring soon, expired, refreshed, none for the push target; a warning and a refusal.
 * The words and the colour must never contradict each other ("ok" beside "expired").
 */
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuthEvent, SessionEvent } from '../../src/core/events.js';
import { credentialLines, type CredentialContext } from '../../src/ui/credential-lines.js';
import { Panel } from '../../src/ui/Panel.js';
import { at, event, T0 } from './helpers/events.js';

afterEach(() => cleanup());

function check(ms: number, body: Partial<AuthEvent>): AuthEvent {
  return event<AuthEvent>(ms, { type: 'auth', view: 'docker', host: 'gcr.io', ok: true, ...body });
}

/** The panel as Ink draws it, and its lines (their tone is the colour: colour.test.tsx checks the mapping). */
function panel(checks: AuthEvent[], ctx: CredentialContext) {
  const lines = credentialLines(checks, [], ctx);
  const { lastFrame } = render(<Panel title="credentials" lines={lines} height={6} width={120} color={false} />);
  return { plain: lastFrame() ?? '', lines };
}

describe('credential panel states', () => {
  const token = { kind: 'access-token', identity: 'ci@proj.iam.gserviceaccount.com', source: 'auths' };

  it('valid: a token with time left is valid, green, with its countdown', () => {
    const { plain, lines } = panel([check(0, { ...token, expiresAt: at(3_600_000) })], { now: T0 + 600_000 });
    expect(lines[0]!.state).toBe('valid');
    expect(plain).toContain(
      'docker gcr.io: valid, 50m00s left, ci@proj.iam.gserviceaccount.com (access-token), via auths',
    );
    expect(lines[0]!.tone).toBe('ok');
  });

  it('expiring soon: under five minutes left is a yellow warning', () => {
    const { plain, lines } = panel([check(0, { ...token, expiresAt: at(600_000) })], { now: T0 + 400_000 });
    expect(lines[0]!.state).toBe('expiring');
    expect(plain).toContain('docker gcr.io: valid, expiring soon, 3m20s left');
    expect(lines[0]!.tone).toBe('warn');
  });

  it('expired: never "ok" beside "expired", and red', () => {
    const { plain, lines } = panel([check(0, { ...token, expiresAt: at(600_000) })], { now: T0 + 700_000 });
    expect(lines[0]!.state).toBe('expired');
    expect(plain).toContain('docker gcr.io: EXPIRED 1m40s ago');
    expect(plain).not.toMatch(/\bok\b/);
    expect(plain).not.toContain('left');
    expect(lines[0]!.tone).toBe('fail');
  });

  it("expired registry token: the registry's short-lived bearer token is fetched again, not a failure", () => {
    const bearer = check(0, {
      view: 'registry',
      repository: 'demo/app',
      kind: 'bearer token',
      canPush: true,
      expiresAt: at(45_000),
    });
    const { plain, lines } = panel([bearer], { now: T0 + 50_000 });
    expect(lines[0]!.state).toBe('note');
    expect(plain).toContain('registry gcr.io/demo/app: token expired 5s ago, a new one is fetched per push, push: yes');
    expect(lines[0]!.tone).toBe('dim');
  });

  it('refreshed: a new token (another fingerprint) is said to be refreshed for a minute, then valid', () => {
    const history: SessionEvent[] = [
      check(0, { ...token, fingerprint: 'aaaa1111', expiresAt: at(300_000) }),
      check(250_000, { ...token, fingerprint: 'bbbb2222', expiresAt: at(3_850_000) }),
    ];
    const latest = history[1] as AuthEvent;
    const soon = panel([latest], { now: T0 + 262_000, history });
    expect(soon.lines[0]!.state).toBe('refreshed');
    expect(soon.plain).toContain('docker gcr.io: refreshed 12s ago, 59m48s left');
    expect(soon.lines[0]!.tone).toBe('ok');
    expect(panel([latest], { now: T0 + 400_000, history }).lines[0]!.state).toBe('valid');
  });

  it('none for the push target: a yellow warning with the command that fixes it, not "ok (none)"', () => {
    const none = check(0, { kind: 'none', note: 'no credential: docker would pull anonymously' });
    const { plain, lines } = panel([none], { now: T0, pushHost: 'gcr.io' });
    expect(lines[0]!.state).toBe('missing');
    expect(plain).toContain(
      'docker gcr.io: no credential for the push target: run gcloud auth configure-docker gcr.io',
    );
    expect(plain).not.toMatch(/\bok\b/);
    expect(lines[0]!.tone).toBe('warn');
    // For a host nobody pushes to, the same check is a dim note.
    expect(panel([none], { now: T0, pushHost: 'eu.gcr.io' }).lines[0]).toMatchObject({
      state: 'note',
      text: 'docker gcr.io: no credential: docker would pull anonymously',
    });
  });

  it('the check itself says there is none: the same warning', () => {
    const missing = check(0, {
      ok: false,
      error: { code: 'auth.no_credentials', category: 'auth', message: 'docker has no credential for gcr.io' },
    });
    expect(panel([missing], { now: T0, pushHost: 'gcr.io' }).lines[0]).toMatchObject({
      state: 'missing',
      tone: 'warn',
    });
  });

  it('a warning stays a warning, a refusal is a failure with push: NO', () => {
    const warn = check(0, {
      ok: false,
      kind: 'access-token',
      error: { code: 'auth.short_lived', category: 'auth', message: 'expires before the push can end' },
    });
    const denied = check(0, {
      view: 'registry',
      repository: 'proj/app',
      ok: false,
      canPush: false,
      error: { code: 'auth.denied', category: 'auth', message: 'no' },
    });
    const { plain, lines } = panel([warn, denied], { now: T0 });
    expect(lines.map((l) => [l.state, l.tone])).toEqual([
      ['warning', 'warn'],
      ['failing', 'fail'],
    ]);
    expect(plain).toContain('docker gcr.io: WARN auth.short_lived - expires before the push can end, (access-token)');
    expect(plain).toContain('registry gcr.io/proj/app: FAIL auth.denied - no, push: NO');
  });
});

describe('credential panel grouping', () => {
  it('says once what the check says for many hosts alike, naming them', () => {
    const hosts = ['gcr.io', 'us.gcr.io', 'eu.gcr.io', 'asia.gcr.io', 'us-docker.pkg.dev'];
    const none = hosts.map((host) =>
      check(0, { host, kind: 'none', note: 'no credential: docker would pull anonymously' }),
    );
    const { plain, lines } = panel(
      [...none, check(0, { view: 'google', host: undefined, kind: 'none', note: 'no ADC' })],
      {
        now: T0,
      },
    );
    expect(lines.map((l) => l.text)).toEqual([
      'docker gcr.io, us.gcr.io +3: no credential: docker would pull anonymously',
      'google: no ADC',
    ]);
    expect(plain).toContain('docker gcr.io, us.gcr.io +3: no credential');
    // The push target's own line stays apart: it is a warning, the others are notes.
    const mixed = panel(none, { now: T0, pushHost: 'eu.gcr.io' }).lines;
    expect(mixed.map((l) => l.state)).toEqual(['note', 'missing']);
    expect(mixed[0]!.text).toBe('docker gcr.io, us.gcr.io +2: no credential: docker would pull anonymously');
  });

  it('one credential checked for many hosts a second apart is one line, with the first countdown', () => {
    const hosts = ['gcr.io', 'us.gcr.io', 'eu.gcr.io', 'asia.gcr.io'];
    const shortLived = hosts.map((host, i) =>
      check(i * 1000, {
        host,
        ok: false,
        kind: 'access-token',
        helper: { name: 'gcloud', ms: 200 + i * 37 },
        error: {
          code: 'auth.short_lived',
          category: 'auth',
          message: `docker's token expires in ${14 - i}m5${i}s (at 10:1${i}:02)`,
        },
      }),
    );
    const lines = panel(shortLived, { now: T0 + 5000 }).lines.map((l) => l.text);
    expect(lines).toEqual([
      "docker gcr.io, us.gcr.io +2: WARN auth.short_lived - docker's token expires in 14m50s (at 10:10:02), (access-token), helper gcloud 200ms",
    ]);
    // Different words are still different lines: another identity is another credential.
    const other = check(0, {
      host: 'eu.gcr.io',
      ok: true,
      kind: 'access-token',
      identity: 'b@x',
      expiresAt: at(3_600_000),
    });
    const two = panel([check(0, { kind: 'access-token', identity: 'a@x', expiresAt: at(3_600_000) }), other], {
      now: T0,
    }).lines;
    expect(two).toHaveLength(2);
  });
});

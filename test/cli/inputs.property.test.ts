/**
 * The values of flags our own code parses, property-based (issue 9): durations, `--resolve`
 * pins, `--dns-server`, `--rounds` and `--metrics`. Any string is either accepted within the
 * flag's bounds or refused with a `UsageError` that starts with the flag's name; what
 * `formatDuration` writes reads back; pins and listen addresses read back as written.
 */
import fc from 'fast-check';
import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/cli/duration.js';
import { parseMetricsListen } from '../../src/cli/metrics-option.js';
import { DURATION_BOUNDS, parseCount, parseDnsServer, parsePins } from '../../src/cli/monitor-config.js';
import { UsageError } from '../../src/cli/usage-error.js';

const RUNS = { numRuns: 500 };

const anyInput = fc.oneof(
  fc.string({ maxLength: 40, unit: 'binary' }),
  fc
    .array(
      fc.constantFrom(
        '1',
        '0',
        '9'.repeat(30),
        '.',
        '5',
        'ms',
        's',
        'm',
        'h',
        'd',
        ':',
        '[',
        ']',
        '::1',
        '127.0.0.1',
        'gcr.io',
        '-',
        ' ',
        'e',
        '443',
        '65536',
        '0x1f',
      ),
      { maxLength: 8 },
    )
    .map((a) => a.join('')),
);

/** Runs `parse`; a refusal must be a UsageError starting with `flag`. Returns the value or undefined. */
function acceptedOrRefused<T>(flag: string, parse: () => T): T | undefined {
  try {
    return parse();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message.startsWith(`${flag}: `)).toBe(true);
    return undefined;
  }
}

describe('durations', () => {
  it('any string: a duration within the flag bounds, or a UsageError naming the flag', () => {
    fc.assert(
      fc.property(anyInput, fc.constantFrom(...Object.entries(DURATION_BOUNDS)), (input, [name, bounds]) => {
        const ms = acceptedOrRefused(`--${name}`, () => parseDuration(input, `--${name}`, bounds));
        if (ms !== undefined) expect(ms >= bounds.min && ms <= bounds.max).toBe(true);
      }),
      RUNS,
    );
  });

  it('what formatDuration writes reads back, to its rounding (1 ms, 0.1 s, then 1 s)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 * 86_400_000 }), (ms) => {
        const back = parseDuration(formatDuration(ms), '--interval');
        const tolerance = ms < 1000 ? 0.5 : ms < 60_000 ? 50 : 500;
        expect(Math.abs(back - ms)).toBeLessThanOrEqual(tolerance);
      }),
      RUNS,
    );
  });

  it('sums the units it is given (1h30m = 90m), a bare number being seconds', () => {
    const part = fc.tuple(
      fc.integer({ min: 0, max: 500 }),
      fc.constantFrom(['ms', 1], ['s', 1000], ['m', 60_000], ['h', 3_600_000], ['d', 86_400_000]),
    );
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 4 }), (parts) => {
        const text = parts.map(([n, [u]]) => `${n}${u}`).join('');
        expect(parseDuration(text, '--x')).toBe(parts.reduce((s, [n, [, k]]) => s + n * (k as number), 0));
      }),
      RUNS,
    );
  });
});

const host = fc
  .tuple(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/), fc.constantFrom('gcr.io', 'pkg.dev'))
  .map(([a, b]) => `${a}.${b}`);
const port = fc.integer({ min: 1, max: 65535 });
const ipv6 = fc.ipV6().filter((a) => isIP(a) === 6);

describe('--resolve pins', () => {
  it('any strings: pins to IP addresses on valid ports, or a UsageError naming --resolve', () => {
    fc.assert(
      fc.property(fc.array(anyInput, { maxLength: 3 }), (inputs) => {
        const pins = acceptedOrRefused('--resolve', () => parsePins(inputs));
        for (const [key, addr] of pins ?? []) {
          expect(isIP(addr)).toBeGreaterThan(0);
          const p = Number(key.slice(key.lastIndexOf(':') + 1));
          expect(p >= 1 && p <= 65535).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('HOST:PORT:ADDR (IPv4, [IPv6] or bare IPv6) reads back; the host is case-insensitive', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(host, port, fc.oneof(fc.ipV4(), ipv6), fc.boolean(), fc.boolean()), {
          minLength: 1,
          maxLength: 4,
        }),
        (list) => {
          const pins = parsePins(
            list.map(
              ([h, p, a, upper, brackets]) =>
                `${upper ? h.toUpperCase() : h}:${p}:${brackets && isIP(a) === 6 ? `[${a}]` : a}`,
            ),
          );
          const expected = new Map<string, string>();
          for (const [h, p, a] of list) expected.set(`${h}:${p}`, a);
          expect(pins).toEqual(expected);
        },
      ),
      RUNS,
    );
  });
});

describe('--dns-server, --rounds, --metrics', () => {
  it('any string: accepted or a UsageError naming the flag', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        acceptedOrRefused('--dns-server', () => parseDnsServer(input));
        const n = acceptedOrRefused('--rounds', () => parseCount(input, '--rounds'));
        if (n !== undefined) expect(Number.isInteger(n) && n >= 1 && n <= 1_000_000).toBe(true);
        const listen = acceptedOrRefused('--metrics', () => parseMetricsListen(input));
        if (listen) {
          expect(isIP(listen.host)).toBeGreaterThan(0);
          expect(listen.port >= 0 && listen.port <= 65535).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('resolvers as IP, IP:PORT or [IPv6]:PORT are kept as written', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.ipV4(),
          ipv6,
          fc.tuple(fc.ipV4(), port).map(([a, p]) => `${a}:${p}`),
          fc.tuple(ipv6, port).map(([a, p]) => `[${a}]:${p}`),
        ),
        (server) => {
          expect(parseDnsServer(server)).toBe(server);
        },
      ),
      RUNS,
    );
  });

  it('metrics listen on 127.0.0.1 when only a port is given, on the address given otherwise', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 65535 }),
        fc.option(fc.oneof(fc.ipV4(), ipv6), { nil: undefined }),
        (p, addr) => {
          const text = addr === undefined ? String(p) : isIP(addr) === 6 ? `[${addr}]:${p}` : `${addr}:${p}`;
          expect(parseMetricsListen(text)).toEqual({ host: addr ?? '127.0.0.1', port: p });
        },
      ),
      RUNS,
    );
  });
});

/**
 * Targets and image references, property-based (issue 9): any string either parses to a
 * well-formed result or is refused with the parser's own error naming the input — never
 * another exception — and what is written the documented ways reads back as written.
 */
import fc from 'fast-check';
import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ImageRefError, looksLikeRegistryHost, parseImageRef, type ImageRef } from '../../src/core/image-ref.js';
import { parseTarget, TargetError, targetId, type Target } from '../../src/core/targets.js';

const RUNS = { numRuns: 500 };

/** Anything a user may type, with the characters these grammars care about well represented. */
const anyInput = fc.oneof(
  fc.string({ maxLength: 80, unit: 'binary' }),
  fc
    .array(
      fc.constantFrom(
        'gcr.io',
        'https://',
        'http://',
        '/',
        ':',
        '@',
        '[',
        ']',
        '::1',
        '443',
        '99999',
        'sha256:',
        'a'.repeat(32),
        'Proj',
        'app',
        '.',
        '-',
        '_',
        ' ',
        'localhost',
        '\n',
      ),
      { maxLength: 12 },
    )
    .map((a) => a.join('')),
);

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?$/);
/** A registry host name with a dot (docker takes a first component as a host only then). */
const hostname = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('io', 'dev', 'com', 'example'))
  .map(([ls, tld]) => [...ls, tld].join('.'));
const port = fc.integer({ min: 1, max: 65535 });
const ipv6 = fc.ipV6().filter((a) => isIP(a) === 6);

function expectWellFormedTarget(t: Target): void {
  expect(Number.isInteger(t.port) && t.port >= 1 && t.port <= 65535).toBe(true);
  expect(t.id).toBe(targetId(t.host, t.port));
  if (!isIP(t.host)) expect(t.host).toMatch(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/);
}

describe('parseTarget', () => {
  it('on any input: a well-formed target, or TargetError / ImageRefError naming the input', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        let t: Target;
        try {
          t = parseTarget(input);
        } catch (err) {
          expect(err instanceof TargetError || err instanceof ImageRefError).toBe(true);
          expect((err as Error).message).toMatch(/^invalid (target|image reference) "/);
          expect((err as Error).message).toContain(`"${input.trim()}"`.slice(1, -1));
          return;
        }
        expectWellFormedTarget(t);
      }),
      RUNS,
    );
  });

  it('reads back its own id, bare or as https://ID/path, for names, IPv4 and IPv6', () => {
    const host = fc.oneof(hostname, fc.ipV4(), ipv6);
    fc.assert(
      fc.property(host, port, fc.constantFrom('', '/v2/', '/?q#f'), (h, p, suffix) => {
        const id = targetId(h, p);
        for (const input of [id, `https://${id}${suffix}`]) {
          const t = parseTarget(input);
          expect({ host: t.host, port: t.port, id: t.id }).toEqual({ host: h, port: p, id });
        }
      }),
      RUNS,
    );
  });

  it('takes the registry host of an image reference, as a push target', () => {
    fc.assert(
      fc.property(
        hostname,
        fc.option(port, { nil: undefined }),
        fc.array(label, { minLength: 1, maxLength: 3 }),
        (h, p, path) => {
          const t = parseTarget(`${p ? `${h}:${p}` : h}/${path.join('/')}:v1`);
          expect({ host: t.host, port: t.port, source: t.source }).toEqual({ host: h, port: p ?? 443, source: 'repo' });
        },
      ),
      RUNS,
    );
  });

  it('is case-insensitive in host names and ignores a trailing dot', () => {
    fc.assert(
      fc.property(hostname, (h) => {
        expect(parseTarget(`${h.toUpperCase()}.`).host).toBe(h);
      }),
      RUNS,
    );
  });
});

/** An image reference in its parts, and as docker writes it. */
const imageRef = fc
  .record({
    registry: fc.option(
      fc.oneof(
        hostname,
        fc.tuple(hostname, port).map(([h, p]) => `${h}:${p}`),
        fc.constant('localhost:5000'),
      ),
      { nil: undefined },
    ),
    path: fc.array(fc.stringMatching(/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/), { minLength: 1, maxLength: 4 }),
    tag: fc.option(fc.stringMatching(/^[\w][\w.-]{0,40}$/), { nil: undefined }),
    digest: fc.option(
      fc
        .array(fc.constantFrom(...'0123456789abcdef'), { minLength: 64, maxLength: 64 })
        .map((h) => `sha256:${h.join('')}`),
      { nil: undefined },
    ),
    // Without a registry, a first component that looks like a host would be taken as one (as docker does).
  })
  .filter((r) => r.registry !== undefined || r.path.length === 1 || !looksLikeRegistryHost(r.path[0]!));

function format(r: ImageRef): string {
  return `${r.registry}/${r.repository}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}

describe('parseImageRef', () => {
  it('on any input: a reference, or ImageRefError naming the input', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        try {
          const r = parseImageRef(input);
          expect(r.repository.length).toBeGreaterThan(0);
          expect(r.endpoint.length).toBeGreaterThan(0);
        } catch (err) {
          expect(err).toBeInstanceOf(ImageRefError);
          expect((err as Error).message.startsWith(`invalid image reference "${input}": `)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('reads back registry, repository, tag and digest as written; Docker Hub names as docker normalises them', () => {
    fc.assert(
      fc.property(imageRef, (parts) => {
        const text = `${parts.registry ? `${parts.registry}/` : ''}${parts.path.join('/')}${parts.tag ? `:${parts.tag}` : ''}${parts.digest ? `@${parts.digest}` : ''}`;
        const r = parseImageRef(text);
        const hub = parts.registry === undefined;
        expect(r).toEqual({
          registry: hub ? 'docker.io' : parts.registry,
          endpoint: hub ? 'registry-1.docker.io' : parts.registry,
          repository: hub && parts.path.length === 1 ? `library/${parts.path[0]}` : parts.path.join('/'),
          ...(parts.tag ? { tag: parts.tag } : {}),
          ...(parts.digest ? { digest: parts.digest } : {}),
        });
        // Written back in full, it parses to the same reference.
        expect(parseImageRef(format(r))).toEqual(r);
      }),
      RUNS,
    );
  });
});

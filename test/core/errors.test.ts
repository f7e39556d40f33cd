/**
 * docs/errors.md is the user's table of error codes: it must say, row for row, what
 * `ERROR_CODES` says (a code added, renamed or re-categorised in the source shows up here).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/core/errors.js';

const DOC = readFileSync(path.resolve(import.meta.dirname, '../../docs/errors.md'), 'utf8');

/** The table's rows that name a code, as written. */
const rows = DOC.split('\n').filter((line) => /^\| `[a-z]+\.[a-z0-9_]+` \|/.test(line));

describe('docs/errors.md', () => {
  it('has one row per code, with its category, temporary flag and meaning', () => {
    const expected = Object.entries(ERROR_CODES).map(
      ([code, spec]) => `| \`${code}\` | ${spec.category} | ${spec.temporary ? 'yes' : 'no'} | ${spec.description} |`,
    );
    expect(rows).toEqual(expected);
  });
});

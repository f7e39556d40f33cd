import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINDING_CODES, findingWeight, isFindingCode } from '../../../src/core/diagnose/codes.js';
import { DEFAULT_RULES } from '../../../src/core/diagnose/rules/index.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

describe('finding codes and rules', () => {
  it('the diagnosis reference lists every finding code', () => {
    // The reference moves from the README's "Diagnosis" section to docs/diagnosis.md: either place counts.
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const docs = path.join(ROOT, 'docs/diagnosis.md');
    const reference =
      readme.slice(readme.indexOf('## Diagnosis'), readme.indexOf('## doctor')) +
      (existsSync(docs) ? readFileSync(docs, 'utf8') : '');
    for (const code of Object.keys(FINDING_CODES))
      expect(reference, `the diagnosis reference should list ${code}`).toContain(`\`${code}\``);
  });

  it('every rule has its own file and its own test, named as the rule', () => {
    const names = DEFAULT_RULES.map((make) => make().name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(existsSync(path.join(ROOT, 'src/core/diagnose/rules', `${name}.ts`)), name).toBe(true);
      expect(existsSync(path.join(ROOT, 'test/core/diagnose/rules', `${name}.test.ts`)), `${name} test`).toBe(true);
    }
  });

  it('knows its codes and weighs unknown ones at zero', () => {
    expect(isFindingCode('auth.wrong_host')).toBe(true);
    expect(isFindingCode('auth.bogus')).toBe(false);
    expect(findingWeight('auth.bogus')).toBe(0);
    for (const spec of Object.values(FINDING_CODES)) expect(spec.weight).toBeGreaterThan(0);
  });
});

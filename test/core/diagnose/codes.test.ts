import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINDING_CODES, findingWeight, isFindingCode } from '../../../src/core/diagnose/codes.js';
import { DEFAULT_RULES } from '../../../src/core/diagnose/rules/index.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

describe('finding codes and rules', () => {
  it('docs/diagnosis.md lists every finding code in its table of rules', () => {
    const doc = readFileSync(path.join(ROOT, 'docs/diagnosis.md'), 'utf8');
    const section = doc.split(/^## The rules$/m)[1]?.split(/^## /m)[0] ?? '';
    expect(section).toContain('| code | category |');
    for (const code of Object.keys(FINDING_CODES))
      expect(section, `docs/diagnosis.md "The rules" should list ${code}`).toContain(`\`${code}\``);
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

import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { defaultRegistry } from '../rules';
import { CATEGORIES, CATEGORY_LETTER } from '../rules/core/types';
import { checkDocs } from '../scripts/generate-docs';

/**
 * The rule set's own contract, as ESLint checks its rules: stable well-formed codes and names,
 * complete docs, fixtures for every rule, and generated docs that are current.
 */
const FIXTURES = path.join(__dirname, 'fixtures');

/** Rules raised by the engine with no `check` for which a fixture cannot exist. Keep it empty if you can. */
const NO_FIXTURES_POSSIBLE = new Set<string>();

describe('rule metadata', () => {
  const rules = defaultRegistry().rules;

  it('codes are unique and carry their category letter', () => {
    const seen = new Set<string>();
    for (const r of rules) {
      assert.match(r.code, /^[MPDRGSLN]\d{3}$/, `${r.code}: code must be a family letter and three digits`);
      assert.ok(CATEGORIES.includes(r.category), `${r.code}: unknown category ${r.category}`);
      assert.equal(r.code[0], CATEGORY_LETTER[r.category], `${r.code}: a ${r.category} rule's code starts with ${CATEGORY_LETTER[r.category]}`);
      assert.ok(!seen.has(r.code), `duplicate code ${r.code}`);
      seen.add(r.code);
    }
  });

  it('names are kebab-case and unique', () => {
    const seen = new Set<string>();
    for (const r of rules) {
      assert.match(r.name, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, `${r.code}: name "${r.name}" must be kebab-case`);
      assert.ok(!seen.has(r.name), `duplicate name ${r.name}`);
      seen.add(r.name);
    }
  });

  it('every rule has complete docs', () => {
    const problems: string[] = [];
    for (const r of rules) {
      for (const field of ['summary', 'why', 'example', 'useInstead'] as const) {
        if (typeof r.docs?.[field] !== 'string' || !r.docs[field].trim()) problems.push(`${r.code}: docs.${field} is empty`);
      }
      if (r.fixable && !r.docs?.fixSafety?.trim()) problems.push(`${r.code}: fixable rules need docs.fixSafety`);
      if (r.fixable && !['safe', 'unsafe'].includes(r.fixable)) problems.push(`${r.code}: fixable must be safe or unsafe`);
      if (!['error', 'warning', 'info', 'hint'].includes(r.severity)) problems.push(`${r.code}: bad default severity ${r.severity}`);
      if (r.check && r.appliesTo.length === 0) problems.push(`${r.code}: has a check but applies to nothing`);
      if (r.checkWorkspace && !r.appliesTo.includes('workspace')) problems.push(`${r.code}: a workspace rule must list 'workspace' in appliesTo`);
    }
    assert.deepEqual(problems, []);
  });

  it('every rule has fixtures with flagged/ and clean/', () => {
    const missing: string[] = [];
    for (const r of rules) {
      if (NO_FIXTURES_POSSIBLE.has(r.code)) continue;
      const dir = path.join(FIXTURES, `${r.code}-${r.name}`);
      for (const sub of ['flagged', 'clean']) {
        const d = path.join(dir, sub);
        if (!fs.existsSync(d) || fs.readdirSync(d).length === 0) missing.push(`test/fixtures/${r.code}-${r.name}/${sub}/`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('every fixtures folder belongs to a registered rule', () => {
    const registry = defaultRegistry();
    const orphans = fs
      .readdirSync(FIXTURES)
      .filter((d) => /^[A-Z]\d{3}-/.test(d))
      .filter((d) => {
        const rule = registry.byCode(d.slice(0, 4));
        return !rule || `${rule.code}-${rule.name}` !== d;
      });
    assert.deepEqual(orphans, []);
  });

  it('docs/rules is current (npm run docs)', () => {
    assert.deepEqual(checkDocs(), []);
  });
});

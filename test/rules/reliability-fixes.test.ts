import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { applyFixes, type Finding } from '../../rules';
import { scanDir } from '../helpers/engine';

/**
 * The reliability family's YAML fixes insert keys (resources, retries, deadlines, probes …) or
 * replace one scalar (a replica count, a flag). Re-parsing each fixed file must give the same
 * documents with the same structure: every key and list item of the original is still there,
 * at the same place, with the same value unless a fix replaced that scalar, and the fix added
 * keys without moving anything.
 */
const FIXTURES = path.join(__dirname, '..', 'fixtures');

function walk(dir: string, base = dir): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

function isYaml(file: string): boolean {
  return /\.ya?ml$/.test(file) || /(^|\/)MLproject$/.test(file);
}

/** Differences that are not "the same structure plus added keys" (scalar changes allowed where `scalarsMayChange`). */
function diff(before: unknown, after: unknown, where: string, scalarsMayChange: boolean, out: string[]): number {
  let added = 0;
  if (Array.isArray(before)) {
    if (!Array.isArray(after)) {
      if (!scalarsMayChange || before.some((x) => x !== null && typeof x === 'object')) out.push(`${where}: a list became ${JSON.stringify(after)}`);
      return 1;
    }
    if (after.length < before.length) out.push(`${where}: list lost items`);
    before.forEach((b, i) => (added += diff(b, after[i], `${where}[${i}]`, scalarsMayChange, out)));
    return added + (after.length - before.length);
  }
  if (before !== null && typeof before === 'object') {
    if (after === null || typeof after !== 'object' || Array.isArray(after)) {
      out.push(`${where}: a map became ${JSON.stringify(after)}`);
      return 0;
    }
    const b = before as Record<string, unknown>;
    const a = after as Record<string, unknown>;
    const beforeKeys = Object.keys(b);
    const afterKeys = Object.keys(a);
    for (const k of beforeKeys) {
      if (!(k in a)) out.push(`${where}.${k}: key removed`);
      else added += diff(b[k], a[k], `${where}.${k}`, scalarsMayChange, out);
    }
    // keys keep their relative order
    const kept = afterKeys.filter((k) => k in b);
    if (kept.join('\u0000') !== beforeKeys.join('\u0000')) out.push(`${where}: keys were reordered`);
    return added + afterKeys.length - beforeKeys.length;
  }
  if (before !== after) {
    if (!scalarsMayChange) out.push(`${where}: ${JSON.stringify(before)} became ${JSON.stringify(after)}`);
    return 1;
  }
  return 0;
}

describe('reliability YAML fixes re-parse to the same structure plus the inserted keys', () => {
  const dirs = fs.existsSync(FIXTURES) ? fs.readdirSync(FIXTURES).filter((d) => /^L2\d\d-/.test(d)).sort() : [];
  for (const dirName of dirs) {
    const code = dirName.slice(0, 4);
    const flagged = path.join(FIXTURES, dirName, 'flagged');
    const files = walk(flagged).filter(isYaml);
    if (!files.length || !fs.existsSync(path.join(FIXTURES, dirName, 'fixed'))) continue;
    it(dirName, async () => {
      const result = await scanDir(flagged);
      let checked = 0;
      for (const file of files) {
        const mine: Finding[] = result.findings.filter((f) => f.file === file && f.code === code && f.fixes.length > 0);
        if (!mine.length) continue;
        const original = fs.readFileSync(path.join(flagged, file), 'utf8');
        const fixed = applyFixes(original, mine, false, false).text;
        const before = parseAllDocuments(original);
        const after = parseAllDocuments(fixed);
        assert.ok(Array.isArray(after), `${file}: the fixed file does not parse`);
        assert.ok(Array.isArray(before));
        for (const d of after) assert.deepEqual(d.errors.map((e) => e.message), [], `${file}: the fixed YAML has errors`);
        assert.equal(after.length, before.length, `${file}: document count changed`);
        const replacing = mine.some((f) => f.fixes[0].edits.some((e) => e.fileEnd > e.fileStart));
        before.forEach((doc, i) => {
          const problems: string[] = [];
          const changes = diff(doc.toJS(), after[i].toJS(), file, replacing, problems);
          assert.deepEqual(problems, [], `${file}: the fix changed the structure`);
          assert.ok(changes > 0 || before.length > 1, `${file}: the fixes changed nothing`);
        });
        checked++;
      }
      assert.ok(checked > 0, `${dirName}: no YAML file with a fix`);
    });
  }
});

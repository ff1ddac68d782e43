import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { applyFixes, defaultRegistry, initPython, parseNotebook, type Finding } from '../../rules';
import { scanDir } from '../helpers/engine';

/**
 * Data-driven rule tests. Each folder test/fixtures/<CODE>-<name>/ holds:
 *   flagged/  files that must raise <CODE> exactly where they say, with a trailing comment
 *             `# expect: CODE` on the line the finding starts (inside notebook cells too), and/or
 *             flagged/expected.json: [{ "file": "a.ipynb", "cell": 2, "line": 1, "code": "N003" }]
 *             (1-based line, or null for findings that have no line such as workspace ones);
 *   clean/    the production way to write the same code: <CODE> must not fire at all;
 *   fixed/    optional: flagged files after applying the first fix of every <CODE> finding;
 *             afterwards no fixable <CODE> finding may remain, and fixing again changes nothing.
 * Each folder is scanned as its own workspace, so workspace-level rules are tested the same way.
 */
const FIXTURES = path.join(__dirname, '..', 'fixtures');
const MARKER = /#\s*expect:\s*([A-Z]\d{3}(?:\s*,\s*[A-Z]\d{3})*)/g;

function walk(dir: string, base = dir): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

function expectedFindings(dir: string, code: string): string[] {
  const out: string[] = [];
  for (const file of walk(dir)) {
    if (file === 'expected.json') continue;
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const scan = (source: string, cell?: number) => {
      source.split(/\r\n|\r|\n/).forEach((line, i) => {
        for (const m of line.matchAll(MARKER)) {
          for (const c of m[1].split(/\s*,\s*/)) if (c === code) out.push(key(file, cell, i + 1, c));
        }
      });
    };
    if (file.endsWith('.ipynb')) {
      const nb = parseNotebook(text);
      for (const cell of nb.cells) scan(cell.source, cell.index);
    } else scan(text);
  }
  const json = path.join(dir, 'expected.json');
  if (fs.existsSync(json)) {
    for (const e of JSON.parse(fs.readFileSync(json, 'utf8')) as { file: string | null; cell?: number; line: number | null; code: string }[]) {
      if (e.code === code) out.push(key(e.file, e.cell, e.line, e.code));
    }
  }
  return out.sort();
}

function key(file: string | null, cell: number | undefined, line: number | null, code: string): string {
  return `${file ?? '<workspace>'}${cell !== undefined ? `#cell${cell}` : ''}:${line ?? '-'} ${code}`;
}

function actualKey(f: Finding): string {
  return key(f.file, f.cell, f.file === null ? null : f.range.start.line + 1, f.code);
}

describe('rule fixtures', () => {
  before(() => initPython());
  const dirs = fs.existsSync(FIXTURES) ? fs.readdirSync(FIXTURES).filter((d) => /^[A-Z]\d{3}-/.test(d)).sort() : [];

  for (const dirName of dirs) {
    const [code] = dirName.split('-', 1);
    const name = dirName.slice(code.length + 1);
    const root = path.join(FIXTURES, dirName);

    describe(dirName, () => {
      it('names a registered rule', () => {
        const rule = defaultRegistry().byCode(code);
        assert.ok(rule, `no rule ${code}`);
        assert.equal(rule.name, name, `folder name must be ${code}-${rule.name}`);
      });

      it('flags exactly the expected places', async () => {
        const expected = expectedFindings(path.join(root, 'flagged'), code);
        assert.ok(expected.length > 0, 'flagged/ must expect at least one finding');
        const result = await scanDir(path.join(root, 'flagged'));
        const actual = result.findings.filter((f) => f.code === code).map(actualKey).sort();
        assert.deepEqual(actual, expected);
      });

      it('stays silent on the production version', async () => {
        assert.ok(fs.existsSync(path.join(root, 'clean')), 'clean/ is required');
        const result = await scanDir(path.join(root, 'clean'));
        const found = result.findings.filter((f) => f.code === code).map((f) => `${actualKey(f)}: ${f.message}`);
        assert.deepEqual(found, []);
      });

      const fixedDir = path.join(root, 'fixed');
      if (fs.existsSync(fixedDir)) {
        it('fixes to the expected text, and the fix is idempotent and parses', async () => {
          const flaggedDir = path.join(root, 'flagged');
          const result = await scanDir(flaggedDir);
          for (const file of walk(fixedDir)) {
            const original = fs.readFileSync(path.join(flaggedDir, file), 'utf8');
            const mine = result.findings.filter((f) => f.file === file && f.code === code);
            // the edits of fixes that also create files are checked here; the files themselves in their own tests
            const once = applyFixes(original, mine, file.endsWith('.ipynb'), false, true).text;
            assert.equal(once, fs.readFileSync(path.join(fixedDir, file), 'utf8'), `fixed/${file}`);
            const after = await scanDir(fixedDir);
            const left = after.findings.filter((f) => f.file === file && f.code === code);
            const stillFixable = left.filter((f) => f.fixes.length > 0);
            assert.deepEqual(stillFixable.map(actualKey), [], `every fixed ${code} finding in ${file} must be gone`);
            const syntax = (r: typeof after) => r.findings.filter((f) => f.file === file && ['L001', 'L002', 'N001', 'N010'].includes(f.code)).length;
            assert.ok(syntax(after) <= syntax(result), `the fix introduced a syntax error in ${file}`);
            const twice = applyFixes(once, left, file.endsWith('.ipynb'), false, true).text;
            assert.equal(twice, once, 'applying the fixes again changes nothing');
          }
        });
      }
    });
  }
});

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DiskFiles, MemoryFiles } from '../../common/fs-files';
import { defaultRegistry, initPython, scanWorkspace, type ScanResult, type WorkspaceFiles } from '../../rules';
import { parseConfig } from '../../rules/core/config';
import { GitignoreMatcher } from '../../rules/workspace/gitignore';

/** A matcher over .gitignore texts by path. */
function matcher(files: Record<string, string>): GitignoreMatcher {
  const m = new GitignoreMatcher();
  for (const [p, text] of Object.entries(files)) m.add(p, text);
  return m;
}

describe('gitignore matcher', () => {
  // [.gitignore files, path, is a folder, ignored]
  const table: [Record<string, string>, string, boolean, boolean][] = [
    // plain names match at any depth, files and folders
    [{ '.gitignore': 'secret.txt' }, 'secret.txt', false, true],
    [{ '.gitignore': 'secret.txt' }, 'a/b/secret.txt', false, true],
    [{ '.gitignore': 'secret.txt' }, 'a/secret.txt.bak', false, false],
    [{ '.gitignore': 'data' }, 'x/data', true, true],
    // comments and blank lines; an escaped # is a name
    [{ '.gitignore': '# data\n\n' }, 'data', true, false],
    [{ '.gitignore': '\\#notes' }, '#notes', false, true],
    [{ '.gitignore': '#notes' }, '#notes', false, false],
    // trailing spaces are dropped unless escaped; CRLF line ends
    [{ '.gitignore': 'a.log   \r\nb.log\r\n' }, 'a.log', false, true],
    [{ '.gitignore': 'a.log   \r\nb.log\r\n' }, 'b.log', false, true],
    [{ '.gitignore': 'sp\\ ' }, 'sp ', false, true],
    // folder-only patterns
    [{ '.gitignore': 'out/' }, 'out', true, true],
    [{ '.gitignore': 'out/' }, 'out', false, false],
    [{ '.gitignore': 'out/' }, 'src/out/x.py', false, true],
    // anchored at the start or by a slash in the middle
    [{ '.gitignore': '/build' }, 'build', true, true],
    [{ '.gitignore': '/build' }, 'src/build', true, false],
    [{ '.gitignore': 'doc/frotz' }, 'doc/frotz', true, true],
    [{ '.gitignore': 'doc/frotz' }, 'a/doc/frotz', true, false],
    // * and ? do not cross folders; [ranges]
    [{ '.gitignore': '*.pkl' }, 'models/m.pkl', false, true],
    [{ '.gitignore': 'a/*.py' }, 'a/b/c.py', false, false],
    [{ '.gitignore': 'a/*.py' }, 'a/c.py', false, true],
    [{ '.gitignore': 'run?.csv' }, 'run1.csv', false, true],
    [{ '.gitignore': 'run?.csv' }, 'run12.csv', false, false],
    [{ '.gitignore': 'run[0-9].csv' }, 'run7.csv', false, true],
    [{ '.gitignore': 'run[!0-9].csv' }, 'run7.csv', false, false],
    [{ '.gitignore': 'run[!0-9].csv' }, 'runx.csv', false, true],
    // ** forms
    [{ '.gitignore': '**/logs' }, 'logs', true, true],
    [{ '.gitignore': '**/logs' }, 'a/b/logs', true, true],
    [{ '.gitignore': '**/logs/debug.log' }, 'x/logs/debug.log', false, true],
    [{ '.gitignore': 'abc/**' }, 'abc/x/y', false, true],
    [{ '.gitignore': 'abc/**' }, 'abc', true, false],
    [{ '.gitignore': 'a/**/b' }, 'a/b', true, true],
    [{ '.gitignore': 'a/**/b' }, 'a/x/y/b', true, true],
    [{ '.gitignore': 'a/**/b' }, 'c/a/x/b', true, false],
    // negation: the last match wins
    [{ '.gitignore': '*.csv\n!keep.csv' }, 'data/keep.csv', false, false],
    [{ '.gitignore': '*.csv\n!keep.csv' }, 'data/other.csv', false, true],
    [{ '.gitignore': '!keep.csv\n*.csv' }, 'keep.csv', false, true],
    [{ '.gitignore': '\\!bang' }, '!bang', false, true],
    // a file under an ignored folder cannot be re-included
    [{ '.gitignore': 'data/\n!data/keep.csv' }, 'data/keep.csv', false, true],
    [{ '.gitignore': 'data/*\n!data/keep.csv' }, 'data/keep.csv', false, false],
    // nested .gitignore: applies to its subtree, relative to its folder, and wins over the root
    [{ 'sub/.gitignore': '/gen' }, 'sub/gen', true, true],
    [{ 'sub/.gitignore': '/gen' }, 'gen', true, false],
    [{ 'sub/.gitignore': 'tmp' }, 'other/tmp', true, false],
    [{ '.gitignore': '*.csv', 'sub/.gitignore': '!*.csv' }, 'sub/a.csv', false, false],
    [{ '.gitignore': '*.csv', 'sub/.gitignore': '!*.csv' }, 'a.csv', false, true],
    [{ '.gitignore': '!x.txt', 'sub/.gitignore': '*.txt' }, 'sub/x.txt', false, true],
    // patterns RE2 would read as syntax are literal
    [{ '.gitignore': 'a+b(c).{d}|e$' }, 'a+b(c).{d}|e$', false, true],
    [{ '.gitignore': 'a.b' }, 'axb', false, false],
  ];
  for (const [files, p, isDir, expected] of table) {
    it(`${JSON.stringify(files)}: ${p}${isDir ? '/' : ''} ${expected ? 'ignored' : 'kept'}`, () => {
      const m = matcher(files);
      assert.strictEqual(isDir ? m.ignoresDir(p) : m.ignoresFile(p), expected);
    });
  }

  it('stays linear on hostile patterns', () => {
    const m = matcher({ '.gitignore': `${'**a'.repeat(30)}b\n${'*a'.repeat(40)}c` });
    const start = Date.now();
    assert.strictEqual(m.ignoresFile(`${'a'.repeat(5000)}`), false);
    assert.ok(Date.now() - start < 2000);
  });

  it('reads respectGitignore from mlready.yaml, true by default', () => {
    assert.strictEqual(parseConfig('stage: pilot').config.respectGitignore, true);
    assert.strictEqual(parseConfig('respectGitignore: false').config.respectGitignore, false);
    const bad = parseConfig('respectGitignore: maybe');
    assert.strictEqual(bad.config.respectGitignore, true);
    assert.match(bad.problems[0].message, /respectGitignore/);
  });
});

describe('workspace scan with .gitignore', function () {
  this.timeout(60000);
  before(() => initPython());

  const SECRET = 'api_key = "sk_live_51HqLyjWDarjtT1zdp7dcXbGzQ8NnH3vJ4kLmP9sT2uV"\n';
  let root: string;
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-gitignore-'));
    write('.gitignore', 'scratch/\n*.py\n!train.py\n');
    write('train.py', SECRET);
    write('scratch/a.py', SECRET);
    write('scratch/deep/b.py', SECRET);
    write('other.py', SECRET);
    write('pkg/.gitignore', '!*.py\n/gen/\n');
    write('pkg/kept.py', SECRET);
    write('pkg/gen/made.py', SECRET);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const files = (r: ScanResult) => [...new Set(r.findings.map((f) => f.file ?? ''))].filter((p) => p.endsWith('.py')).sort();

  it('leaves out ignored files and folders, keeps negated and re-included files, and does not descend into ignored folders', async () => {
    const disk = new DiskFiles(root);
    const asked: string[] = [];
    const spy: WorkspaceFiles = {
      list: (descend) => disk.list((d) => (asked.push(d), descend(d))),
      read: (p) => disk.read(p),
      size: (p) => disk.size(p),
    };
    const result = await scanWorkspace(spy, defaultRegistry());
    assert.deepStrictEqual(files(result), ['pkg/kept.py', 'train.py']);
    assert.ok(!asked.includes('scratch/deep'), 'an ignored folder is not listed');
    assert.ok(asked.includes('scratch') && asked.includes('pkg/gen'), 'the ignored folders themselves are asked about');
    assert.deepStrictEqual(result.files.skipped, [], 'ignored files are not reported as skipped');
    assert.ok(!result.facts.paths.has('scratch/a.py'));
    // the .gitignore files are still read for the rules that need them
    assert.deepStrictEqual([...result.facts.texts.keys()].sort(), ['.gitignore', 'pkg/.gitignore']);
  });

  it('opting out in mlready.yaml brings every file back', async () => {
    write('mlready.yaml', 'respectGitignore: false\n');
    const result = await scanWorkspace(new DiskFiles(root), defaultRegistry());
    assert.deepStrictEqual(files(result), ['other.py', 'pkg/gen/made.py', 'pkg/kept.py', 'scratch/a.py', 'scratch/deep/b.py', 'train.py']);
    assert.strictEqual(result.config.respectGitignore, false);
  });

  it('an override opts out too', async () => {
    const result = await scanWorkspace(new DiskFiles(root), defaultRegistry(), { respectGitignore: false });
    assert.strictEqual(files(result).length, 6);
  });

  it('a file given explicitly is always checked', async () => {
    const result = await scanWorkspace(new DiskFiles(path.join(root, 'scratch', 'a.py')), defaultRegistry());
    assert.deepStrictEqual(files(result), ['a.py']);
  });

  it('in-memory files follow the same semantics, whatever their names sort like', async () => {
    const mem = new MemoryFiles(
      new Map<string, string>([
        ['.gitignore', '-gen/\n'],
        ['-gen/x.py', SECRET],
        ['a/-b/.gitignore', '*.py\n'],
        ['a/-b/-c/y.py', SECRET],
        ['a/z.py', SECRET],
        ['zz/mlready.yaml', 'respectGitignore: false\n'],
      ]),
    );
    const result = await scanWorkspace(mem, defaultRegistry());
    assert.deepStrictEqual(files(result), ['a/z.py']);
    const withConfig = new MemoryFiles(new Map([...mem.files, ['mlready.yaml', 'respectGitignore: false\n']]));
    assert.deepStrictEqual(files(await scanWorkspace(withConfig, defaultRegistry())), ['-gen/x.py', 'a/-b/-c/y.py', 'a/z.py']);
  });
});

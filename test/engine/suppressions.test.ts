import { strict as assert } from 'assert';
import { parseSuppression, suppressionComment } from '../../rules/core/suppressions';
import { codes, scanFiles } from '../helpers/engine';

/** `# mlready: ignore[…] reason: …` on the line, on the line above, or for the whole file. */
function nb(...cells: string[]): string {
  return JSON.stringify({ cells: cells.map((source) => ({ cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null })), metadata: {}, nbformat: 4, nbformat_minor: 5 });
}

describe('suppressions', () => {
  describe('parsing', () => {
    const cases: [string, ReturnType<typeof parseSuppression>][] = [
      ['# mlready: ignore[P101] reason: mounted in the container', { fileLevel: false, codes: ['P101'], reason: 'mounted in the container' }],
      ['#mlready:ignore[P101,P102]reason:x', { fileLevel: false, codes: ['P101', 'P102'], reason: 'x' }],
      ['# mlready: ignore[ P101 , hardcoded-host ]', { fileLevel: false, codes: ['P101', 'hardcoded-host'], reason: null }],
      ['# mlready: ignore', { fileLevel: false, codes: [], reason: null }],
      ['# mlready: ignore[*] reason: generated file', { fileLevel: false, codes: [], reason: 'generated file' }],
      ['# MLREADY: IGNORE-FILE[p101] Reason: legacy', { fileLevel: true, codes: ['p101'], reason: 'legacy' }],
      ['# mlready: ignore[P101] reason:', { fileLevel: false, codes: ['P101'], reason: null }],
      ['# mlready: ignore[P101] reason: <why this is acceptable>', { fileLevel: false, codes: ['P101'], reason: null }],
      ['# mlready: ignore[P101]  # TODO ask Ana', { fileLevel: false, codes: ['P101'], reason: null }],
      ['# mlready: ignore[P101] reason: <why>  # note', { fileLevel: false, codes: ['P101'], reason: null }],
      ['# mlready: ignore[P101] reason: fixed in issue #42', { fileLevel: false, codes: ['P101'], reason: 'fixed in issue #42' }],
      ['# TODO mlready: ignore[P101]', null],
      ['# mlready: ignored', null],
      ['# mlready: check this later', null],
      ['# see mlready docs', null],
    ];
    for (const [comment, expected] of cases) {
      it(`reads ${JSON.stringify(comment)}`, () => assert.deepEqual(parseSuppression(comment), expected));
    }

    it('writes the comment the quick fix inserts, which is reported until a reason replaces the placeholder', () => {
      const c = suppressionComment('P101');
      assert.deepEqual(parseSuppression(c), { fileLevel: false, codes: ['P101'], reason: null });
      assert.equal(parseSuppression(suppressionComment('P101', 'data volume'))?.reason, 'data volume');
    });
  });

  describe('matching', () => {
    it('silences a finding on the same line or on the line below an own-line comment, and nothing else', async () => {
      const r = await scanFiles({
        'train.py': [
          'A = "/home/ana/a.csv"  # mlready: ignore[P101] reason: same line',
          '# mlready: ignore[P101] reason: line above',
          'B = "/home/ana/b.csv"',
          '# mlready: ignore[P101] reason: two lines above is too far',
          '',
          'C = "/home/ana/c.csv"',
          'D = "/home/ana/d.csv"  # mlready: ignore[P106] reason: another rule',
          'E = "/home/ana/e.csv"  # mlready: ignore[hardcoded-user-path] reason: by name',
          'F = "/home/ana/f.csv"  # mlready: ignore[p101] reason: codes are case-insensitive',
          'G = "/home/ana/g.csv"  # mlready: ignore reason: every rule',
          'x = 1  # mlready: ignore[P101] reason: the line below a trailing comment is not covered',
          'H = "/home/ana/h.csv"',
        ].join('\n'),
      });
      assert.deepEqual(codes(r, 'P101'), ['train.py:6 P101', 'train.py:7 P101', 'train.py:12 P101']);
      assert.deepEqual(codes(r).filter((c) => /G90/.test(c)), ['train.py:4 G902', 'train.py:7 G902', 'train.py:11 G902']);
    });

    it('covers a finding that spans several lines from any of its lines', async () => {
      const r = await scanFiles({ 'a.py': 'X = (\n    "/home/ana/a.csv"  # mlready: ignore[P101] reason: inside the statement\n)\n' });
      assert.deepEqual(codes(r, 'P101'), []);
    });

    it('silences a whole file with ignore-file, wherever the comment is', async () => {
      const r = await scanFiles({ 'a.py': 'A = "/home/ana/a.csv"\nB = "s3://acme-lake/x/"\n\n# mlready: ignore-file[P101] reason: legacy script\n' });
      assert.deepEqual(codes(r, 'P101'), []);
      assert.deepEqual(codes(r, 'P106'), ['a.py:2 P106']);
    });

    it('does not read suppressions from strings or docstrings', async () => {
      const r = await scanFiles({ 'a.py': 'A = "/home/ana/a.csv # mlready: ignore[P101] reason: in a string"\n"""\n# mlready: ignore-file[P101] reason: in a docstring\n"""\n' });
      assert.deepEqual(codes(r, 'P101'), ['a.py:1 P101']);
    });

    it('works in notebook cells, each cell on its own', async () => {
      const r = await scanFiles({
        'nb.ipynb': nb('# mlready: ignore[P101] reason: exploration only\nA = "/home/ana/a.csv"', '# mlready: ignore[P101] reason: the last line of a cell does not cover the next cell', 'B = "/home/ana/b.csv"', 'C = "/home/ana/c.csv"  # mlready: ignore[P101]'),
      });
      assert.deepEqual(codes(r, 'P101'), ['nb.ipynb#2:1 P101']);
      assert.deepEqual(codes(r).filter((c) => /G90/.test(c)), ['nb.ipynb#1:1 G902', 'nb.ipynb#3:1 G901']);
    });

    it('works in YAML, on the line and above it', async () => {
      const r = await scanFiles({
        'dvc.yaml': [
          'stages:',
          '  train:',
          '    # mlready: ignore[P101] reason: runs on the workstation only',
          '    cmd: python train.py --data /home/ana/a.csv',
          '    deps:',
          '      - /home/ana/b.csv  # mlready: ignore[P101] reason: same',
          '      - /home/ana/c.csv',
        ].join('\n'),
      });
      assert.deepEqual(codes(r, 'P101'), ['dvc.yaml:7 P101']);
    });

    it('keeps enforced findings and reports their suppressions', async () => {
      const r = await scanFiles({
        'mlready.yaml': 'policy:\n  enforce: [P101]\n',
        'a.py': 'A = "/home/ana/a.csv"  # mlready: ignore[P101] reason: please\nB = "s3://acme-lake/x/"  # mlready: ignore[P106] reason: allowed\n',
      });
      assert.deepEqual(codes(r).filter((c) => !c.startsWith('null')).sort(), ['a.py:1 G903', 'a.py:1 P101']);
    });

    it('reports unknown codes in a suppression as unused', async () => {
      const r = await scanFiles({ 'a.py': 'x = 1  # mlready: ignore[P1O1] reason: typo\n' });
      const g = r.findings.find((f) => f.code === 'G902');
      assert.ok(g);
      assert.match(g.message, /P1O1, which is not an mlready rule/);
    });

    it('records every suppression for the audit, with its reason', async () => {
      const r = await scanFiles({ 'a.py': 'A = "/home/ana/a.csv"  # mlready: ignore[P101] reason: x\n# mlready: ignore-file[P106]\n' });
      assert.deepEqual(
        r.suppressions.map((s) => [s.file, s.line, s.codes, s.reason, s.fileLevel, s.used]),
        [
          ['a.py', 0, ['P101'], 'x', false, true],
          ['a.py', 1, ['P106'], null, true, false],
        ],
      );
    });
  });
});

import { strict as assert } from 'assert';
import { initPython } from '../../rules';
import { maskMagics, type Magic } from '../../rules/documents/python/magics';
import { PythonUnit } from '../../rules/documents/python/unit';

/**
 * IPython syntax in cells: magics and shell escapes become Magic records; the Python handed to
 * tree-sitter keeps every offset (same length, same line breaks), so findings in the rest of the
 * cell stay where they are; text that only looks like a magic (in a string, in brackets) is Python.
 */
function masked(source: string) {
  const m = maskMagics(source);
  assert.equal(m.python.length, source.length, 'the masked text has the same length');
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '\n' || source[i] === '\r') assert.equal(m.python[i], source[i], `line break kept at ${i}`);
  }
  return m;
}

function only(source: string): Magic {
  const { magics } = masked(source);
  assert.equal(magics.length, 1, `one magic in ${JSON.stringify(source)}: ${JSON.stringify(magics)}`);
  return magics[0];
}

describe('IPython magics', () => {
  before(() => initPython());

  it('reads a line magic with its arguments and offsets', () => {
    const src = 'import os\n%cd /data/projects\nx = 1\n';
    const m = only(src);
    assert.deepEqual({ kind: m.kind, command: m.command, args: m.args }, { kind: 'line', command: 'cd', args: '/data/projects' });
    assert.equal(src.slice(m.start, m.end), '%cd /data/projects');
    const { python } = masked(src);
    assert.equal(python.slice(0, 10), 'import os\n');
    assert.equal(python.slice(m.start, m.end).trim(), '0');
    assert.equal(python.slice(m.end), '\nx = 1\n');
  });

  it('masks a foreign cell magic (%%bash) as a whole cell', () => {
    const src = '%%bash\nfor f in data/*.csv; do\n  wc -l "$f"\ndone\n';
    const m = masked(src);
    assert.ok(m.foreignCellMagic);
    assert.equal(m.foreignCellMagic.command, 'bash');
    assert.equal(m.foreignCellMagic.start, 0);
    assert.equal(m.foreignCellMagic.end, src.length);
    assert.equal(m.python.trim(), '', 'nothing of the cell is read as Python');
  });

  it('keeps the Python body of %%time, %%timeit and %%capture', () => {
    for (const magic of ['time', 'timeit -n 3', 'capture out', 'prun']) {
      const body = 'model.fit(X, y)\nscore = model.score(X, y)\n';
      const src = `%%${magic}\n${body}`;
      const m = masked(src);
      assert.equal(m.foreignCellMagic, undefined, magic);
      assert.equal(m.magics[0].kind, 'cell');
      assert.equal(m.magics[0].command, magic.split(' ')[0]);
      assert.equal(m.python.slice(src.indexOf('\n') + 1), body, 'the body is untouched');
    }
  });

  it('reads shell escapes, captured shell output and %sx', () => {
    let m = only('!pip install -q lightgbm==4.3.0');
    assert.deepEqual([m.kind, m.command, m.args], ['shell', 'pip', 'install -q lightgbm==4.3.0']);
    m = only('!!ls -la');
    assert.deepEqual([m.kind, m.command], ['shell', 'ls']);
    const src = 'files = !ls data/*.csv\n';
    m = only(src);
    assert.deepEqual([m.kind, m.command, src.slice(m.start, m.end)], ['shell', 'ls', '!ls data/*.csv']);
    assert.equal(masked(src).python.slice(0, 8), 'files = ');
    m = only('a, b = %sx git rev-parse HEAD');
    assert.deepEqual([m.kind, m.command], ['line', 'sx']);
    m = only('%pip install pandas');
    assert.deepEqual([m.kind, m.command, m.args], ['line', 'pip', 'install pandas']);
  });

  it('reads help requests (obj?, obj??, ?obj)', () => {
    for (const src of ['df?', 'pd.read_csv??', '?np.random', '??model.fit']) {
      const m = only(src);
      assert.equal(m.kind, 'help', src);
      assert.equal(m.command, src.replace(/\?/g, ''));
    }
  });

  it('does not take strings, comments or bracketed text for magics', () => {
    for (const src of [
      's = "%cd /data"',
      "cmd = '!rm -rf /'",
      '"""\n%cd /data\n!ls\n"""',
      "'''\n  %time f()\n'''",
      '# %cd /data',
      'x = [\n%cd /data\n]',
      'f(\n    !ls\n)',
      'd = {\n  "a": 1,\n  %b\n}',
      'y = 10 % 3\nz = x ! = y',
      'print("is this ok?")',
      'x = a if b else c  # really?',
      'url = "http://x/?q=1"',
    ]) {
      const { magics } = masked(src);
      assert.deepEqual(magics, [], JSON.stringify(src));
    }
  });

  it('reads magics after an unterminated string line and inside a block', () => {
    const m = masked('if ready:\n    %time train()\n    !echo done\n');
    assert.deepEqual(
      m.magics.map((x) => [x.kind, x.command]),
      [
        ['line', 'time'],
        ['shell', 'echo'],
      ],
    );
  });

  it('follows backslash continuations of a magic line', () => {
    const src = '!pip install \\\n    pandas \\\n    numpy\nimport pandas\n';
    const m = only(src);
    assert.equal(src.slice(m.start, m.end), '!pip install \\\n    pandas \\\n    numpy');
  });

  it('keeps \\r\\n line ends and offsets', () => {
    const src = 'import os\r\n%cd /tmp\r\nx = 1\r\n!ls\r\n';
    const { magics, python } = masked(src);
    assert.deepEqual(
      magics.map((m) => src.slice(m.start, m.end)),
      ['%cd /tmp', '!ls'],
    );
    assert.equal(python.split('\r\n').length, src.split('\r\n').length);
  });

  it('parses the rest of a cell with magics as Python without errors, offsets intact', () => {
    const src = '%load_ext autoreload\n%autoreload 2\nimport pandas as pd\nfiles = !ls\ndf = pd.read_csv("data/x.csv")\ndf?\n  %matplotlib inline\n';
    const unit = new PythonUnit(src, 0, undefined, 0, true);
    try {
      assert.equal(unit.hasSyntaxError, false);
      assert.equal(unit.magics.length, 5);
      const call = unit.nodes('call').find((n) => n.text.startsWith('pd.read_csv'));
      assert.ok(call);
      assert.equal(src.slice(call.startIndex, call.endIndex), 'pd.read_csv("data/x.csv")', 'tree offsets are cell offsets');
      assert.equal(unit.nodes('import').length, 1);
    } finally {
      unit.dispose();
    }
  });

  it('leaves .py files alone: `%` and `!` are Python there', () => {
    const unit = new PythonUnit('%cd /data\n', undefined, undefined, 0, false);
    try {
      assert.deepEqual(unit.magics, []);
      assert.equal(unit.hasSyntaxError, true);
    } finally {
      unit.dispose();
    }
  });

  it('returns the source itself when nothing can be a magic', () => {
    const src = 'x = 1\ny = x + 2\n';
    assert.equal(maskMagics(src).python, src);
  });
});

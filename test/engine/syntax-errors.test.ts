import { strict as assert } from 'assert';
import { initPython } from '../../rules';
import { PythonUnit } from '../../rules/documents/python/unit';
import { lexicalProblem, syntaxErrors } from '../../rules/reliability/syntax-errors';

/** What L002 and N010 say about code that does not parse, and where. */
function errors(text: string, cell?: number): string[] {
  const unit = new PythonUnit(text, cell, undefined, 0, cell !== undefined);
  try {
    return syntaxErrors(unit).map((e) => `${unit.lines.positionAt(e.start).line + 1}:${unit.lines.positionAt(e.start).character} ${e.message}`);
  } finally {
    unit.dispose();
  }
}

describe('python syntax errors', () => {
  before(() => initPython());

  const table: [string, string, string[]][] = [
    ['an unclosed call', 'model = RF(n_estimators=200, max_depth=8\nmodel.fit(X, y)\n', ['1:10 `(` is never closed.']],
    ['a bracket closed by the wrong kind', 'x = [1, 2)\ny = 3\n', ['1:4 `[` is closed by `)`.']],
    ['an unterminated string', 'label = "churn\nprint(label)\n', ['1:8 unterminated string literal.']],
    ['an unterminated triple-quoted string', 'x = 1\ns = """never\nclosed\n', ['2:4 unterminated triple-quoted string literal.']],
    ['a Python 2 print statement', 'def f(m):\n    print "acc", m\n', ['2:4 Python 2 `print` statement: call `print(…)` instead.']],
    ['an unexpected indent', 'def f(df):\n    df = df.dropna()\n        return df\n', ['3:8 unexpected indent.']],
    ['an unindent that matches nothing', 'def f(df):\n        df = df.dropna()\n    return df\n', ['3:4 unindent does not match any outer indentation level.']],
    ['an indented first line in a module', '    import os\n', ['1:4 unexpected indent.']],
  ];
  for (const [name, text, expected] of table) {
    it(`explains ${name}`, () => assert.deepEqual(errors(text), expected));
  }

  it('says nothing about valid code, whatever its layout', () => {
    for (const text of [
      'x = (1 +\n     2)\nif x:\n    y = 1  # comment\n        # deeper comment\n    z = 2\nelse: w = 3\n',
      'def f(): return 1\nclass A: pass\na = 1; b = 2\n',
      's = """\n  not code (\n"""\nt = f"{s!r:>{10}}"\nu = rb"\\d+("\n',
      'print("is this ok?")\nexec("x = 1")\nprint\n',
      'match x:\n    case [a, *rest]:\n        pass\n    case _:\n        pass\n',
      'x = 1 + \\\n        2\ny = 3\n',
    ]) {
      assert.deepEqual(errors(text), [], text);
    }
  });

  it('reads a notebook cell indented as a whole as IPython does', () => {
    assert.deepEqual(errors('    x = 1\n    y = 2\n', 0), []);
    assert.deepEqual(errors('  %pushd /tmp\n%ls\n', 0), []);
    assert.deepEqual(errors('x = 1\n    y = 2\n', 0), ['2:4 unexpected indent.']);
  });

  it('finds the first lexical problem without being fooled by strings and comments', () => {
    assert.equal(lexicalProblem('x = ")" # (\ny = [1]\n'), null);
    assert.equal(lexicalProblem("f('a\\'(')")?.message ?? null, null);
    assert.deepEqual(lexicalProblem('a = {1: (2, 3}\n'), { offset: 8, end: 9, message: '`(` is closed by `}`.' });
  });
});

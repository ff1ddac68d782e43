import { strict as assert } from 'assert';
import { initPython, loadDocument, type AnalyzedDocument } from '../../rules';

/** Import aliases resolve calls to qualified names, in .py files and across notebook cells. */
function withDoc(path: string, text: string, body: (doc: AnalyzedDocument) => void): void {
  const doc = loadDocument(path, text);
  try {
    body(doc);
  } finally {
    doc.dispose();
  }
}

function notebook(...cells: string[]): string {
  return JSON.stringify({
    cells: cells.map((source, i) => ({ cell_type: i === 1 ? 'markdown' : 'code', metadata: {}, execution_count: null, outputs: [], source })),
    metadata: { kernelspec: { name: 'python3', language: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

function calls(doc: AnalyzedDocument): Record<string, string | null> {
  return Object.fromEntries(doc.python!.calls().map((c) => [c.callee ?? c.node.text, c.qualified]));
}

describe('python imports and aliases', () => {
  before(() => initPython());

  it('resolves module aliases, from-imports and their aliases', () => {
    const src = [
      'import pandas as pd',
      'import numpy',
      'from os import path as p',
      'from sklearn.ensemble import RandomForestClassifier, GradientBoostingClassifier as GBC',
      'from sklearn.model_selection import (',
      '    train_test_split,',
      '    cross_val_score as cvs,',
      ')',
      'import xgboost.sklearn as xs',
      'pd.read_csv("a.csv")',
      'numpy.random.seed(0)',
      'p.join("a", "b")',
      'RandomForestClassifier()',
      'GBC()',
      'train_test_split(X, y)',
      'cvs(m, X, y)',
      'xs.XGBClassifier()',
      'unknown.thing()',
      'print("x")',
    ].join('\n');
    withDoc('train.py', src, (doc) => {
      assert.deepEqual(calls(doc), {
        'pd.read_csv': 'pandas.read_csv',
        'numpy.random.seed': 'numpy.random.seed',
        'p.join': 'os.path.join',
        RandomForestClassifier: 'sklearn.ensemble.RandomForestClassifier',
        GBC: 'sklearn.ensemble.GradientBoostingClassifier',
        train_test_split: 'sklearn.model_selection.train_test_split',
        cvs: 'sklearn.model_selection.cross_val_score',
        'xs.XGBClassifier': 'xgboost.sklearn.XGBClassifier',
        'unknown.thing': null,
        print: null,
      });
      const imports = doc.python!.imports;
      for (const m of ['pandas', 'numpy', 'os', 'sklearn', 'sklearn.ensemble', 'sklearn.model_selection', 'xgboost', 'xgboost.sklearn']) assert.ok(imports.imports(m), m);
      assert.ok(!imports.imports('sklearn.linear_model'));
    });
  });

  it('binds the root name for `import os.path` and resolves through it', () => {
    withDoc('a.py', 'import os.path\nimport a.b.c\nos.path.join("x")\nos.getcwd()\na.b.c.d()\n', (doc) => {
      assert.deepEqual(calls(doc), { 'os.path.join': 'os.path.join', 'os.getcwd': 'os.getcwd', 'a.b.c.d': 'a.b.c.d' });
      assert.ok(doc.python!.imports.imports('os.path'));
      assert.ok(doc.python!.imports.imports('a.b'));
    });
  });

  it('keeps relative imports relative', () => {
    withDoc('pkg/train.py', 'from . import utils\nfrom .features import build as b\nfrom ..common.io import load\nutils.f()\nb()\nload()\n', (doc) => {
      assert.deepEqual(calls(doc), { 'utils.f': '.utils.f', b: '.features.build', load: '..common.io.load' });
      const modules = doc.python!.imports.bindings.map((x) => x.module);
      assert.deepEqual(modules, ['.', '.features', '..common.io']);
    });
  });

  it('lets a later import rebind a name, and ignores wildcard imports for resolution', () => {
    withDoc('a.py', 'import json as j\nj.dumps(1)\nimport simplejson as j\nfrom os.path import *\njoin("a")\n', (doc) => {
      // the table is program-wide: the last binding wins for every use
      assert.equal(doc.python!.imports.resolve('j.dumps'), 'simplejson.dumps');
      assert.equal(doc.python!.imports.resolve('join'), null);
      assert.ok(doc.python!.imports.bindings.some((b) => b.local === '*' && b.qualified === 'os.path.*'));
    });
  });

  it('sees imports inside functions and try blocks', () => {
    withDoc('a.py', 'try:\n    import ujson as json\nexcept ImportError:\n    import json\n\ndef f():\n    import torch\n    torch.manual_seed(0)\n', (doc) => {
      assert.equal(doc.python!.imports.resolve('torch.manual_seed'), 'torch.manual_seed');
      assert.ok(doc.python!.imports.imports('ujson') && doc.python!.imports.imports('json'));
    });
  });

  it('resolves across notebook cells, and keeps each call in its own cell', () => {
    const text = notebook('import numpy as np\nfrom sklearn.linear_model import LogisticRegression as LR', '# Model', 'X = np.random.rand(10, 3)', '%time model = LR().fit(X, y)\nnp.save("x.npy", X)');
    withDoc('nb.ipynb', text, (doc) => {
      const byCallee = new Map(doc.python!.calls().map((c) => [c.callee, c]));
      assert.equal(byCallee.get('np.random.rand')?.qualified, 'numpy.random.rand');
      assert.equal(byCallee.get('np.random.rand')?.unit.cell, 2);
      assert.equal(byCallee.get('np.save')?.qualified, 'numpy.save');
      assert.equal(byCallee.get('np.save')?.unit.cell, 3);
      // the code cells are ordinals 0, 1, 2 of the program; the markdown cell is not one of them
      assert.deepEqual(doc.python!.units.map((u) => [u.cell, u.ordinal]), [[0, 0], [2, 1], [3, 2]]);
    });
  });

  it('reads call arguments: positional, keyword and splats', () => {
    withDoc('a.py', 'import pandas as pd\npd.read_csv("a.csv", sep=";", **opts)\npd.concat(x for x in y)\n', (doc) => {
      const [read, concat] = doc.python!.calls();
      assert.equal(read.positional.length, 1);
      assert.equal(read.keywords.get('sep')?.text, '";"');
      assert.equal(read.hasSplat, true);
      assert.equal(read.method, 'read_csv');
      assert.equal(read.receiver?.text, 'pd');
      assert.equal(concat.positional[0].type, 'generator_expression');
    });
  });
});

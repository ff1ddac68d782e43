import { strict as assert } from 'assert';
import {
  defaultConfig,
  defaultRegistry,
  documentFromNotebook,
  finalizeDocument,
  initPython,
  lintDocument,
  loadDocument,
  notebookFromCells,
  parseConfig,
  WorkspaceFacts,
  type CellInput,
  type Finding,
} from '../../rules';
import { Registry } from '../../rules/core/registry';
import { notebookCollectors, notebookRules } from '../../rules/notebook-hygiene';
import { PiiCounter } from '../../rules/notebook-hygiene/pii';
import { scanFiles } from '../helpers/engine';
import { code, md, notebook, result, stream } from './nb';

/** Lints one document alone, as the language server does for an open notebook. */
function lint(doc: ReturnType<typeof loadDocument>, configText?: string): Finding[] {
  const config = configText ? parseConfig(configText).config : defaultConfig();
  const options = { config, registry: defaultRegistry() };
  try {
    const res = lintDocument(doc, options);
    const facts = new WorkspaceFacts();
    facts.set(res.facts);
    assert.deepEqual(res.ruleErrors, []);
    return finalizeDocument(res, facts, options, doc);
  } finally {
    doc.dispose();
  }
}

const cellsOf = (cells: [CellInput['kind'], string][]): CellInput[] => cells.map(([kind, text], index) => ({ index, kind, text }));

describe('notebook-hygiene rules', () => {
  before(() => initPython());

  describe('in an editor notebook (cells, no .ipynb text)', () => {
    it('puts whole-notebook findings at the start of a cell, and fixes imports across cells', () => {
      const nb = notebookFromCells(
        cellsOf([
          ['code', 'import pandas as pd'],
          ['code', ''],
          ['code', 'df = pd.read_csv("x.csv")\nimport numpy as np\nnp.log1p(df)'],
        ]),
      );
      const findings = lint(documentFromNotebook('notebooks/Untitled2.ipynb', nb));
      const by = (c: string) => findings.filter((f) => f.code === c);
      assert.equal(by('N109')[0]?.cell, 0);
      assert.deepEqual(by('N109')[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
      assert.equal(by('N110')[0]?.cell, 0);
      assert.equal(by('N106')[0]?.cell, 1);
      assert.deepEqual(by('N106')[0].fixes, [], 'deleting a cell is not a text edit of a cell');
      const imp = by('N105')[0];
      assert.equal(imp?.cell, 2);
      const edits = imp.fixes[0].edits;
      assert.deepEqual(
        edits.map((e) => [e.cell, e.range.start.line, e.newText]),
        [
          [0, 0, '\nimport numpy as np'],
          [2, 1, ''],
        ],
      );
      assert.equal(imp.fixes[0].applicability, 'safe');
      // outputs and execution counts are not known in the editor: nothing to say about them
      for (const c of ['N101', 'N102', 'N103', 'N104', 'N111']) assert.deepEqual(by(c), [], c);
    });

    it('reports never-run cells from the execution counts the editor gives', () => {
      const nb = notebookFromCells([
        { index: 0, kind: 'markdown', text: '# T' },
        { index: 1, kind: 'code', text: 'import os', executionCount: 1 },
        { index: 2, kind: 'code', text: 'x = 1', executionCount: null },
        { index: 3, kind: 'code', text: 'print(os.getcwd())', executionCount: 2 },
      ]);
      assert.deepEqual(
        lint(documentFromNotebook('n.ipynb', nb))
          .filter((f) => f.code === 'N111')
          .map((f) => f.cell),
        [2],
      );
    });
  });

  describe('N105 fix safety', () => {
    const late = (between: string) =>
      lint(loadDocument('n.ipynb', notebook([md('# T'), code('import pandas as pd'), code(between), code('import numpy as np\nnp.zeros(3)')]))).find((f) => f.code === 'N105')!.fixes[0].applicability;
    it('is safe when nothing in between can change what the import does', () => {
      assert.equal(late('df = pd.DataFrame()\n%matplotlib inline\ndf?'), 'safe');
    });
    for (const [what, between] of [
      ['a pip install', '%pip install numpy==1.26.4'],
      ['a shell command', '!wget https://example.com/np.tar.gz'],
      ['a sys.path change', 'import sys\nsys.path.insert(0, "../src")'],
      ['an environment variable', 'import os\nos.environ["OMP_NUM_THREADS"] = "1"'],
      ['load_dotenv', 'from dotenv import load_dotenv\nload_dotenv()'],
      ['another binding of the name', 'np = None'],
      ['a %%writefile cell', '%%writefile numpy_helpers.py\nX = 1'],
    ]) {
      it(`is unsafe after ${what}`, () => assert.equal(late(between), 'unsafe'));
    }
  });

  describe('N113 hidden state (production stage)', () => {
    const hidden = (...cells: string[]) =>
      lint(loadDocument('n.ipynb', notebook([md('# T'), ...cells.map((c) => code(c))])), 'stage: production\n')
        .filter((f) => f.code === 'N113')
        .map((f) => `${f.cell}:${f.range.start.line}:${/`(\w+)`/.exec(f.message)![1]}`);

    it('reports a read before the cell that defines it, once per name', () => {
      assert.deepEqual(hidden('y = x + 1\nprint(x)', 'z = x', 'x = 2'), ['1:0:x']);
    });
    it('counts what runs when the cell runs: decorators, defaults, class bodies, comprehensions, augmented assignments', () => {
      assert.deepEqual(hidden('def f(a=limit):\n    return a', '@register\ndef g():\n    pass', 'class C:\n    size = width', 'total += 1', '[v * scale for v in range(3)]', 'limit = 1\nregister = print\nwidth = 2\ntotal = 0\nscale = 3'), [
        '1:0:limit',
        '2:0:register',
        '3:1:width',
        '4:0:total',
        '5:0:scale',
      ]);
    });
    it('leaves alone function bodies, comprehension variables, guarded reads, attributes and keywords', () => {
      assert.deepEqual(
        hidden(
          'def f():\n    return later\nsquares = [later for later in range(3)]\nlambda: later\nobj.later\nprint(sep=later_kw) if False else None',
          'try:\n    cache\nexcept NameError:\n    cache = {}\nif "model" in globals():\n    model.fit()',
          'later = 1\ncache = 2\nmodel = 3',
        ),
        [],
      );
    });
    it('stops after %run or a wildcard import, and ignores builtins redefined later', () => {
      assert.deepEqual(hidden('%run setup.py', 'print(cfg)', 'cfg = 1'), []);
      assert.deepEqual(hidden('from helpers import *', 'print(cfg)', 'cfg = 1'), []);
      assert.deepEqual(hidden('print(input)', 'input = 1'), []);
    });
    it('takes bindings from loops, with, walrus, imports and %%capture', () => {
      assert.deepEqual(hidden('for i in range(3):\n    pass\nwith open("f") as fh:\n    pass\nif (n := 3):\n    pass', 'print(i, fh, n, pd, out)', 'import pandas as pd'), ['2:0:pd']);
      assert.deepEqual(hidden('%%capture out\nprint(1)', 'print(out)'), []);
    });
  });

  describe('N112 and R111 on the same install', () => {
    it('N112 points at the command, R111 at the unpinned package, with different messages', async () => {
      const r = await scanFiles({ 'n.ipynb': notebook([md('# T'), code('%pip install lightgbm pandas==2.2.1')]) });
      const n112 = r.findings.filter((f) => f.code === 'N112');
      const r111 = r.findings.filter((f) => f.code === 'R111');
      assert.equal(n112.length, 1);
      assert.deepEqual([n112[0].range.start.character, n112[0].range.end.character], [0, 12]);
      for (const f of r111) {
        assert.ok(f.range.start.character >= 12, 'R111 is on the package, after the command');
        assert.notEqual(f.message, n112[0].message);
      }
    });
  });

  describe('personal data in outputs (N104)', () => {
    const found = (...texts: string[]) => {
      const c = new PiiCounter();
      for (const t of texts) c.add(t);
      return c.found().map((f) => `${f.kind}:${f.count}`);
    };
    it('counts emails from three distinct addresses, ignoring placeholders and package authors', () => {
      assert.deepEqual(found('ana@corp.io, bo@corp.io'), []);
      assert.deepEqual(found('ana@corp.io, bo@corp.io', 'ANA@corp.io cy@mail.org'), ['email:3']);
      assert.deepEqual(found('user@example.com a@test b@localhost noreply@corp.io', 'Author-email: x@y.org\nAuthor-email: z@y.org\nMaintainer-email: w@y.org'), []);
    });
    it('counts card numbers by issuer and checksum, grouped or in a card column, and never test cards', () => {
      assert.deepEqual(found('4539 3982 5979 1903'), ['card:1']);
      assert.deepEqual(found('4539398259791903'), [], 'a lone ungrouped number outside a card context');
      assert.deepEqual(found('card_number\n4539398259791903'), ['card:1']);
      assert.deepEqual(found('4242 4242 4242 4242 and 4111-1111-1111-1111'), []);
      assert.deepEqual(found('4539 3982 5979 1904'), [], 'checksum');
      // a column of identifiers: one in ten passes the checksum by chance, not most of them
      assert.deepEqual(found('4047966697251027 4346468695896935 4771516204661099 4069584830401198 4539398259791903'), []);
    });
    it('checks SSNs, IBANs and phone numbers', () => {
      assert.deepEqual(found('ssn 536-22-1847'), ['ssn:1']);
      assert.deepEqual(found('123-45-6789 000-12-3456 666-12-3456'), []);
      assert.deepEqual(found('DE44 5001 0517 5407 3249 31'), ['iban:1']);
      assert.deepEqual(found('DE45 5001 0517 5407 3249 31'), []);
      assert.deepEqual(found('+49 30 901820 11, +44 20 7946 0958, +1 415 555 2671'), ['phone:3']);
    });
    it('never reads images or long base64', () => {
      assert.deepEqual(found(`<img src="data:image/png;base64,${'A1b2'.repeat(5000)}"> 4539 3982 5979 1903`.replace('4539 3982 5979 1903', '')), []);
    });
    it('reports one finding per cell, without the values', async () => {
      const r = await scanFiles({
        'n.ipynb': notebook([md('# T'), code('import pandas as pd'), code('df.head()', { outputs: [result(2, { 'text/plain': 'a@corp.io b@corp.io c@corp.io 4539 3982 5979 1903' }), stream('536-22-1847\n')] })]),
      });
      const f = r.findings.filter((x) => x.code === 'N104');
      assert.equal(f.length, 1);
      assert.match(f[0].message, /3 email addresses, 1 payment card number and 1 social security number/);
      assert.doesNotMatch(JSON.stringify(f), /corp\.io|4539|1847/);
    });
  });

  it('lints a 200-cell notebook quickly', async function () {
    this.timeout(120_000);
    const cells = [md('# Big analysis'), code('import numpy as np\nimport pandas as pd\nfrom sklearn.linear_model import LogisticRegression')];
    for (let i = 0; i < 199; i++) {
      cells.push(
        code(`# step ${i}\nfeatures_${i} = df[["a", "b"]].assign(c=lambda d: d.a * ${i})\nif features_${i}.shape[0] > 10:\n    print(features_${i}.describe())\nmodel_${i} = LogisticRegression(max_iter=${i + 10}).fit(features_${i}, df["y"])`, {
          outputs: i % 3 ? [] : [stream(`fitted ${i}\n`)],
        }),
      );
    }
    const text = notebook(cells);
    const run = (registry: Registry) => {
      const options = { config: defaultConfig(), registry };
      const times: number[] = [];
      for (let k = 0; k < 3; k++) {
        const started = performance.now();
        const doc = loadDocument('notebooks/big.ipynb', text);
        const res = lintDocument(doc, options);
        const facts = new WorkspaceFacts();
        facts.set(res.facts);
        finalizeDocument(res, facts, options, doc);
        doc.dispose();
        times.push(performance.now() - started);
        assert.deepEqual(res.ruleErrors, []);
      }
      return Math.min(...times.slice(1));
    };
    const family = run(new Registry(notebookRules, notebookCollectors));
    const all = run(defaultRegistry());
    console.log(`      200-cell notebook: parse + notebook-hygiene rules ${family.toFixed(0)} ms; parse + every rule and collector + finalize ${all.toFixed(0)} ms`);
    assert.ok(family < 3_000, `took ${family} ms`);
  });
});

import { strict as assert } from 'assert';
import { applyFixes, escapeForTest, initPython, loadDocument, parseNotebook } from './helpers';
import { scanFiles } from '../helpers/engine';
import { code, display, md, notebook, PYTHON_METADATA, type CellSpec, type NotebookOptions } from './nb';

/**
 * A notebook is one Python program in cell order: an import in cell 1 resolves a call in cell 5,
 * and each finding lands on its own cell, at the same characters in the cell and in the .ipynb
 * text, whatever the JSON looks like.
 */

const CELLS: CellSpec[] = [
  md('# Churn: préparation des données'),
  code('import os\nimport pandas as pd\nfrom sklearn.linear_model import LogisticRegression'),
  code('SEED = 7\ncolumns = ["âge", "région"]  # accents: \u00e9\u00e8 and an emoji \ud83d\ude80'),
  code('df = pd.read_csv("data/train.csv")'),
  code('import seaborn as sns'),
  code('os.chdir("/home/ana/projets/churn-\u00e9t\u00e9")\nmodel = LogisticRegression(max_iter=100).fit(df[columns], df["y"])'),
];

describe('notebooks as one program', () => {
  before(() => initPython());

  it('resolves an import of cell 1 in a call of cell 5, and reports the call on cell 5', async () => {
    const text = notebook(CELLS);
    const doc = loadDocument('notebooks/prep.ipynb', text);
    try {
      const chdir = doc.python!.calls().find((c) => c.callee === 'os.chdir')!;
      assert.equal(chdir.qualified, 'os.chdir');
      assert.equal(chdir.unit.cell, 5);
      const fit = doc.python!.calls().find((c) => c.method === 'LogisticRegression')!;
      assert.equal(fit.qualified, 'sklearn.linear_model.LogisticRegression');
    } finally {
      doc.dispose();
    }
    const result = await scanFiles({ 'notebooks/prep.ipynb': text });
    const p104 = result.findings.find((f) => f.code === 'P104');
    assert.ok(p104, 'P104 on os.chdir of an absolute folder');
    assert.equal(p104.cell, 5);
    assert.equal(p104.range.start.line, 0);
    const n105 = result.findings.find((f) => f.code === 'N105');
    assert.equal(n105?.cell, 4, 'the late import is reported on its own cell');
  });

  const variants: [string, NotebookOptions, (c: CellSpec[]) => CellSpec[]][] = [
    ['Jupyter layout, nbformat 4.5', {}, (c) => c],
    ['non-ASCII written as \\u escapes (ensure_ascii)', { ascii: true }, (c) => c],
    ['\\r\\n line endings in the JSON and in the sources', { eol: '\r\n' }, (c) => c.map((x) => ({ ...x, source: (x.source as string).replace(/\n/g, '\r\n') }))],
    ['sources as single strings', {}, (c) => c.map((x) => ({ ...x, sourceAsString: true }))],
    ['nbformat 4.0 without cell ids', { minor: 0 }, (c) => c],
    ['nbformat 4.4 without cell ids', { minor: 4 }, (c) => c],
    ['nbformat 4.5 with some ids missing', { minor: 5 }, (c) => c.map((x, i) => (i % 2 ? { ...x, id: null } : x))],
    ['a markdown cell with an attachment', {}, (c) => [{ ...c[0], attachments: { 'logo.png': { 'image/png': 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==' } } }, ...c.slice(1)]],
    [
      'widget state in the metadata',
      { metadata: { ...PYTHON_METADATA, widgets: { 'application/vnd.jupyter.widget-state+json': { state: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`w${i}`, { model_name: 'FloatProgressModel', state: { value: i, description: 'épochs' } }])), version_major: 2, version_minor: 0 } } } },
      (c) => c.map((x) => (x.type === 'code' ? { ...x, outputs: [display({ 'application/vnd.jupyter.widget-view+json': { model_id: 'w1', version_major: 2, version_minor: 0 } as unknown as string, 'text/plain': 'FloatProgress(value=0.0)' })] } : x)),
    ],
  ];

  for (const [name, options, transform] of variants) {
    it(`places findings on their cell and in the .ipynb text: ${name}`, async () => {
      const text = notebook(transform(CELLS), options);
      const result = await scanFiles({ 'notebooks/prep.ipynb': text });
      assert.deepEqual(result.ruleErrors, []);
      assert.equal(result.findings.filter((f) => f.code === 'N001' || f.code === 'N010').length, 0);
      const nb = parseNotebook(text);
      const byCode = (c: string) => result.findings.filter((f) => f.code === c);
      const p104 = byCode('P104')[0];
      assert.equal(p104?.cell, 5);
      // the same characters in the cell and, escaped, in the .ipynb text
      const cell = nb.cells[5];
      const inCell = cell.source.slice(cell.unit.lines.offsetAt(p104.range.start), cell.unit.lines.offsetAt(p104.range.end));
      assert.equal(inCell, '/home/ana/projets/churn-\u00e9t\u00e9');
      assert.equal(text.slice(p104.fileRange.start, p104.fileRange.end), escapeForTest(inCell, !!options.ascii));
      // the import fix edits two cells and leaves a notebook with the imports first
      const n105 = byCode('N105');
      assert.equal(n105.length, 1);
      const fixed = parseNotebook(applyFixes(text, n105, true, false).text);
      assert.equal(fixed.problem, undefined);
      const eol = options.eol ?? '\n';
      assert.equal(fixed.cells[1].source, ['import os', 'import pandas as pd', 'from sklearn.linear_model import LogisticRegression', 'import seaborn as sns'].join(eol));
      assert.equal(fixed.cells[4].source, '');
    });
  }

  it('reads a notebook with a 5 MB base64 image output quickly, measuring it without decoding it', async function () {
    this.timeout(60_000);
    let b64 = '';
    while (b64.length < 5 * 1024 * 1024) b64 += 'iVBORw0KGgoAAAANSUhEUgAAB4AAAAQ4CAYAAADo08FDAAAAOXRFWHRTb2Z0d2FyZQBNYXRwbG90bGliIHZlcnNpb24zLjguMiwgaHR0cHM6Ly9tYXRwbG90bGliLm9yZy8';
    const cells = [...CELLS.slice(0, 4), code('df.hist(figsize=(60, 60))', { outputs: [display({ 'image/png': b64, 'text/plain': '<Figure size 6000x6000 with 16 Axes>' })] }), ...CELLS.slice(4)];
    const text = notebook(cells);
    const started = performance.now();
    const result = await scanFiles({ 'notebooks/prep.ipynb': text });
    const ms = performance.now() - started;
    console.log(`      5 MB image notebook: scanned with every rule in ${ms.toFixed(0)} ms`);
    assert.ok(ms < 10_000, `took ${ms} ms`);
    const huge = result.findings.filter((f) => f.code === 'N102');
    assert.equal(huge.length, 1);
    assert.equal(huge[0].cell, 4);
    assert.match(huge[0].message, /5\.0 MB .*image\/png/);
    assert.equal(result.findings.find((f) => f.code === 'P104')?.cell, 6);
  });
});

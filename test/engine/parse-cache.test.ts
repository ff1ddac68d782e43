import { strict as assert } from 'assert';
import { defaultConfig, defaultRegistry, initPython, loadDocument, lintDocument } from '../../rules';
import { documentFromNotebook, notebookFromCells } from '../../rules';
import { ParseCache, withParseCache } from '../../rules/documents/python/unit';

/**
 * The server keeps each open document's trees between lints (ParseCache): unchanged units reuse
 * their tree, changed ones are re-parsed incrementally. Findings must be exactly those of a fresh
 * load, whatever the editing history.
 */
const BASE = [
  'import os',
  'import pandas as pd',
  'from sklearn.linear_model import LogisticRegression',
  '',
  'def train(path):',
  '    df = pd.read_csv("/data/train.csv")',
  '    model = LogisticRegression()',
  '    model.fit(df[["a"]], df["y"])',
  '    print("accuracy", model.score(df[["a"]], df["y"]))',
  '    return model',
  '',
  'if __name__ == "__main__":',
  '    train(os.environ["DATA"])',
  '',
].join('\n');

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function edit(text: string, rnd: () => number): string {
  const at = Math.floor(rnd() * (text.length + 1));
  const r = rnd();
  if (r < 0.4) return text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 4)); // delete
  const pieces = ['x', '(', ')', ':', '\n', '    ', '"', 'print(1)\n', 'import numpy as np\n', ' + 1', '#', 'def f():\n    pass\n'];
  return text.slice(0, at) + pieces[Math.floor(rnd() * pieces.length)] + text.slice(at); // insert
}

/** An edit that keeps the module valid: a new statement after a line, with that line's indentation. */
function validEdit(text: string, rnd: () => number): string {
  const lines = text.split('\n');
  const i = Math.floor(rnd() * lines.length);
  if (/:\s*$/.test(lines[i]) || lines[i].trim() === '') return text;
  const indent = /^\s*/.exec(lines[i])![0];
  lines.splice(i + 1, 0, `${indent}z${Math.floor(rnd() * 100)} = "${'x'.repeat(Math.floor(rnd() * 5))}"`);
  return lines.join('\n');
}

const summary = (r: ReturnType<typeof lintDocument>) => r.findings.map((f) => `${f.code}@${f.cell ?? ''}:${JSON.stringify(f.range)}:${f.message}`).sort().join('\n');

describe('ParseCache (incremental re-parse in the server)', () => {
  before(() => initPython());
  const options = () => ({ config: defaultConfig(), registry: defaultRegistry() });

  it('gives the findings and the tree of a fresh parse after each edit of a module', () => {
    const cache = new ParseCache();
    const rnd = seeded(7);
    let text = BASE;
    for (let i = 0; i < 60; i++) {
      // broken and valid states alternate, as while typing
      text = i % 3 === 2 ? edit(text, rnd) : i % 3 === 0 ? validEdit(BASE, rnd) : validEdit(text, rnd);
      const cached = withParseCache(cache, () => loadDocument('train.py', text));
      const fresh = loadDocument('train.py', text);
      try {
        assert.equal(cached.python!.units[0].root.toString(), fresh.python!.units[0].root.toString(), `tree after edit ${i}`);
        assert.equal(summary(lintDocument(cached, options())), summary(lintDocument(fresh, options())), `findings after edit ${i}`);
      } finally {
        cached.dispose();
        fresh.dispose();
      }
    }
    assert.ok(cache.stats.incremental > 0, 'some re-parses were incremental');
    cache.dispose();
  });

  it('reuses the trees of unchanged notebook cells and matches a fresh load', () => {
    const cache = new ParseCache();
    const rnd = seeded(3);
    const cells = Array.from({ length: 8 }, (_, i) => (i === 0 ? BASE : `%matplotlib inline\nx${i} = train("p${i}")\nprint(x${i})\n`));
    for (let i = 0; i < 20; i++) {
      const k = Math.floor(rnd() * cells.length);
      cells[k] = edit(cells[k], rnd);
      const inputs = cells.map((text, index) => ({ index, kind: 'code' as const, text }));
      const cached = withParseCache(cache, () => documentFromNotebook('nb.ipynb', notebookFromCells(inputs)));
      const fresh = documentFromNotebook('nb.ipynb', notebookFromCells(inputs));
      try {
        cached.python!.units.forEach((u, j) => assert.equal(u.root.toString(), fresh.python!.units[j].root.toString(), `cell ${j} after edit ${i}`));
        assert.equal(summary(lintDocument(cached, options())), summary(lintDocument(fresh, options())), `findings after edit ${i}`);
      } finally {
        cached.dispose();
        fresh.dispose();
      }
    }
    assert.ok(cache.stats.reused >= 19 * 7, `unchanged cells reused (${JSON.stringify(cache.stats)})`);
    cache.dispose();
  });

  it('matches a fresh load when kept trees forget the node objects each lint made (as the server does)', () => {
    const cache = new ParseCache();
    const rnd = seeded(11);
    const cells = Array.from({ length: 6 }, (_, i) => (i === 0 ? BASE : `df${i} = pd.read_csv("/home/u/d${i}.csv")\nmodel.fit(df${i}[["a"]], df${i}["y"])\n`));
    for (let i = 0; i < 24; i++) {
      const k = Math.floor(rnd() * cells.length);
      cells[k] = i % 2 ? edit(cells[k], rnd) : validEdit(cells[k], rnd);
      const inputs = cells.map((text, index) => ({ index, kind: 'code' as const, text }));
      const cached = withParseCache(cache, () => documentFromNotebook('nb.ipynb', notebookFromCells(inputs)));
      const fresh = documentFromNotebook('nb.ipynb', notebookFromCells(inputs));
      try {
        assert.equal(summary(lintDocument(cached, options())), summary(lintDocument(fresh, options())), `findings after edit ${i}`);
      } finally {
        cached.dispose();
        fresh.dispose();
      }
      // every third lint, every kept tree forgets its nodes (cells reused later get new node objects)
      if (i % 3 === 0) for (const tree of (cache as unknown as { entries: { tree: { forgetNodes(): void } }[] }).entries) tree.tree.forgetNodes();
      else cache.forgetNewNodes();
    }
    cache.dispose();
  });
});

import { defineRule } from '../core/rule';
import type { NotebookCell } from '../documents/notebook';
import type { PythonUnit } from '../documents/python/unit';
import { codeCells, onCell } from './cells';

/** True when running the cell does something: a statement or a magic, not only comments. */
function hasCode(cell: NotebookCell): boolean {
  if (!('tree' in cell.unit)) return /^\s*[^#\s]/m.test(cell.source);
  const u = cell.unit as PythonUnit;
  return !!u.foreignCellMagic || u.root.namedChildren.some((c) => c && c.type !== 'comment');
}

export default defineRule({
  code: 'N111',
  name: 'unexecuted-cell',
  category: 'notebook-hygiene',
  severity: 'warning',
  appliesTo: ['notebook'],
  docs: {
    summary:
      'A code cell has never been run (no execution count) although code cells before and after it have been: the saved results skip it. Cells with only comments are left alone; the order in which the executed cells ran is R140\'s (notebook-execution-order).',
    why:
      'The outputs saved below this cell were computed without it. Either the cell is dead code, or it changes the data (a filter, a fix, a new column) and the saved results, plots and metrics do not correspond to the notebook as written. Run top to bottom by a colleague or a pipeline, the notebook gives other results, or fails.',
    example: '# cell 3 (run: [3])\ndf = pd.read_parquet(path)\n# cell 4 (never run)\ndf = df[df["amount"] > 0]\n# cell 5 (run: [4])\nmodel.fit(df[features], df["label"])',
    useInstead: 'Delete the cell if it is dead code; otherwise restart the kernel and run all cells before saving.',
    language: 'python',
  },
  check(ctx) {
    const nb = ctx.doc.notebook;
    if (!nb || nb.problem) return;
    // a notebook saved without running any cell (the usual case in an editor) has nothing to compare
    if (!nb.cells.some((c) => c.type === 'code' && c.executionCount !== null)) return;
    const code = codeCells(nb).filter((c) => /\S/.test(c.source));
    const executed = code.map((c) => c.executionCount !== null);
    const firstRun = executed.indexOf(true);
    const lastRun = executed.lastIndexOf(true);
    if (firstRun < 0) return;
    for (let i = firstRun + 1; i < lastRun; i++) {
      const cell = code[i];
      if (executed[i] || !hasCode(cell)) continue;
      ctx.report({
        ...onCell(cell),
        message: 'This cell was never run although the cells around it were: the saved results do not include its effect, so running the notebook top to bottom can give other results.',
      });
    }
  },
});

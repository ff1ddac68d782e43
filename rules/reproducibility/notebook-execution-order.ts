import { defineRule } from '../core/rule';

export default defineRule({
  code: 'R140',
  name: 'notebook-execution-order',
  category: 'reproducibility',
  severity: 'warning',
  appliesTo: ['notebook'],
  docs: {
    summary:
      'A notebook\'s saved execution counts do not increase from top to bottom: a cell ran before a cell above it, so the saved results were not produced by running the notebook in order. Reported once per notebook, on the first cell out of order. (Code cells never run between executed ones are N111, unexecuted-cell.)',
    why:
      'A notebook that was run out of order (a cell edited and re-run after later ones) holds outputs that running it top to bottom may not reproduce: variables came from a state that no cell order on the page produces. Whoever re-runs it — a colleague, a scheduled job, papermill in a pipeline — gets different results or an error.',
    example: 'In [3]: df = load()\nIn [1]: model.fit(df)      # ran before the cell above\nIn [4]: evaluate(model)',
    useInstead: 'Restart the kernel and run all cells (Kernel → Restart & Run All), then save:\nIn [1]: df = load()\nIn [2]: model.fit(df)\nIn [3]: evaluate(model)',
    language: 'text',
  },
  check(ctx) {
    const nb = ctx.doc.notebook;
    if (!nb || nb.problem) return;
    let previous: number | null = null;
    for (const cell of nb.cells) {
      if (cell.type !== 'code' || cell.source.trim() === '' || cell.executionCount === null) continue;
      const count = cell.executionCount;
      if (previous !== null && count <= previous) {
        ctx.report({
          unit: cell.unit,
          start: 0,
          end: cell.unit.lines.lineEnd(0),
          message: `This cell ran as In [${count}], before the cell above it (In [${previous}]): the notebook was executed out of order, so running it top to bottom may not reproduce the saved results. Restart the kernel, run all cells in order and save.`,
        });
        return;
      }
      previous = count;
    }
  },
});

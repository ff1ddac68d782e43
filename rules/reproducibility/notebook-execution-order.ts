import { defineRule } from '../core/rule';

export default defineRule({
  code: 'R140',
  name: 'notebook-execution-order',
  category: 'reproducibility',
  severity: 'warning',
  appliesTo: ['notebook'],
  docs: {
    summary:
      'A notebook\'s saved execution counts do not increase from top to bottom, or a code cell was never run while cells below it were: the saved results were not produced by running the notebook in order. Reported once per notebook, on the first cell out of order.',
    why:
      'A notebook that was run out of order (a cell edited and re-run after later ones, a cell skipped) holds outputs that running it top to bottom may not reproduce: variables came from a cell that no longer says what it did, or from one that was never run. Whoever re-runs it — a colleague, a scheduled job, papermill in a pipeline — gets different results or an error.',
    example: 'In [3]: df = load()\nIn [1]: model.fit(df)      # ran before the cell above\nIn [ ]: df = clean(df)     # never ran\nIn [4]: evaluate(model)',
    useInstead: 'Restart the kernel and run all cells (Kernel → Restart & Run All), then save:\nIn [1]: df = load()\nIn [2]: df = clean(df)\nIn [3]: model.fit(df)\nIn [4]: evaluate(model)',
    language: 'text',
  },
  check(ctx) {
    const nb = ctx.doc.notebook;
    if (!nb || nb.problem) return;
    const code = nb.cells.filter((c) => c.type === 'code' && c.source.trim() !== '');
    const lastExecuted = code.reduce((last, c, i) => (c.executionCount !== null ? i : last), -1);
    let previous: { count: number; index: number } | null = null;
    for (let i = 0; i < code.length; i++) {
      const cell = code[i];
      const count = cell.executionCount;
      let message: string | null = null;
      if (count === null) {
        if (previous && i < lastExecuted) {
          message = `This code cell was never run, but cells above it (In [${previous.count}]) and below it were: the saved results do not come from running the notebook top to bottom. Restart the kernel, run all cells in order and save.`;
        }
      } else {
        if (previous && count <= previous.count) {
          message = `This cell ran as In [${count}], before the cell above it (In [${previous.count}]): the notebook was executed out of order, so running it top to bottom may not reproduce the saved results. Restart the kernel, run all cells in order and save.`;
        }
        previous = { count, index: cell.index };
      }
      if (message) {
        const unit = cell.unit;
        ctx.report({ unit, start: 0, end: unit.lines.lineEnd(0), message });
        return;
      }
    }
  },
});

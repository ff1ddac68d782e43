import { defineRule } from '../core/rule';
import { member, stringValue } from '../documents/json-locate';
import { onCell } from './cells';

export default defineRule({
  code: 'N101',
  name: 'saved-error-output',
  category: 'notebook-hygiene',
  severity: 'warning',
  appliesTo: ['notebook'],
  docs: {
    summary: 'A code cell is saved with an error as its output: the traceback of an exception raised the last time the cell ran.',
    why:
      'The notebook as committed did not run to the end: the results saved below the failing cell come from an earlier state of the kernel, and whoever runs it next (a colleague, papermill, a scheduled job) meets the same exception. A notebook that is shared or run as a pipeline step must be saved after a clean run.',
    example: 'df["price_eur"] = df["price"] * rate\n# saved output: KeyError: \'price\'',
    useInstead: 'Fix the cell, then restart the kernel and run all cells (or `jupyter nbconvert --to notebook --execute --inplace analysis.ipynb`) before saving; strip outputs before committing (`nbstripout`).',
    language: 'python',
  },
  check(ctx) {
    const nb = ctx.doc.notebook;
    if (!nb || nb.problem || !nb.text) return;
    for (const cell of nb.cells) {
      const error = cell.outputs.find((o) => o.type === 'error');
      if (!error) continue;
      // the exception's name only: its value can quote data or credentials (S102 scans it)
      const name = stringValue(nb.text, member(error.node, 'ename'))?.trim();
      const what = name && /^[A-Za-z_][\w.]{0,80}$/.test(name) ? `a \`${name}\`` : 'an exception';
      const interrupted = name === 'KeyboardInterrupt';
      ctx.report({
        ...onCell(cell),
        message: interrupted
          ? 'This cell is saved interrupted (`KeyboardInterrupt`): the committed notebook did not run to the end, so its later results come from another state of the kernel.'
          : `This cell is saved with ${what} traceback: the committed notebook did not run top to bottom, so whoever runs it next meets the same failure.`,
      });
    }
  },
});

import { defineRule } from '../core/rule';
import type { PythonUnit } from '../documents/python/unit';
import { syntaxErrors } from '../reliability/syntax-errors';

export default defineRule({
  code: 'N010',
  name: 'cell-syntax-error',
  category: 'notebook-hygiene',
  severity: 'warning',
  appliesTo: ['notebook'],
  docs: {
    summary: 'A code cell is not valid Python (IPython magics and shell escapes are understood and are not errors).',
    why: 'A notebook that does not run top to bottom cannot be scheduled, parameterised or turned into a pipeline step. The other cells are still analysed.',
    example: 'model.fit(X_train, y_train',
    useInstead: 'model.fit(X_train, y_train)',
  },
  check(ctx) {
    const nb = ctx.doc.notebook;
    if (!nb) return;
    for (const unit of nb.program.units as PythonUnit[]) {
      const first = syntaxErrors(unit)[0];
      if (first) ctx.report({ unit, start: first.start, end: first.end, message: `Cell ${unit.cell} is not valid Python: ${first.message}` });
    }
  },
});

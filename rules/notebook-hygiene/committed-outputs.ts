import { defineRule } from '../core/rule';
import { codeCells, onNotebook, plural } from './cells';
import { isPipelineOutput } from './pipeline-steps';

export default defineRule({
  code: 'N103',
  name: 'committed-outputs',
  category: 'notebook-hygiene',
  severity: 'info',
  appliesTo: ['notebook'],
  docs: {
    summary:
      'The notebook is saved with the outputs of its code cells. Reported once per notebook: as information by default, as a warning for notebooks at the production stage (`stage`/`stages` in mlready.yaml) or run by a pipeline. Notebooks that a pipeline writes (papermill\'s output notebook, a dvc `outs` entry) are expected to carry outputs and are not reported.',
    why:
      'Saved outputs are data: samples of tables, plots, printed credentials, tracebacks, absolute paths of someone\'s machine. Committed with a production notebook they go to every clone and review, make diffs unreadable, and show results that the code as committed may no longer produce.',
    example: '"outputs": [ { "output_type": "execute_result", "data": { "text/html": "<table>…" } } ]',
    useInstead: 'Strip outputs before committing: `nbstripout --install` (a git filter) or `jupyter nbconvert --clear-output --inplace notebook.ipynb`, and keep reports as files produced by the pipeline.',
    language: 'text',
  },
  check(ctx) {
    const nb = ctx.doc.notebook;
    if (!nb || nb.problem || !nb.text) return;
    const withOutputs = codeCells(nb).filter((c) => c.outputs.length > 0);
    if (!withOutputs.length) return;
    const first = withOutputs[0].outputs[0];
    const path = ctx.doc.path;
    ctx.report({
      ...onNotebook(nb, ctx.doc.file, first.start, first.end, withOutputs[0]),
      message: `${plural(withOutputs.length, 'code cell is', 'code cells are')} saved with ${withOutputs.length === 1 ? 'its outputs' : 'their outputs'}: data samples, paths and errors get committed, and the saved results may not match the code.`,
      when: (facts) => !isPipelineOutput(facts, path),
    });
  },
});

import { defineRule } from '../core/rule';
import { codeCells, numberOption, onNotebook } from './cells';

export default defineRule({
  code: 'N108',
  name: 'long-notebook',
  category: 'notebook-hygiene',
  severity: 'info',
  appliesTo: ['notebook'],
  options: { maxCodeCells: 100 },
  docs: {
    summary: 'The notebook has more code cells than `maxCodeCells` (100). Reported once, at the first code cell past the limit.',
    why:
      'A notebook that long mixes several jobs (loading, cleaning, features, training, evaluation, reporting) in one global namespace: nobody can review it, re-running it takes the whole chain, and any cell can depend on state left by any other. It cannot become a pipeline step as it is.',
    example: 'analysis.ipynb   # 180 code cells: ingestion, cleaning, features, 4 models, plots',
    useInstead: '01_ingest.ipynb, 02_features.ipynb, 03_train.ipynb … each short, with the reusable code in a package (src/) that they import and that the pipeline runs directly.',
    language: 'text',
  },
  check(ctx) {
    const nb = ctx.doc.notebook;
    if (!nb || nb.problem) return;
    const max = Math.floor(numberOption(ctx.options, 'maxCodeCells', 100));
    const code = codeCells(nb);
    if (code.length <= max) return;
    const past = code[max];
    ctx.report({
      ...onNotebook(nb, ctx.doc.file, past.start, past.end, past),
      message: `This notebook has ${code.length} code cells (limit ${max}): nobody can review it or run one part of it, and any cell may depend on state from any other; split it and move reusable code into a module.`,
    });
  },
});

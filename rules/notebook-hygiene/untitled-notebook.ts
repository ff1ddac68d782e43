import { defineRule } from '../core/rule';
import { onNotebook } from './cells';

/** Jupyter's and VS Code's default names: `Untitled.ipynb`, `Untitled3.ipynb`, `Untitled-1.ipynb`, `Untitled1-Copy2.ipynb`, `Untitled (2).ipynb`. */
export const UNTITLED = /^untitled(-?\d+)?(-copy\d*)*( ?\(\d+\))?\.ipynb$/i;

export default defineRule({
  code: 'N109',
  name: 'untitled-notebook',
  category: 'notebook-hygiene',
  severity: 'warning',
  appliesTo: ['notebook'],
  docs: {
    summary: 'The notebook still has the default name its editor gave it: `Untitled.ipynb`, `Untitled3.ipynb`, `Untitled-1.ipynb`, `Untitled1-Copy1.ipynb`, `Untitled (2).ipynb`. Names that merely start with "untitled" are left alone.',
    why:
      'A file name is the first documentation of a notebook. An `Untitled` notebook in a repository says nothing about what it computes or whether anything depends on it, so nobody dares to delete it, nobody finds it when they need it, and reviews cannot tell a scratch pad from a report.',
    example: 'notebooks/Untitled3.ipynb',
    useInstead: 'notebooks/03-churn-feature-importance.ipynb   # what it does, numbered in the order to run',
    language: 'text',
  },
  check(ctx) {
    const nb = ctx.doc.notebook;
    if (!nb) return;
    const base = ctx.doc.path.split('/').pop() ?? ctx.doc.path;
    if (!UNTITLED.test(base)) return;
    ctx.report({
      ...onNotebook(nb, ctx.doc.file, 0, 0),
      message: `\`${base}\` is an editor's default name: nobody can tell what this notebook computes or whether anything depends on it; rename it after what it does.`,
    });
  },
});

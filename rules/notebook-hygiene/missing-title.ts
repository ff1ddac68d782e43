import { defineRule } from '../core/rule';
import { onNotebook } from './cells';

/**
 * A Markdown heading: `# Title` (any level), a setext heading (`Title` over `===`), or an HTML
 * `<h1>`…`<h6>`, possibly after a logo or badges (`![logo](…)`, `<img …>`).
 */
function startsWithHeading(source: string): boolean {
  const lines = source.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '');
  let i = 0;
  while (i < lines.length && /^\s*(!\[|\[!\[|<img\b|<p\b|<div\b|<\/|<br\b|<a\b)/i.test(lines[i]) && !/<h[1-6][\s>]/i.test(lines[i])) i++;
  const first = lines[i] ?? '';
  if (/^ {0,3}#{1,6}\s+\S/.test(first)) return true;
  if (/^\s*(<[a-z]+[^>]*>\s*)*<h[1-6][\s>]/i.test(first)) return true;
  return first.trim() !== '' && /^ {0,3}(=+|-+)\s*$/.test(lines[i + 1] ?? '');
}

/** Quarto / Jupyter Book front matter in a raw first cell: `---\ntitle: …\n---`. */
function isTitledFrontMatter(source: string): boolean {
  return /^\s*---\s*[\r\n]/.test(source) && /^title\s*:\s*\S/m.test(source);
}

export default defineRule({
  code: 'N110',
  name: 'missing-title',
  category: 'notebook-hygiene',
  severity: 'info',
  appliesTo: ['notebook'],
  docs: {
    summary:
      'The notebook does not start with a Markdown cell whose first line is a heading (`# Title`, a setext or an HTML heading; a logo or badges may come before it) or with Quarto/Jupyter Book front matter that has a `title:`. Empty cells before it are ignored.',
    why:
      'The title cell says what the notebook is for, what it reads and produces, and how to run it. Without it, readers reverse-engineer the purpose from the code, and rendered views (GitHub, nbviewer, exported reports, papermill runs) start with a bare code cell.',
    example: '# cell 0 (code)\nimport pandas as pd',
    useInstead: '# cell 0 (markdown)\n# Churn model: feature importance\nReads `data/processed/features.parquet`, writes `reports/importance.html`. Run top to bottom.',
    language: 'markdown',
  },
  check(ctx) {
    const nb = ctx.doc.notebook;
    if (!nb || nb.problem || !nb.cells.length) return;
    const first = nb.cells.find((c) => c.source.trim() !== '');
    if (!first) return;
    if (first.type === 'markdown' && startsWithHeading(first.source)) return;
    if (first.type === 'raw' && isTitledFrontMatter(first.source)) return;
    const message =
      first.type === 'markdown'
        ? 'The first Markdown cell does not start with a heading: readers and rendered views get no title saying what this notebook is for and how to run it.'
        : 'The notebook does not start with a Markdown title: readers and rendered views get no statement of what it is for, what it reads and how to run it.';
    ctx.report({ ...onNotebook(nb, ctx.doc.file, first.start, first.end, first), message });
  },
});

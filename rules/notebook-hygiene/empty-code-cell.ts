import { defineRule, type FixSpec } from '../core/rule';
import type { TextUnit } from '../core/units';
import type { NotebookCell, NotebookModel } from '../documents/notebook';
import { attachmentsNode, cellTags, isParametersCell } from './cells';

export default defineRule({
  code: 'N106',
  name: 'empty-code-cell',
  category: 'notebook-hygiene',
  severity: 'info',
  appliesTo: ['notebook'],
  fixable: 'safe',
  docs: {
    summary: 'A code cell has no code: its source is empty or only whitespace. An empty cell tagged `parameters` (papermill\'s placeholder) is left alone.',
    why:
      'Empty cells are leftovers of editing. They add noise to reviews and diffs, shift the cell numbers people refer to, and in a notebook run as a pipeline step they show up as steps that did nothing.',
    example: '# cell 4\n\n# cell 5\nmodel.fit(X_train, y_train)',
    useInstead: '# cell 4\nmodel.fit(X_train, y_train)',
    fixSafety:
      'The fix deletes the cell from the .ipynb file. It is safe: the cell has no code, and it is offered only when the cell also has no saved outputs, no attachments and no tags. Notebooks open in an editor\'s notebook view get no fix (delete the cell there).',
    language: 'python',
  },
  check(ctx) {
    const nb = ctx.doc.notebook;
    if (!nb || nb.problem) return;
    nb.cells.forEach((cell, i) => {
      if (cell.type !== 'code' || cell.source.trim() !== '' || isParametersCell(cell)) return;
      const fix = deleteCellFix(nb, ctx.doc.file, cell, i);
      ctx.report({
        unit: cell.unit,
        start: 0,
        end: cell.source.length,
        message: 'This code cell is empty: it adds noise to reviews and diffs and does nothing when the notebook runs.',
        fixes: fix ? [fix] : [],
      });
    });
  },
});

/** Deletes the cell object and one separating comma from the `cells` array of the .ipynb text. */
function deleteCellFix(nb: NotebookModel, file: TextUnit, cell: NotebookCell, i: number): FixSpec | undefined {
  if (!nb.text || !cell.node || cell.outputs.length || attachmentsNode(cell) || cellTags(cell).length) return undefined;
  const prev = nb.cells[i - 1];
  const next = nb.cells[i + 1];
  // with a cell before it: from the end of that cell (its comma goes); else up to the next cell
  const start = prev ? prev.end : cell.start;
  const end = prev ? cell.end : next ? next.start : cell.end;
  if (!/^\s*,\s*$/.test(nb.text.slice(prev ? prev.end : cell.end, prev ? cell.start : end)) && (prev || next)) return undefined;
  return { title: 'Delete the empty cell', applicability: 'safe', edits: [{ unit: file, start, end, newText: '' }] };
}

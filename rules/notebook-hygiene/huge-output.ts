import { defineRule } from '../core/rule';
import { member } from '../documents/json-locate';
import type { NotebookOutput } from '../documents/notebook';
import { attachmentsNode, bulkiestKind, formatBytes, jsonSize, numberOption, onCell, onNotebook } from './cells';

const MB = 1024 * 1024;

export default defineRule({
  code: 'N102',
  name: 'huge-output',
  category: 'notebook-hygiene',
  severity: 'warning',
  appliesTo: ['notebook'],
  options: { maxCellOutputBytes: 1 * MB, maxNotebookOutputBytes: 5 * MB },
  docs: {
    summary:
      'A cell\'s saved outputs (or a markdown cell\'s pasted images) are larger than `maxCellOutputBytes` (1 MB), or all of the notebook\'s saved outputs, attachments and widget state together are larger than `maxNotebookOutputBytes` (5 MB). Sizes are measured on the .ipynb text, base64 images included.',
    why:
      'Outputs live in the .ipynb file: a plot saved at high resolution, a printed DataFrame of 100 000 rows or a widget\'s state make every clone, diff, code review and CI checkout slower, can exceed repository and GitHub rendering limits, and often contain data that should not leave the data platform.',
    example: 'display(df)          # 200 000 rows rendered as HTML and saved in the notebook\nfig.savefig(buf, dpi=600); display(Image(buf.getvalue()))',
    useInstead:
      'display(df.head(20))  # a sample is enough to read the notebook\nfig.savefig("reports/figures/roc.png", dpi=150)  # large artefacts go to files tracked by DVC or an artefact store\n\n# and strip outputs before committing: nbstripout --install',
    language: 'python',
  },
  check(ctx) {
    const nb = ctx.doc.notebook;
    if (!nb || nb.problem || !nb.text) return;
    const maxCell = numberOption(ctx.options, 'maxCellOutputBytes', 1 * MB);
    const maxNotebook = numberOption(ctx.options, 'maxNotebookOutputBytes', 5 * MB);
    let total = 0;
    let largest: NotebookOutput | undefined;
    let reportedCell = false;
    for (const cell of nb.cells) {
      let size = 0;
      for (const o of cell.outputs) {
        size += jsonSize(o);
        if (!largest || jsonSize(o) > jsonSize(largest)) largest = o;
      }
      const attachments = attachmentsNode(cell);
      size += jsonSize(attachments);
      total += size;
      if (size <= maxCell) continue;
      reportedCell = true;
      const biggest = cell.outputs.reduce<NotebookOutput | undefined>((b, o) => (!b || jsonSize(o) > jsonSize(b) ? o : b), undefined);
      const what = biggest && jsonSize(biggest) >= jsonSize(attachments) ? `mostly ${bulkiestKind(biggest)}` : 'pasted images';
      ctx.report({
        ...onCell(cell),
        message: `This cell's saved ${cell.type === 'code' ? 'outputs take' : 'attachments take'} ${formatBytes(size)} of the .ipynb file (${what}; limit ${formatBytes(maxCell)}): every clone, diff and review of the notebook carries them.`,
      });
    }
    const widgets = member(member(nb.root, 'metadata'), 'widgets');
    total += jsonSize(widgets);
    if (total <= maxNotebook || reportedCell) return;
    const at = largest ?? widgets;
    const where = at ? onNotebook(nb, ctx.doc.file, at.start, at.end) : onNotebook(nb, ctx.doc.file, 0, 0);
    ctx.report({
      ...where,
      message: `The notebook's saved outputs${widgets ? ', attachments and widget state' : ' and attachments'} take ${formatBytes(total)} of the .ipynb file (limit ${formatBytes(maxNotebook)}): every clone, diff and review of the notebook carries them.`,
    });
  },
});

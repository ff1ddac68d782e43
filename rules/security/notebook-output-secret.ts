import { isTestPath } from '../core/config';
import { defineRule, type FixSpec } from '../core/rule';
import type { NotebookCell, NotebookModel } from '../documents/notebook';
import type { TextUnit } from '../core/units';
import { isFormatKind } from './python-secrets';
import { describeSecret, notebookOutputSecrets } from './secrets';

const MIME_WORDS: Record<string, string> = {
  stream: 'printed output',
  traceback: 'saved traceback',
  'error value': 'saved error',
  'text/plain': 'saved result',
  'text/html': 'saved HTML output',
  'text/markdown': 'saved Markdown output',
};

/** The first non-blank line of the cell's source: where the finding is shown in the editor. */
function anchor(cell: NotebookCell): { start: number; end: number } {
  const lines = cell.unit.lines;
  for (let i = 0; i < lines.lineCount; i++) {
    const t = lines.lineText(i);
    if (t.trim()) {
      const start = lines.lineStart(i) + (t.length - t.trimStart().length);
      return { start, end: lines.lineStart(i) + t.trimEnd().length };
    }
  }
  return { start: 0, end: 0 };
}

/** One edit on the .ipynb text that drops the given outputs of a cell (all of them: `"outputs": []`). */
function dropOutputsFix(nb: NotebookModel, file: TextUnit, cell: NotebookCell, drop: Set<number>): FixSpec | undefined {
  const outputs = cell.outputs;
  if (!outputs.length || !nb.text) return undefined;
  const text = nb.text;
  let open = outputs[0].start - 1;
  while (open >= 0 && /\s/.test(text[open])) open--;
  let close = outputs[outputs.length - 1].end;
  while (close < text.length && /\s/.test(text[close])) close++;
  if (text[open] !== '[' || text[close] !== ']') return undefined;
  const kept = outputs.filter((_, i) => !drop.has(i));
  const all = kept.length === 0;
  let edit;
  if (all) edit = { unit: file, start: open, end: close + 1, newText: '[]' };
  else {
    const separator = outputs.length > 1 ? text.slice(outputs[0].end, outputs[1].start) : ',\n';
    edit = { unit: file, start: outputs[0].start, end: outputs[outputs.length - 1].end, newText: kept.map((o) => text.slice(o.start, o.end)).join(separator) };
  }
  return {
    title: all ? `Clear the saved outputs of cell ${cell.index}` : `Remove the saved outputs of cell ${cell.index} that show a credential`,
    applicability: 'unsafe',
    edits: [edit],
  };
}

export default defineRule({
  code: 'S102',
  name: 'secret-in-notebook-output',
  category: 'security',
  severity: 'error',
  appliesTo: ['notebook'],
  fixable: 'unsafe',
  docs: {
    summary:
      'A saved output of a notebook cell (printed text, a result, HTML, a traceback) shows a credential: a provider key, a private key, a JWT, a password in a URL or connection string, or a secret-looking value printed next to a secret-like name.',
    why:
      'Outputs are saved in the .ipynb file, so a token printed once while debugging is committed, rendered on GitHub, exported to HTML and shared with the notebook. The code cell may read the secret correctly from the environment and still leak it through `print` or a traceback. Images and base64 data are not scanned; masked values (`sk-****`) are not reported.',
    example: 'print("connecting with token", os.environ["GH_TOKEN"])\n# saved output: connecting with token ghp_…',
    useInstead: 'log.info("connecting to GitHub as %s", user)  # never print the credential; clear outputs before committing (nbstripout)',
    fixSafety:
      'Unsafe: the fix deletes the outputs that show the credential (all of the cell\'s outputs when each of them does) from the .ipynb file; other outputs of the notebook are kept. Deleted outputs are gone until the cell runs again, and the credential stays in the repository history: revoke it in any case.',
  },
  check(ctx) {
    const nb = ctx.doc.notebook;
    if (!nb || nb.problem) return;
    const inTests = isTestPath(ctx.config, ctx.doc.path);
    const found = notebookOutputSecrets(nb).filter((f) => !inTests || isFormatKind(f.match));
    const byCell = new Map<number, Set<number>>();
    for (const f of found) {
      let set = byCell.get(f.cell.index);
      if (!set) byCell.set(f.cell.index, (set = new Set()));
      set.add(f.outputIndex);
    }
    const fixes = new Map<number, FixSpec | undefined>();
    for (const f of found) {
      if (!fixes.has(f.cell.index)) fixes.set(f.cell.index, dropOutputsFix(nb, ctx.doc.file, f.cell, byCell.get(f.cell.index)!));
      const fix = fixes.get(f.cell.index);
      const { start, end } = anchor(f.cell);
      ctx.report({
        unit: f.cell.unit,
        start,
        end,
        message: `The ${MIME_WORDS[f.mime] ?? `saved ${f.mime} output`} of this cell shows a credential, ${describeSecret(f.match)}: the .ipynb file keeps it for everyone who opens, renders or clones the notebook. Revoke it, clear the output, and do not print credentials.`,
        fixes: fix ? [fix] : [],
      });
    }
  },
});

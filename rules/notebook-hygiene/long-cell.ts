import { defineRule } from '../core/rule';
import type { PythonUnit } from '../documents/python/unit';
import { numberOption, onCell } from './cells';

export default defineRule({
  code: 'N107',
  name: 'long-cell',
  category: 'notebook-hygiene',
  severity: 'info',
  appliesTo: ['notebook'],
  options: { maxLines: 60 },
  docs: {
    summary: 'A code cell has more lines than `maxLines` (60), blank lines at its end not counted. Cells that are not Python (`%%bash`, `%%sql`, `%%writefile`) are left alone.',
    why:
      'A long cell is a program without its structure: its intermediate state cannot be inspected, it cannot be tested or reused, and when it fails halfway the kernel keeps half of its effects. Code that long belongs in functions of a module that the notebook imports, where it can be tested and run by a pipeline.',
    example: '# one cell of 150 lines: load, clean, engineer features, train, evaluate, plot',
    useInstead: 'from churn.features import build_features\nfrom churn.train import train_model\n\nfeatures = build_features(raw)\nmodel, metrics = train_model(features, params)',
    language: 'python',
  },
  check(ctx) {
    const nb = ctx.doc.notebook;
    const program = ctx.doc.python;
    if (!nb || nb.problem || !program) return;
    const max = Math.floor(numberOption(ctx.options, 'maxLines', 60));
    for (const unit of program.units as PythonUnit[]) {
      if (unit.foreignCellMagic) continue;
      const lines = linesWithoutTrailingBlanks(unit);
      if (lines <= max) continue;
      const cell = nb.cells.find((c) => c.unit === unit);
      ctx.report({
        ...(cell ? onCell(cell) : { unit, start: 0, end: 0 }),
        message: `This cell has ${lines} lines (limit ${max}): its steps cannot be tested, reused or inspected one by one; move them into functions of a module.`,
      });
    }
  },
});

/**
 * Lines of the unit's text once trailing whitespace is removed, as `text.trimEnd()` split at
 * \r\n, \r or \n would count them: read from the unit's line index instead of copying the text.
 */
function linesWithoutTrailingBlanks(unit: PythonUnit): number {
  const text = unit.text;
  let end = text.length;
  while (end > 0 && isBlank(text.charCodeAt(end - 1))) end--;
  // the character before `end` is not blank, so no line break straddles it
  return unit.lines.lineOf(end) + 1;
}

/** `\s` of a regular expression, for one UTF-16 code unit. */
function isBlank(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  return c > 127 && /\s/.test(String.fromCharCode(c));
}

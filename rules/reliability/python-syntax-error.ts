import { defineRule } from '../core/rule';
import type { PythonUnit } from '../documents/python/unit';
import { syntaxErrors } from './syntax-errors';

export default defineRule({
  code: 'L002',
  name: 'python-syntax-error',
  category: 'reliability',
  severity: 'error',
  appliesTo: ['python'],
  docs: {
    summary: 'A Python file does not parse.',
    why: 'The module fails at import time, so the pipeline step or service that uses it fails before doing anything. mlready still checks the parts it could read.',
    example: 'def train(df):\n    model.fit(df.drop(columns=["y"]), df["y"]',
    useInstead: 'def train(df):\n    model.fit(df.drop(columns=["y"]), df["y"])',
  },
  check(ctx) {
    if (ctx.doc.kind !== 'python' || !ctx.doc.python) return;
    const unit = ctx.doc.python.units[0] as PythonUnit;
    for (const e of syntaxErrors(unit).slice(0, 3)) ctx.report({ unit, start: e.start, end: e.end, message: `Syntax error: ${e.message}` });
  },
});

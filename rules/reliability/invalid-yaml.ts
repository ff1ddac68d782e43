import { defineRule } from '../core/rule';

export default defineRule({
  code: 'L001',
  name: 'invalid-yaml',
  category: 'reliability',
  severity: 'error',
  appliesTo: ['yaml'],
  docs: {
    summary: 'A YAML file cannot be read: a syntax error, nesting too deep to analyse, or an alias that expands without bound.',
    why: 'The scheduler, CI system or cluster that reads this file rejects it too, so the pipeline never starts, and no other rule can check it.',
    example: 'stages:\n  train:\n    cmd: python train.py\n     deps: [data.csv]',
    useInstead: 'stages:\n  train:\n    cmd: python train.py\n    deps: [data.csv]',
    language: 'yaml',
  },
  check(ctx) {
    for (const p of (ctx.doc.yaml?.problems ?? []).slice(0, 5)) ctx.report({ unit: ctx.doc.file, start: p.start, end: p.end, message: p.message });
  },
});

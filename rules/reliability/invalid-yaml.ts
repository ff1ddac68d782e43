import { CONFIG_FILE_NAMES } from '../core/config';
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
    // the workspace's own mlready.yaml is reported by G001, which also says the defaults are used
    if (CONFIG_FILE_NAMES.includes(ctx.doc.path)) return;
    // one finding per line: the parser often reports one mistake several times
    const lines = new Set<number>();
    for (const p of ctx.doc.yaml?.problems ?? []) {
      const line = ctx.doc.file.lines.lineOf(p.start);
      if (lines.has(line)) continue;
      lines.add(line);
      ctx.report({ unit: ctx.doc.file, start: p.start, end: p.end, message: p.message.replace(/[.\s]*$/, '.') });
      if (lines.size >= 5) break;
    }
  },
});

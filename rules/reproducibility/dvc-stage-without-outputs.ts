import { defineRule } from '../core/rule';
import { dvcStages, scriptsOf } from './dvc';

const TRAINING = /(^|[^a-z])(train|training|fit|finetune|fine_tune|fine-tune|retrain)([^a-z]|$)/i;

export default defineRule({
  code: 'R131',
  name: 'dvc-stage-without-outputs',
  category: 'reproducibility',
  severity: 'warning',
  appliesTo: ['yaml'],
  docs: {
    summary: 'A training stage in `dvc.yaml` (its name or its script says train/fit) declares neither `outs` nor `metrics`.',
    why:
      'A stage without outputs is never cached and its results are never versioned: the model it writes is an untracked file, `dvc.lock` records nothing about it, `dvc push` does not store it, and nobody can fetch the exact model that a commit produced. Without `metrics`, `dvc metrics diff` cannot compare runs.',
    example: 'stages:\n  train:\n    cmd: python src/train.py\n    deps:\n      - src/train.py\n      - data/features.parquet',
    useInstead:
      'stages:\n  train:\n    cmd: python src/train.py\n    deps:\n      - src/train.py\n      - data/features.parquet\n    outs:\n      - models/model.pkl\n    metrics:\n      - metrics.json:\n          cache: false',
    language: 'yaml',
  },
  check(ctx) {
    for (const stage of dvcStages(ctx.doc)) {
      if (stage.outs.length || stage.metrics.length || stage.plots.length) continue;
      const scripts = stage.cmds.flatMap((c) => scriptsOf(c.value as string, stage.wdir));
      const training = TRAINING.test(stage.name) || scripts.some((s) => TRAINING.test(s.path.split('/').pop() ?? ''));
      if (!training) continue;
      const [start, end] = stage.key.range ?? [0, 0];
      ctx.report({
        unit: ctx.doc.file,
        start,
        end,
        message: `Training stage \`${stage.name}\` declares no \`outs\` or \`metrics\`: the model it produces is neither cached nor versioned. Add the model file under \`outs:\` and the evaluation file under \`metrics:\`.`,
      });
    }
  },
});

import { defineRule } from '../core/rule';
import { covers, dvcStages, scriptsOf } from './dvc';
import { scalarOffsets } from './yaml-text';

export default defineRule({
  code: 'R130',
  name: 'dvc-script-not-in-deps',
  category: 'reproducibility',
  severity: 'warning',
  appliesTo: ['yaml'],
  docs: {
    summary: 'A `dvc.yaml` stage\'s `cmd` runs a script (`python src/train.py`, `python -m pkg.train`, `Rscript`, `./run.sh`, `papermill nb.ipynb`) that is not among the stage\'s `deps`, neither as a file nor through a folder that contains it.',
    why:
      'DVC decides whether a stage is up to date from the hashes of its dependencies. When the script itself is not a dependency, editing the training code does not invalidate the stage: `dvc repro` reports everything up to date and keeps serving the outputs of the old code, and `dvc.lock` no longer says which code produced the model.',
    example: 'stages:\n  train:\n    cmd: python src/train.py\n    deps:\n      - data/features.parquet\n    outs:\n      - models/model.pkl',
    useInstead: 'stages:\n  train:\n    cmd: python src/train.py\n    deps:\n      - src/train.py\n      - data/features.parquet\n    outs:\n      - models/model.pkl',
    language: 'yaml',
  },
  check(ctx) {
    for (const stage of dvcStages(ctx.doc)) {
      for (const cmd of stage.cmds) {
        const map = scalarOffsets(ctx.doc.text, cmd);
        for (const script of scriptsOf(cmd.value as string, stage.wdir)) {
          const covered = stage.deps.some((d) => covers(d, script.path) || (script.module !== undefined && covers(d, script.module)));
          if (covered) continue;
          const [start, end] = map ? [map(script.start), map(script.end - 1) + 1] : [cmd.range![0], cmd.range![1]];
          ctx.report({
            unit: ctx.doc.file,
            start,
            end,
            message: `Stage \`${stage.name}\` runs \`${script.word}\` but its \`deps\` do not list it: \`dvc repro\` will not re-run the stage when the code changes. Add \`- ${script.path.slice(stage.wdir.length) || script.path}\` to the stage's deps.`,
          });
        }
      }
    }
  },
});

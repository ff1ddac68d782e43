import { defineRule } from '../core/rule';
import { yget } from '../documents/yaml-nodes';
import { isPair, isMap } from 'yaml';
import { dirOf, dvcStages } from './dvc';

export default defineRule({
  code: 'R133',
  name: 'dvc-lock-missing',
  category: 'reproducibility',
  severity: 'warning',
  appliesTo: ['yaml'],
  docs: {
    summary: 'A `dvc.yaml` with stages has no `dvc.lock` next to it in the project.',
    why:
      '`dvc.lock` records the exact hash of every dependency, parameter and output of the last run. Without it in version control, a commit says which pipeline to run but not which data, code and parameters produced the model it ships; `dvc pull` cannot fetch the outputs and `dvc repro` has nothing to compare with.',
    example: 'dvc.yaml   # committed\n(no dvc.lock)',
    useInstead: 'dvc repro          # writes dvc.lock\ngit add dvc.yaml dvc.lock',
    language: 'text',
  },
  check(ctx) {
    const stages = dvcStages(ctx.doc);
    if (!stages.length) return;
    const lock = `${dirOf(ctx.doc.path)}dvc.lock`;
    let keyRange: [number, number] = [0, 0];
    for (const { doc } of ctx.doc.yaml!.documents) {
      if (!isMap(doc.contents) || !yget(doc.contents, 'stages')) continue;
      const pair = doc.contents.items.find((p) => isPair(p) && (p.key as { value?: unknown })?.value === 'stages');
      const r = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
      if (r) keyRange = [r[0], r[1]];
    }
    ctx.report({
      unit: ctx.doc.file,
      start: keyRange[0],
      end: keyRange[1],
      message: `\`${ctx.doc.path}\` defines ${stages.length} stage${stages.length > 1 ? 's' : ''} but there is no \`${lock}\`: the hashes of the data, code and params of the last run are not recorded. Run \`dvc repro\` and commit \`${lock}\`.`,
      when: (facts) => !facts.paths.has(lock),
    });
  },
});

import { defineRule } from '../core/rule';
import { yget, ystring } from '../documents/yaml-nodes';
import { readableDocuments, workloadOf } from './workloads';
import { insertIntoMap } from './yaml-edit';

export default defineRule({
  code: 'L207',
  name: 'cron-without-concurrency-policy',
  category: 'reliability',
  severity: 'warning',
  appliesTo: ['yaml'],
  fixable: 'unsafe',
  docs: {
    summary: 'A Kubernetes `CronJob` or an Argo `CronWorkflow` has no `concurrencyPolicy`, so a new run starts while the previous one is still running (the default is `Allow`).',
    why:
      'Scheduled retraining, batch scoring and feature backfills get slower as data grows. The day a run takes longer than the schedule\'s interval, the next one starts beside it: two trainings write the same model path, two scorings append the same rows twice, and both compete for the same GPUs, which makes each slower still. `Forbid` skips a run while one is active; `Replace` stops the old one.',
    example: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly-retrain\nspec:\n  schedule: "0 2 * * *"\n  jobTemplate:\n    spec: …',
    useInstead: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly-retrain\nspec:\n  schedule: "0 2 * * *"\n  concurrencyPolicy: Forbid\n  jobTemplate:\n    spec: …',
    fixSafety: 'Unsafe: the fix adds `concurrencyPolicy: Forbid` after `schedule`: a run that is due while the previous one is still active is skipped, so a slow run delays the next refresh by one interval.',
    language: 'yaml',
  },
  check(ctx) {
    if (!ctx.doc.yaml) return;
    const unit = ctx.doc.file;
    for (const { doc, kind } of readableDocuments(ctx.doc.yaml)) {
      if (kind !== 'kubernetes' && kind !== 'argo' && kind !== 'kubeflow') continue;
      const w = workloadOf(kind, doc.contents);
      if (!w || !w.spec) continue;
      const api = ystring(yget(w.root, 'apiVersion')) ?? '';
      const cron = (w.resourceKind === 'CronJob' && api.startsWith('batch/')) || (w.resourceKind === 'CronWorkflow' && api.startsWith('argoproj.io/'));
      if (!cron || yget(w.spec, 'concurrencyPolicy') !== undefined) continue;
      const edit = insertIntoMap(unit, doc.contents, w.spec, { concurrencyPolicy: 'Forbid' }, { after: ['schedule', 'schedules', 'timezone', 'timeZone'] });
      const at = w.anchor.range!;
      ctx.report({
        unit,
        start: at[0],
        end: at[1],
        message: `${w.resourceKind} \`${w.name}\` has no \`concurrencyPolicy\` (the default is \`Allow\`): when a run outlasts the schedule's interval the next one starts beside it, and both write the same outputs. Set \`concurrencyPolicy: Forbid\` (or \`Replace\`).`,
        fixes: edit ? [{ title: 'Add `concurrencyPolicy: Forbid`', applicability: 'unsafe', edits: [edit] }] : [],
      });
    }
  },
});

import { isMap } from 'yaml';
import { defineRule, type RuleContext } from '../core/rule';
import { yget } from '../documents/yaml-nodes';
import { airflowDags, settingEdits } from './airflow';
import { chainEdit, kfpTasks, RETRY_METHODS } from './kfp-dsl';
import { pipelineIr } from './kfp-ir';
import { argoWorkflowSpec, containerSites, readableDocuments } from './workloads';
import { insertIntoMap } from './yaml-edit';

export const ARGO_RETRY = { limit: '2', retryPolicy: 'Always', backoff: { duration: '30s', factor: '2', maxDuration: '10m' } };

export default defineRule({
  code: 'L203',
  name: 'missing-retry-policy',
  category: 'reliability',
  severity: 'warning',
  appliesTo: ['yaml', 'python'],
  fixable: 'unsafe',
  docs: {
    summary:
      'A pipeline step that runs a container or an Airflow task has no retry policy: an Argo (or compiled Kubeflow v1) container/script template with no `retryStrategy` (on the template, `templateDefaults` or the workflow), a Kubeflow v2 task with no `retryPolicy`, a task of a Kubeflow Python pipeline with no `.set_retry()` (`train(…).set_retry(num_retries=2, backoff_duration="60s")`), an Airflow DAG whose tasks have no `retries` in `default_args` or on the operator (`default_args = {"retries": 2, "retry_delay": timedelta(minutes=5)}`). Retries configured outside the files (`default_task_retries` in airflow.cfg) are not seen.',
    why:
      'Batch steps fail for reasons unrelated to their code: a preempted spot node, an evicted pod, a registry or object-store hiccup, a database connection reset. Without a retry the whole pipeline fails at the first one, at night, and someone reruns it by hand in the morning — or the model is not refreshed at all. A bounded retry with backoff absorbs these; the step\'s own failures still fail after the last attempt.',
    example: 'templates:\n  - name: train\n    container:\n      image: registry.example.com/churn-train:1.4.0\n      command: [python, src/train.py]',
    useInstead:
      'templates:\n  - name: train\n    retryStrategy:\n      limit: "2"\n      retryPolicy: Always\n      backoff:\n        duration: 30s\n        factor: "2"\n        maxDuration: 10m\n    container:\n      image: registry.example.com/churn-train:1.4.0\n      command: [python, src/train.py]',
    fixSafety:
      'Unsafe: the fix adds a `retryStrategy` (2 retries, `retryPolicy: Always`, exponential backoff from 30 s capped at 10 min) to the Argo template, chains `.set_retry(num_retries=2, backoff_duration="60s")` on the Kubeflow task, or adds `"retries": 2` to the DAG\'s `default_args` (or `retries=2` to each task when there is no `default_args` dict). A step that is not idempotent (it appends to a table, sends notifications, deploys) can then run its side effects twice. Compiled Kubeflow v2 files get no fix.',
    language: 'yaml',
  },
  check(ctx) {
    if (ctx.doc.yaml) checkYaml(ctx);
    if (ctx.doc.python) checkPython(ctx);
  },
});

function checkYaml(ctx: RuleContext): void {
  const unit = ctx.doc.file;
  for (const { doc, kind } of readableDocuments(ctx.doc.yaml!)) {
    const root = doc.contents;
    const seen = new Set<unknown>();
    for (const site of containerSites(kind, root)) {
      if (!site.template || seen.has(site.template)) continue;
      seen.add(site.template);
      const spec = argoWorkflowSpec(site.workload);
      if (yget(site.template, 'retryStrategy') !== undefined || yget(spec, 'retryStrategy') !== undefined || yget(yget(spec, 'templateDefaults'), 'retryStrategy') !== undefined) continue;
      const w = site.workload;
      const edit = w.compiled || !isMap(site.template) ? undefined : insertIntoMap(unit, root, site.template, { retryStrategy: ARGO_RETRY }, { after: ['name'] });
      ctx.report({
        unit,
        start: site.anchor[0],
        end: site.anchor[1],
        message: w.compiled
          ? `Step \`${site.name}\` of the compiled Kubeflow pipeline \`${w.name}\` has no retry policy: one preempted node or transient error fails the whole run. Call \`.set_retry(num_retries=2)\` on the task in the pipeline's Python source and recompile.`
          : `Template \`${site.name}\` of ${w.resourceKind} \`${w.name}\` has no \`retryStrategy\`: one preempted node, evicted pod or transient network error fails the whole workflow. Add a bounded retry with backoff.`,
        fixes: edit ? [{ title: `Add a retryStrategy (2 retries with backoff) to \`${site.name}\``, applicability: 'unsafe', edits: [edit] }] : [],
      });
    }
    const ir = pipelineIr(kind, root);
    for (const task of ir?.tasks ?? []) {
      if (!task.executor || yget(task.map, 'retryPolicy') !== undefined) continue;
      ctx.report({
        unit,
        start: task.key.range![0],
        end: task.key.range![1],
        message: `Task \`${task.name}\` has no \`retryPolicy\`: one preempted node or transient error fails the whole pipeline run. This file is compiled: call \`.set_retry(num_retries=2, backoff_duration="60s")\` on the task in the pipeline's Python source and recompile.`,
      });
    }
  }
}

function checkPython(ctx: RuleContext): void {
  const program = ctx.doc.python!;
  for (const task of kfpTasks(program)) {
    if (task.unknown || RETRY_METHODS.some((m) => task.methods.has(m))) continue;
    const chain = '.set_retry(num_retries=2, backoff_duration="60s")';
    const fn = task.call.node.childForFieldName('function') ?? task.call.node;
    ctx.report({
      unit: task.unit,
      start: fn.startIndex,
      end: fn.endIndex,
      message: `Pipeline task \`${task.component}(…)\` has no retry policy: one preempted node or transient error fails the whole pipeline run. Chain \`${chain}\`.`,
      fixes: [{ title: `Chain \`${chain}\` on the task`, applicability: 'unsafe', edits: [chainEdit(task, chain)] }],
    });
  }
  for (const dag of airflowDags(program)) {
    if (!dag.defaultKeys || dag.defaultKeys.has('retries')) continue;
    const bare = dag.tasks.filter((t) => !t.keywords.has('retries'));
    if (!bare.length) continue;
    const edits = settingEdits(program, dag, bare, 'retries', () => ({ text: '2', edits: [] }));
    const names = bare.slice(0, 3).map((t) => `\`${t.label}\``).join(', ') + (bare.length > 3 ? ` and ${bare.length - 3} more` : '');
    ctx.report({
      unit: dag.unit,
      start: dag.anchor.startIndex,
      end: dag.anchor.endIndex,
      message: `DAG \`${dag.name}\` runs ${bare.length === dag.tasks.length ? 'all its tasks' : `${bare.length} of its ${dag.tasks.length} tasks`} (${names}) with no retries: Airflow's default is 0, so one transient error fails the run. Set \`"retries"\` (and \`"retry_delay"\`) in \`default_args\`.`,
      fixes: edits ? [{ title: dag.defaultDict ? 'Add `"retries": 2` to default_args' : `Pass \`retries=2\` to ${bare.length === 1 ? 'the task' : `the ${bare.length} tasks`}`, applicability: 'unsafe', edits }] : [],
    });
  }
}

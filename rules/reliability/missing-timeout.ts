import { isMap, isScalar, type Scalar, type YAMLMap } from 'yaml';
import { defineRule, type EditSpec, type FixSpec, type RuleContext } from '../core/rule';
import type { YamlKind } from '../documents/yaml-kind';
import { yentries, yget, ygetIn, yitems, ystring } from '../documents/yaml-nodes';
import { appendArgument } from '../security/call-edits';
import { airflowDags, settingEdits, timedeltaExpr } from './airflow';
import { ciJobs, purposeOf } from './ci';
import { argoWorkflowSpec, containerSites, readableDocuments, workloadOf } from './workloads';
import { ensureEntries, insertIntoMap } from './yaml-edit';

export const DEFAULT_DEADLINE_SECONDS = 86400;

export default defineRule({
  code: 'L204',
  name: 'missing-timeout',
  category: 'reliability',
  severity: 'warning',
  appliesTo: ['yaml', 'python'],
  fixable: 'unsafe',
  docs: {
    summary:
      'A batch step can run forever: an Argo workflow with no `activeDeadlineSeconds`, a Kubernetes Job or CronJob with no `activeDeadlineSeconds`, a Kubeflow training job with no `runPolicy.activeDeadlineSeconds`, a GitHub Actions job that trains, evaluates or deploys with no `timeout-minutes`, an Azure ML command or sweep job with no `limits.timeout`, a Vertex AI custom job with no `scheduling.timeout`, an Airflow DAG with no `execution_timeout`/`dagrun_timeout`, a SageMaker estimator with no `max_run` (or processor with no `max_runtime_in_seconds`).',
    why:
      'A step that hangs — a dead data-loader worker, a deadlock in distributed training, a download that never completes — holds its nodes and GPUs until someone notices, blocks the next scheduled run, and reports nothing, because nothing failed. A deadline turns a hang into a failure that alerts and retries. Platform defaults are far away or absent: Kubernetes and Argo have none, GitHub Actions stops a job after 6 hours, Vertex AI after 7 days, SageMaker after 24 hours.',
    example: 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: churn-train\nspec:\n  backoffLimit: 2\n  template:\n    spec:\n      containers:\n        - name: train\n          image: registry.example.com/churn-train:1.4.0',
    useInstead:
      'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: churn-train\nspec:\n  backoffLimit: 2\n  activeDeadlineSeconds: 14400\n  template:\n    spec:\n      containers:\n        - name: train\n          image: registry.example.com/churn-train:1.4.0\n\n# GitHub Actions\njobs:\n  train:\n    runs-on: ubuntu-latest\n    timeout-minutes: 120',
    fixSafety:
      'Unsafe: the fix adds a deadline of 24 hours (`activeDeadlineSeconds: 86400`, `limits.timeout: 86400`, `scheduling.timeout: 86400s`), `timeout-minutes` of 120/60/30 for a GitHub Actions job that trains/evaluates/deploys, `execution_timeout=timedelta(hours=6)` for Airflow tasks, or `max_run` equal to SageMaker\'s own 24-hour default. A step that legitimately runs longer is then killed: set the deadline from the step\'s real duration.',
    language: 'yaml',
  },
  check(ctx) {
    if (ctx.doc.yaml) checkYaml(ctx);
    if (ctx.doc.python) checkPython(ctx);
  },
});

function fixOf(title: string, edit: EditSpec | EditSpec[] | undefined | null): FixSpec[] {
  if (!edit || (Array.isArray(edit) && !edit.length)) return [];
  return [{ title, applicability: 'unsafe', edits: Array.isArray(edit) ? edit : [edit] }];
}

function has(map: unknown, key: string): boolean {
  const v = yget(map, key);
  return v !== undefined && !(isScalar(v) && v.value === null);
}

function checkYaml(ctx: RuleContext): void {
  const unit = ctx.doc.file;
  for (const { doc, kind } of readableDocuments(ctx.doc.yaml!)) {
    const root = doc.contents;
    checkKubernetes(ctx, kind, root);
    if (kind === 'github-actions') {
      for (const job of ciJobs(kind, root)) {
        if (job.reusable || has(job.map, 'timeout-minutes') || job.opaque) continue;
        const p = purposeOf(job);
        const runner = JSON.stringify(ystring(yget(job.map, 'runs-on')) ?? yitems(yget(job.map, 'runs-on')).map((n) => ystring(n)));
        const gpuRunner = /gpu|self-hosted/i.test(runner);
        if (!(p.train || (p.deploy && p.model) || (p.evaluate && p.model) || gpuRunner)) continue;
        const minutes = p.train || gpuRunner ? 120 : p.evaluate ? 60 : 30;
        const what = p.train ? 'trains' : p.deploy ? 'deploys' : p.evaluate ? 'evaluates' : 'runs on a self-hosted or GPU runner';
        const edit = insertIntoMap(unit, root, job.map, { 'timeout-minutes': minutes }, { after: ['runs-on', 'environment', 'needs', 'name'] });
        ctx.report({
          unit,
          start: job.key.range![0],
          end: job.key.range![1],
          message: `Job \`${job.id}\` ${what} with no \`timeout-minutes\`: a hung step holds the runner for GitHub's default of 6 hours (forever on some self-hosted runners). Set \`timeout-minutes\` from the job's real duration.`,
          fixes: fixOf(`Add \`timeout-minutes: ${minutes}\` to \`${job.id}\``, edit),
        });
      }
    }
    if (kind === 'azureml') checkAzure(ctx, root);
    if (kind === 'vertex') {
      const spec = isMap(yget(root, 'jobSpec')) ? (yget(root, 'jobSpec') as YAMLMap) : isMap(root) && yget(root, 'workerPoolSpecs') ? root : undefined;
      if (spec && !has(yget(spec, 'scheduling'), 'timeout')) {
        const anchor = (yget(root, 'displayName') ?? yget(spec, 'workerPoolSpecs')) as Scalar;
        const key = isMap(root) ? root.items.find((p) => p.value === anchor)?.key as Scalar | undefined : undefined;
        const at = isScalar(anchor) && anchor.range ? anchor.range : key?.range;
        if (at) {
          ctx.report({
            unit,
            start: at[0],
            end: at[1],
            message: 'Vertex AI custom job with no `scheduling.timeout`: a hung worker runs (and is billed) for up to 7 days. Set a timeout from the job\'s real duration.',
            fixes: fixOf('Add `scheduling.timeout: 86400s`', ensureEntries(unit, root, spec, ['scheduling'], { timeout: `${DEFAULT_DEADLINE_SECONDS}s` }, { after: ['workerPoolSpecs'] })),
          });
        }
      }
    }
  }
}

function checkKubernetes(ctx: RuleContext, kind: YamlKind, root: unknown): void {
  const unit = ctx.doc.file;
  const w = workloadOf(kind, root);
  if (!w || !w.spec) return;
  const api = ystring(yget(w.root, 'apiVersion')) ?? '';
  const at = w.anchor.range!;
  if (api.startsWith('argoproj.io/') && ['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow'].includes(w.resourceKind)) {
    const spec = argoWorkflowSpec(w);
    if (!spec || has(spec, 'activeDeadlineSeconds')) return;
    const defaults = yget(spec, 'templateDefaults');
    if (has(defaults, 'activeDeadlineSeconds') || has(defaults, 'timeout')) return;
    const templates = [...new Set(containerSites(kind, root).filter((s) => s.template && s.role === 'main').map((s) => s.template!))];
    if (!templates.length || templates.every((t) => has(t, 'activeDeadlineSeconds') || has(t, 'timeout'))) return;
    const message = w.compiled
      ? `Compiled Kubeflow pipeline \`${w.name}\` has no deadline: a hung step holds its nodes until someone notices. Set \`dsl.get_pipeline_conf().set_timeout(…)\` (or \`.set_timeout()\` on the tasks) in the pipeline source and recompile.`
      : `${w.resourceKind} \`${w.name}\` has no \`activeDeadlineSeconds\` (on the workflow or its steps): a hung step holds its pods and GPUs until someone notices${w.resourceKind === 'CronWorkflow' ? ', and the next scheduled run starts beside it' : ''}. Set a deadline from the workflow's real duration.`;
    ctx.report({ unit, start: at[0], end: at[1], message, fixes: w.compiled ? [] : fixOf(`Add \`activeDeadlineSeconds: ${DEFAULT_DEADLINE_SECONDS}\` to the workflow spec`, insertIntoMap(unit, root, spec, { activeDeadlineSeconds: DEFAULT_DEADLINE_SECONDS }, { after: ['entrypoint', 'serviceAccountName'], before: ['templates'] })) });
    return;
  }
  if (w.resourceKind === 'Job' && api.startsWith('batch/')) {
    if (has(w.spec, 'activeDeadlineSeconds')) return;
    ctx.report({
      unit,
      start: at[0],
      end: at[1],
      message: `Job \`${w.name}\` has no \`activeDeadlineSeconds\`: a hung training or batch step holds its node (and GPU) forever; \`backoffLimit\` only counts failures. Set a deadline from the job's real duration.`,
      fixes: fixOf(`Add \`activeDeadlineSeconds: ${DEFAULT_DEADLINE_SECONDS}\``, insertIntoMap(unit, root, w.spec, { activeDeadlineSeconds: DEFAULT_DEADLINE_SECONDS }, { after: ['backoffLimit', 'ttlSecondsAfterFinished', 'completions', 'parallelism'], before: ['template', 'selector'] })),
    });
    return;
  }
  if (w.resourceKind === 'CronJob' && api.startsWith('batch/')) {
    const jobSpec = ygetIn(w.spec, ['jobTemplate', 'spec']);
    if (!isMap(jobSpec) || has(jobSpec, 'activeDeadlineSeconds')) return;
    ctx.report({
      unit,
      start: at[0],
      end: at[1],
      message: `CronJob \`${w.name}\` starts Jobs with no \`activeDeadlineSeconds\`: a hung run holds its node forever, and the next scheduled runs pile up beside it or are skipped. Set \`jobTemplate.spec.activeDeadlineSeconds\` below the schedule's interval.`,
      fixes: fixOf(`Add \`activeDeadlineSeconds: ${DEFAULT_DEADLINE_SECONDS}\` to the job template`, insertIntoMap(unit, root, jobSpec, { activeDeadlineSeconds: DEFAULT_DEADLINE_SECONDS }, { after: ['backoffLimit', 'ttlSecondsAfterFinished', 'completions', 'parallelism'], before: ['template', 'selector'] })),
    });
    return;
  }
  if (api.startsWith('kubeflow.org/') && yentries(w.spec).some((e) => /ReplicaSpecs$/.test(e.key))) {
    if (has(yget(w.spec, 'runPolicy'), 'activeDeadlineSeconds') || has(w.spec, 'activeDeadlineSeconds')) return;
    ctx.report({
      unit,
      start: at[0],
      end: at[1],
      message: `${w.resourceKind} \`${w.name}\` has no \`runPolicy.activeDeadlineSeconds\`: a deadlocked distributed training holds every worker's GPUs until someone notices. Set a deadline from the training's real duration.`,
      fixes: fixOf(`Add \`runPolicy.activeDeadlineSeconds: ${DEFAULT_DEADLINE_SECONDS}\``, ensureEntries(unit, root, w.spec, ['runPolicy'], { activeDeadlineSeconds: DEFAULT_DEADLINE_SECONDS })),
    });
  }
}

function azureType(map: unknown, root: unknown): string {
  const t = ystring(yget(map, 'type'));
  if (t) return t;
  const schema = ystring(yget(root, '$schema')) ?? '';
  if (map === root) {
    const m = /(command|sweep|pipeline|spark|parallel)Job\.schema/i.exec(schema);
    if (m) return m[1].toLowerCase();
    return yget(map, 'command') ? 'command' : '';
  }
  return yget(map, 'command') ? 'command' : '';
}

function checkAzure(ctx: RuleContext, root: unknown): void {
  const unit = ctx.doc.file;
  const jobs: { name: string; map: YAMLMap; key?: Scalar }[] = [];
  const rootType = azureType(root, root);
  if (isMap(root) && (rootType === 'command' || rootType === 'sweep')) jobs.push({ name: ystring(yget(root, 'name')) ?? ystring(yget(root, 'display_name')) ?? 'job', map: root });
  if (rootType === 'pipeline') {
    for (const e of yentries(yget(root, 'jobs'))) {
      if (isMap(e.value) && ['command', 'sweep'].includes(azureType(e.value, root))) jobs.push({ name: e.key, map: e.value, key: e.keyNode });
    }
  }
  for (const job of jobs) {
    const type = azureType(job.map, root);
    if (has(yget(job.map, 'limits'), 'timeout')) continue;
    const anchorNode = job.key ?? ((yget(job.map, 'command') ? job.map.items.find((p) => isScalar(p.key) && p.key.value === 'command')?.key : job.map.items.find((p) => isScalar(p.key) && p.key.value === 'type')?.key) as Scalar | undefined);
    const range = anchorNode?.range ?? (job.map.items[0]?.key as Scalar | undefined)?.range;
    if (!range) continue;
    ctx.report({
      unit,
      start: range[0],
      end: range[1],
      message: `Azure ML ${type} job \`${job.name}\` has no \`limits.timeout\`: a hung ${type === 'sweep' ? 'sweep keeps launching and holding trials' : 'run holds its compute (and is billed)'} until someone cancels it. Set \`limits.timeout\` (seconds) from the job's real duration.`,
      fixes: fixOf(`Add \`limits.timeout: ${DEFAULT_DEADLINE_SECONDS}\``, ensureEntries(unit, root, job.map, ['limits'], { timeout: DEFAULT_DEADLINE_SECONDS }, { after: ['compute', 'environment', 'command'] })),
    });
  }
}

const ESTIMATOR = /^sagemaker\.((estimator\.)?(Estimator|Framework)|(pytorch|tensorflow|sklearn|xgboost|huggingface|mxnet|chainer|rl)(\.estimator)?\.(PyTorch|TensorFlow|SKLearn|XGBoost|HuggingFace|MXNet|Chainer|RLEstimator)|jumpstart\.estimator\.JumpStartEstimator)$/;
const PROCESSOR = /^sagemaker\.(processing\.(Processor|ScriptProcessor|FrameworkProcessor)|(sklearn|pytorch|tensorflow|xgboost|huggingface|spark)(\.processing)?\.(SKLearnProcessor|PyTorchProcessor|TensorFlowProcessor|XGBoostProcessor|HuggingFaceProcessor|PySparkProcessor|SparkJarProcessor))$/;

function checkPython(ctx: RuleContext): void {
  const program = ctx.doc.python!;
  for (const dag of airflowDags(program)) {
    if (!dag.defaultKeys || dag.defaultKeys.has('execution_timeout') || dag.keywords.has('dagrun_timeout')) continue;
    const bare = dag.tasks.filter((t) => !t.keywords.has('execution_timeout') && !(t.sensor && t.keywords.has('timeout')));
    if (!bare.length) continue;
    const edits = settingEdits(program, dag, bare, 'execution_timeout', (p) => timedeltaExpr(p, 'hours=6'));
    ctx.report({
      unit: dag.unit,
      start: dag.anchor.startIndex,
      end: dag.anchor.endIndex,
      message: `DAG \`${dag.name}\` has no \`execution_timeout\` for ${bare.length === dag.tasks.length ? 'its tasks' : `${bare.length} of its ${dag.tasks.length} tasks`} and no \`dagrun_timeout\`: a hung task holds its worker slot and blocks the next runs forever. Set \`"execution_timeout"\` in \`default_args\`.`,
      fixes: fixOf(dag.defaultDict ? 'Add `"execution_timeout": timedelta(hours=6)` to default_args' : 'Pass `execution_timeout=timedelta(hours=6)` to the tasks', edits),
    });
  }
  if (!program.imports.imports('sagemaker')) return;
  for (const call of program.calls()) {
    const q = call.qualified ?? '';
    const estimator = ESTIMATOR.test(q);
    const processor = PROCESSOR.test(q);
    if ((!estimator && !processor) || call.hasSplat) continue;
    const key = estimator ? 'max_run' : 'max_runtime_in_seconds';
    if (call.keywords.has(key)) continue;
    const spot = call.keywords.has('use_spot_instances') || call.keywords.has('max_wait');
    const edit = spot ? null : appendArgument(call.unit, call.node, `${key}=24 * 60 * 60`);
    const fn = call.node.childForFieldName('function') ?? call.node;
    ctx.report({
      unit: call.unit,
      start: fn.startIndex,
      end: fn.endIndex,
      severity: 'info',
      message: `SageMaker ${estimator ? 'training job' : 'processing job'} \`${call.callee}(…)\` sets no \`${key}\`: a hung job runs (and is billed) for SageMaker's default of 24 hours before it is stopped. Set \`${key}\` from the job's real duration.`,
      fixes: fixOf(`Pass \`${key}=24 * 60 * 60\` (SageMaker's default, made explicit)`, edit),
    });
  }
}

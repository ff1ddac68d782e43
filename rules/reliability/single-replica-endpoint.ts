import { isMap, isScalar, type Scalar, type YAMLMap } from 'yaml';
import { defineRule, type FixSpec, type RuleContext } from '../core/rule';
import { yentries, yget, yitems, ystring } from '../documents/yaml-nodes';
import { autoscalerOf } from './collector';
import { containerSites, readableDocuments, servesRequests, workloadOf } from './workloads';
import { insertIntoMap, replaceScalar } from './yaml-edit';

const PROD = /(^|[^a-z])(prod|production|live)([^a-z]|$)/i;

export default defineRule({
  code: 'L206',
  name: 'single-replica-endpoint',
  category: 'reliability',
  severity: 'info',
  stageSeverity: { exploration: 'off' },
  appliesTo: ['yaml', 'python'],
  fixable: 'unsafe',
  docs: {
    summary:
      'A model endpoint runs on one replica: a serving Deployment or StatefulSet with `replicas: 1` (or none, and no autoscaler in the workspace), a KServe predictor with `minReplicas` 1 or unset, a Seldon predictor with one replica, an Azure ML online deployment with `instance_count: 1`, a SageMaker `deploy(initial_instance_count=1)`. Reported as information at the pilot stage and as a warning when the names say production (or at the production stage).',
    why:
      'One replica is one point of failure: a node drain, an upgrade of the cluster, an out-of-memory kill or a rollout takes the endpoint down, and every caller gets errors until the replacement has loaded the model. Two replicas spread over nodes (with a PodDisruptionBudget) keep answering through all of these.',
    example: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: fraud-model\n  namespace: prod\nspec:\n  replicas: 1',
    useInstead: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: fraud-model\n  namespace: prod\nspec:\n  replicas: 2',
    fixSafety: 'Unsafe: the fix sets the replica count (or `minReplicas`, `instance_count`, `initial_instance_count`) to 2, which doubles the endpoint\'s cost and needs capacity for a second copy of the model.',
    language: 'yaml',
  },
  check(ctx) {
    if (ctx.doc.yaml) checkYaml(ctx);
    if (ctx.doc.python) checkPython(ctx);
  },
});

function intValue(node: unknown): number | undefined {
  if (!isScalar(node)) return undefined;
  const n = typeof node.value === 'number' ? node.value : typeof node.value === 'string' && /^\d+$/.test(node.value) ? Number(node.value) : undefined;
  return n;
}

function report(ctx: RuleContext, anchor: [number, number], message: string, production: boolean, fix: FixSpec | undefined, when?: Parameters<RuleContext['report']>[0]['when']): void {
  ctx.report({ unit: ctx.doc.file, start: anchor[0], end: anchor[1], message, severity: production ? 'warning' : undefined, fixes: fix ? [fix] : [], when });
}

function setTo2(ctx: RuleContext, root: unknown, map: YAMLMap, key: string, after: string[], before: string[] = []): FixSpec | undefined {
  const node = yget(map, key);
  const edit = isScalar(node) ? replaceScalar(ctx.doc.file, node as Scalar, '2') : insertIntoMap(ctx.doc.file, root, map, { [key]: 2 }, { after, before });
  return edit ? { title: `Set \`${key}\` to 2`, applicability: 'unsafe', edits: [edit] } : undefined;
}

function checkYaml(ctx: RuleContext): void {
  for (const { doc, kind } of readableDocuments(ctx.doc.yaml!)) {
    const root = doc.contents;
    if (kind === 'azureml') {
      const schema = ystring(yget(root, '$schema')) ?? '';
      const count = yget(root, 'instance_count');
      if (isMap(root) && /OnlineDeployment/i.test(schema) && intValue(count) === 1 && count?.range) {
        const name = `${ystring(yget(root, 'endpoint_name')) ?? ''}/${ystring(yget(root, 'name')) ?? ''}`;
        report(ctx, [count.range[0], count.range[1]], `Azure ML online deployment \`${name}\` runs on one instance: an instance failure or a platform update takes the endpoint down. Use at least 2 instances (Azure recommends 3 for production SLAs).`, PROD.test(name), setTo2(ctx, root, root, 'instance_count', []));
      }
      continue;
    }
    if (kind !== 'kubernetes') continue;
    const w = workloadOf(kind, root);
    if (!w || !w.spec) continue;
    const production = PROD.test(`${w.name} ${w.namespace ?? ''}`) || PROD.test(yentries(yget(yget(w.root, 'metadata'), 'labels')).map((e) => `${e.key}=${ystring(e.value) ?? ''}`).join(' '));
    const api = ystring(yget(w.root, 'apiVersion')) ?? '';
    if (['Deployment', 'StatefulSet'].includes(w.resourceKind) && api.startsWith('apps/')) {
      if (!containerSites(kind, root).some((s) => s.role === 'main' && servesRequests(s))) continue;
      const replicas = yget(w.spec, 'replicas');
      const n = replicas === undefined ? 1 : intValue(replicas);
      if (n !== 1) continue;
      const { resourceKind, name, namespace } = w;
      const at = isScalar(replicas) && replicas.range ? replicas.range : w.anchor.range!;
      report(
        ctx,
        [at[0], at[1]],
        `Serving ${resourceKind} \`${name}\` runs ${replicas === undefined ? 'one replica (no `replicas`, and no autoscaler for it in the workspace)' : 'one replica'}: a node drain, an upgrade or an out-of-memory kill takes the endpoint down until a new pod has loaded the model. Run at least 2 replicas.`,
        production,
        setTo2(ctx, root, w.spec, 'replicas', [], ['selector', 'strategy', 'template', 'serviceName']),
        (facts) => !autoscalerOf(facts, resourceKind, name, namespace),
      );
    } else if (w.resourceKind === 'InferenceService' && api.startsWith('serving.kserve.io/')) {
      const predictor = yget(w.spec, 'predictor');
      if (!isMap(predictor)) continue;
      const min = yget(predictor, 'minReplicas');
      const n = min === undefined ? 1 : intValue(min);
      if (n !== 1) continue;
      const key = predictor.range ? (w.spec.items.find((p) => p.value === predictor)?.key as Scalar | undefined) : undefined;
      const at = isScalar(min) && min.range ? min.range : key?.range ?? w.anchor.range!;
      report(ctx, [at[0], at[1]], `InferenceService \`${w.name}\` keeps ${min === undefined ? 'a single predictor replica when idle (`minReplicas` defaults to 1)' : 'a single predictor replica when idle (`minReplicas: 1`)'}: one pod failure or node drain takes the model offline until a new pod has loaded it. Set \`minReplicas: 2\`.`, production, setTo2(ctx, root, predictor, 'minReplicas', [], ['maxReplicas', 'model', 'containers']));
    } else if (w.resourceKind === 'SeldonDeployment' && api.startsWith('machinelearning.seldon.io/')) {
      for (const p of yitems(yget(w.spec, 'predictors'))) {
        if (!isMap(p)) continue;
        if (yitems(yget(p, 'componentSpecs')).some((cs) => yget(cs, 'hpaSpec') || yget(cs, 'kedaSpec'))) continue;
        const replicas = yget(p, 'replicas');
        const n = replicas === undefined ? (intValue(yget(w.spec, 'replicas')) ?? 1) : intValue(replicas);
        if (n !== 1) continue;
        const nameNode = yget(p, 'name');
        const at = isScalar(replicas) && replicas.range ? replicas.range : isScalar(nameNode) && nameNode.range ? nameNode.range : w.anchor.range!;
        report(ctx, [at[0], at[1]], `Seldon predictor \`${ystring(nameNode) ?? 'default'}\` of \`${w.name}\` runs one replica: one pod failure takes the model offline. Set \`replicas: 2\` (or an \`hpaSpec\`).`, production, setTo2(ctx, root, p, 'replicas', ['name']));
      }
    }
  }
}

function checkPython(ctx: RuleContext): void {
  const program = ctx.doc.python!;
  if (!program.imports.imports('sagemaker')) return;
  for (const call of program.calls()) {
    if (call.method !== 'deploy' || call.keywords.has('serverless_inference_config') || call.hasSplat) continue;
    const count = call.keywords.get('initial_instance_count');
    if (!count || count.text.trim() !== '1' || !call.keywords.has('instance_type')) continue;
    const endpoint = call.keywords.get('endpoint_name')?.text ?? '';
    ctx.report({
      unit: call.unit,
      start: count.startIndex,
      end: count.endIndex,
      severity: PROD.test(endpoint) ? 'warning' : undefined,
      message: 'SageMaker endpoint deployed on one instance (`initial_instance_count=1`): an instance failure or a host update takes the endpoint down, and SageMaker only spreads instances across Availability Zones when there are several. Use at least 2.',
      fixes: [{ title: 'Set `initial_instance_count=2`', applicability: 'unsafe', edits: [{ unit: call.unit, start: count.startIndex, end: count.endIndex, newText: '2' }] }],
    });
  }
}

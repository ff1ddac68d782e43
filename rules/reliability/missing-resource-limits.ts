import { isMap } from 'yaml';
import { defineRule, type RuleContext } from '../core/rule';
import { yget } from '../documents/yaml-nodes';
import { limitRangeCovers } from './collector';
import { irCpu, irMemoryLimit, pipelineIr } from './kfp-ir';
import { chainEdit, CPU_METHODS, kfpTasks, MEMORY_LIMIT_METHODS } from './kfp-dsl';
import { missingParts, resourcesFix, resourceState } from './resources';
import { containerSites, readableDocuments } from './workloads';

export default defineRule({
  code: 'L201',
  name: 'missing-resource-limits',
  category: 'reliability',
  severity: 'warning',
  appliesTo: ['yaml', 'python'],
  fixable: 'unsafe',
  docs: {
    summary:
      'A container or pipeline step declares no CPU request, no memory request or no memory limit: Kubernetes pod templates (Deployment, StatefulSet, Job, CronJob …), Kubeflow training jobs, KServe and Seldon predictors, Argo and Kubeflow v1 templates, Kubeflow v2 compiled pipelines, and tasks of a Kubeflow Python pipeline with no `.set_cpu_limit()`/`.set_cpu_request()` or no `.set_memory_limit()` (as in `train(data=prep.output).set_cpu_limit("2").set_memory_limit("8Gi")`).',
    why:
      'Without requests the scheduler places the step as if it needed nothing: a training step lands on a node that is already full and is starved or evicted halfway through. Without a memory limit one large batch or a leaking data loader grows until the node runs out of memory, and the kernel kills whatever it picks — often another team\'s serving pod. A CPU limit is not required (it throttles bursts); the CPU request and the memory request and limit are. Containers in a namespace whose `LimitRange` (in this workspace) sets defaults are not reported; KServe predictors get the operator\'s defaults (1 CPU, 2 Gi) and are reported as information.',
    example: 'containers:\n  - name: trainer\n    image: registry.example.com/churn-train:1.4.0\n    command: ["python", "src/train.py"]',
    useInstead:
      'containers:\n  - name: trainer\n    image: registry.example.com/churn-train:1.4.0\n    command: ["python", "src/train.py"]\n    resources:\n      requests:\n        cpu: "2"\n        memory: 8Gi\n      limits:\n        memory: 8Gi',
    fixSafety:
      'Unsafe: the fix adds `resources` with a CPU request of 500m and a memory request and limit of 1 Gi (or the memory value the container already states), or chains `.set_cpu_limit("1").set_memory_limit("2Gi")` on the Kubeflow task. These change where and whether the pod is scheduled, and a step that needs more memory is killed at the limit: size them from the step\'s real usage. Compiled Kubeflow v2 files get no fix (set the values in the pipeline\'s Python source and recompile).',
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
    for (const site of containerSites(kind, root)) {
      if (site.role !== 'main') continue;
      const spec = site.workflowSpec;
      // Argo: templateDefaults may carry a container's resources
      const defaults = spec ? yget(yget(yget(spec, 'templateDefaults'), site.source === 'script' ? 'script' : 'container'), 'resources') : undefined;
      if (site.template && (yget(site.template, 'podSpecPatch') || (spec && yget(spec, 'podSpecPatch')))) continue;
      const state = resourceState(site.container, isMap(defaults) ? defaults : undefined);
      if (state.unknown) continue;
      const missing = missingParts(state);
      if (!missing.length) continue;
      const w = site.workload;
      const kserve = site.source === 'kserve-model' || w.resourceKind === 'InferenceService';
      const what = site.source === 'pod' || site.source === 'containerSet' || site.source === 'kserve-model' ? `Container \`${site.name}\`` : `Template \`${site.name}\``;
      const message = kserve
        ? `${what} of InferenceService \`${w.name}\` sets ${missing.join(' and ')}: it runs with the KServe defaults (1 CPU, 2 Gi), which rarely fit the model. Size its \`resources\` from the model's real usage.`
        : `${what} of ${w.resourceKind} \`${w.name}\` sets ${missing.join(' and ')}: ${consequence(state.memoryLimit)} Add \`resources\` with requests${state.memoryLimit ? '' : ' and a memory limit'}.`;
      const fix = w.compiled ? undefined : resourcesFix(unit, root, site, state, {}, kserve ? KSERVE_DEFAULTS : undefined);
      const namespace = w.namespace;
      ctx.report({
        unit,
        start: site.anchor[0],
        end: site.anchor[1],
        message: w.compiled ? `${message} (This file is compiled by the KFP SDK: call \`.set_cpu_limit()\`/\`.set_memory_limit()\` on the task and recompile.)` : message,
        severity: kserve ? 'info' : undefined,
        fixes: fix ? [fix] : [],
        when: (facts) => !limitRangeCovers(facts, namespace),
      });
    }
    const ir = pipelineIr(kind, root);
    for (const e of ir?.executors ?? []) {
      const cpu = irCpu(e);
      const memory = irMemoryLimit(e);
      if (cpu && memory) continue;
      const tasks = ir!.tasks.filter((t) => t.executor === e).map((t) => `\`${t.name}\``);
      const missing = [!cpu ? 'no CPU limit or request' : '', !memory ? 'no memory limit' : ''].filter(Boolean).join(' and ');
      ctx.report({
        unit,
        start: e.key.range![0],
        end: e.key.range![1],
        message: `Executor \`${e.name}\`${tasks.length ? ` (task ${tasks.join(', ')})` : ''} has ${missing}: the step runs on whatever the cluster or Vertex AI defaults to. This file is compiled: call \`.set_cpu_limit()\` and \`.set_memory_limit()\` on the task in the pipeline's Python source and recompile.`,
      });
    }
  }
}

const KSERVE_DEFAULTS = { cpu: '1', memory: '2Gi' };

function consequence(memoryLimit: boolean): string {
  return memoryLimit
    ? 'the scheduler places it as if it needed nothing, on nodes that may already be full.'
    : 'the scheduler places it blindly, and without a memory limit one large batch can exhaust the node\'s memory.';
}

function checkPython(ctx: RuleContext): void {
  for (const task of kfpTasks(ctx.doc.python!)) {
    if (task.unknown || task.prebuilt) continue;
    const cpu = CPU_METHODS.some((m) => task.methods.has(m));
    const memory = MEMORY_LIMIT_METHODS.some((m) => task.methods.has(m));
    if (cpu && memory) continue;
    const missing = [!cpu ? 'no CPU limit or request' : '', !memory ? 'no memory limit' : ''].filter(Boolean).join(' and ');
    const chain = `${cpu ? '' : '.set_cpu_limit("1")'}${memory ? '' : '.set_memory_limit("2Gi")'}`;
    const fn = task.call.node.childForFieldName('function') ?? task.call.node;
    ctx.report({
      unit: task.unit,
      start: fn.startIndex,
      end: fn.endIndex,
      message: `Pipeline task \`${task.component}(…)\` has ${missing}: the step runs with the cluster's defaults (or none)${memory ? '' : ', and one large input can exhaust a node\'s memory'}. Chain \`${chain}\` sized from the step's real usage.`,
      fixes: [{ title: `Chain \`${chain}\` on the task`, applicability: 'unsafe', edits: [chainEdit(task, chain)] }],
    });
  }
}

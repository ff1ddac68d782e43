import { isMap, isScalar } from 'yaml';
import { defineRule, type RuleContext } from '../core/rule';
import { yget, yitems, ystring } from '../documents/yaml-nodes';
import { irAcceleratorWithoutCount, pipelineIr } from './kfp-ir';
import { chainEdit, GPU_LIMIT_METHODS, kfpTasks } from './kfp-dsl';
import { resourceState } from './resources';
import { containerSites, gpuHints, gpuResourceName, hasGpuLimit, readableDocuments } from './workloads';
import { ensureEntries } from './yaml-edit';

export default defineRule({
  code: 'L202',
  name: 'gpu-without-limit',
  category: 'reliability',
  severity: 'warning',
  appliesTo: ['yaml', 'python'],
  fixable: 'unsafe',
  docs: {
    summary:
      'A step is placed on GPU nodes but declares no GPU: a container with a GPU node selector, toleration or node affinity, a GPU request, or `NVIDIA_VISIBLE_DEVICES`, and no GPU limit (`nvidia.com/gpu`, `amd.com/gpu` …); a Kubeflow v1 task with an accelerator `.add_node_selector_constraint(key, value)` (or a `kfp.kubernetes` node selector) and no `.set_gpu_limit()`/`.set_accelerator_limit()`; a compiled Kubeflow executor with an accelerator type and no count; a Vertex AI worker pool with an `acceleratorType` and no `acceleratorCount`. (KFP v2\'s `.set_accelerator_type()` sets a count of 1 itself.) In a pod with several containers, node placement alone does not say which one needs the GPU, and is not reported.',
    why:
      'Kubernetes hands GPUs out only through the extended resource limit: a pod that merely lands on a GPU node gets no device (the training silently runs on CPU, for days), or, with the NVIDIA runtime exposing every device, shares the node\'s GPUs with whatever else is scheduled there and fails with out-of-memory errors that depend on its neighbours. A GPU request without a limit is rejected outright. Kubeflow and Vertex AI need the count as well as the type.',
    example: 'nodeSelector:\n  cloud.google.com/gke-accelerator: nvidia-tesla-t4\ncontainers:\n  - name: trainer\n    image: registry.example.com/vision-train:2.1.0\n    resources:\n      limits:\n        memory: 24Gi',
    useInstead: 'nodeSelector:\n  cloud.google.com/gke-accelerator: nvidia-tesla-t4\ncontainers:\n  - name: trainer\n    image: registry.example.com/vision-train:2.1.0\n    resources:\n      limits:\n        memory: 24Gi\n        nvidia.com/gpu: 1',
    fixSafety:
      'Unsafe: the fix adds a limit of one GPU (`nvidia.com/gpu: 1`, or the resource the container already requests, with its count), `.set_accelerator_limit(1)` (`.set_gpu_limit(1)` in v1) on a Kubeflow task, or `acceleratorCount: 1` on a Vertex AI worker pool. The pod then waits for a free GPU, and a step written for several GPUs needs a larger count.',
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
      if (site.role === 'init' || hasGpuLimit(site.container)) continue;
      const hints = gpuHints(site);
      if (!hints.length || resourceState(site.container).unknown) continue;
      // in a pod with several containers, node placement alone does not say which one uses the GPU
      const requested = hints.some((h) => h.endsWith('request`') || h.startsWith('a `'));
      const siblings = site.pod ? [...yitems(yget(site.pod, 'containers'))].length : 1;
      if (!requested && siblings > 1 && site.source === 'pod') continue;
      const resource = gpuResourceName(site);
      const requestValue = yget(yget(yget(site.container, 'resources'), 'requests'), resource);
      const count = isScalar(requestValue) && (typeof requestValue.value === 'number' || typeof requestValue.value === 'string') ? requestValue.value : 1;
      const edit = site.workload.compiled ? undefined : ensureEntries(unit, root, site.container, ['resources', 'limits'], { [resource]: count }, { after: ['image', 'imagePullPolicy', 'name'] });
      const w = site.workload;
      ctx.report({
        unit,
        start: site.anchor[0],
        end: site.anchor[1],
        message: `\`${site.name}\` in ${w.resourceKind} \`${w.name}\` is meant for a GPU (${hints.slice(0, 2).join(', ')}) but has no GPU limit: Kubernetes gives it no device, so it runs on CPU or fights other pods for the node's GPUs. Add \`${resource}: ${count}\` to \`resources.limits\`.`,
        fixes: edit ? [{ title: `Add \`${resource}: ${count}\` to \`resources.limits\``, applicability: 'unsafe', edits: [edit] }] : [],
      });
    }
    const ir = pipelineIr(kind, root);
    for (const e of ir?.executors ?? []) {
      const type = irAcceleratorWithoutCount(e);
      if (!type) continue;
      ctx.report({
        unit,
        start: e.key.range![0],
        end: e.key.range![1],
        message: `Executor \`${e.name}\` sets accelerator type \`${type}\` with no count: the step gets no accelerator. This file is compiled: call \`.set_accelerator_limit(1)\` on the task in the pipeline's Python source and recompile.`,
      });
    }
    for (const pool of yitems(yget(yget(root, 'jobSpec') ?? root, 'workerPoolSpecs'))) {
      if (kind !== 'vertex') break;
      const machine = yget(pool, 'machineSpec');
      const type = ystring(yget(machine, 'acceleratorType'));
      if (!isMap(machine) || !type || /UNSPECIFIED/.test(type) || yget(machine, 'acceleratorCount') !== undefined) continue;
      const typeNode = yget(machine, 'acceleratorType')!;
      const edit = ensureEntries(unit, root, machine, [], { acceleratorCount: 1 }, {});
      ctx.report({
        unit,
        start: typeNode.range![0],
        end: typeNode.range![1],
        message: `Worker pool asks for \`${type}\` but sets no \`acceleratorCount\`: Vertex AI rejects the job or runs it without the accelerator. Add \`acceleratorCount: 1\`.`,
        fixes: edit ? [{ title: 'Add `acceleratorCount: 1`', applicability: 'unsafe', edits: [edit] }] : [],
      });
    }
  }
}

function checkPython(ctx: RuleContext): void {
  for (const task of kfpTasks(ctx.doc.python!)) {
    if (task.unknown || task.prebuilt || !task.acceleratorHint || GPU_LIMIT_METHODS.some((m) => task.methods.has(m))) continue;
    const call = task.version === 2 ? '.set_accelerator_limit(1)' : '.set_gpu_limit(1)';
    const fn = task.call.node.childForFieldName('function') ?? task.call.node;
    ctx.report({
      unit: task.unit,
      start: fn.startIndex,
      end: fn.endIndex,
      message: `Pipeline task \`${task.component}(…)\` is placed on accelerator nodes (${task.acceleratorHint}) but sets no accelerator count: it gets no GPU. Chain \`${call}\`.`,
      fixes: [{ title: `Chain \`${call}\` on the task`, applicability: 'unsafe', edits: [chainEdit(task, call)] }],
    });
  }
}

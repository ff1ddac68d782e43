import { isAlias, isMap, isScalar, isSeq, type Scalar, type YAMLMap } from 'yaml';
import type { YamlModel } from '../documents/yaml';
import type { YamlKind } from '../documents/yaml-kind';
import { yentries, yget, ygetIn, yitems, ystring } from '../documents/yaml-nodes';

/**
 * The containers that pipeline and serving configs run, found where each format keeps them:
 * Kubernetes pod templates (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob),
 * Kubeflow training-operator jobs (`*ReplicaSpecs.<role>.template`), KServe InferenceService
 * components (`containers` and the model-format specs), Seldon `componentSpecs`, and Argo
 * workflow templates (`container`, `script`, `containerSet`, init containers and sidecars) in
 * Argo and Kubeflow v1 (compiled to Argo) files. Aliases are not followed, so a container defined
 * through `<<: *defaults` is judged on what it says itself, and a node that is an alias is skipped.
 */

export type ContainerRole = 'main' | 'init' | 'sidecar';

export interface Workload {
  kind: YamlKind;
  /** The resource kind: Deployment, Job, Workflow, InferenceService … */
  resourceKind: string;
  name: string;
  root: YAMLMap;
  /** Where workload-level findings go: `metadata.name`'s value, else `kind`'s. */
  anchor: Scalar;
  /** The map holding `replicas`, `activeDeadlineSeconds` … (`spec`), when there is one. */
  spec?: YAMLMap;
  /** Argo-based (Argo or Kubeflow v1) and compiled by the KFP SDK: edits there are lost on the next compile. */
  compiled: boolean;
  namespace?: string;
}

export interface ContainerSite {
  workload: Workload;
  container: YAMLMap;
  /** Container name, template name, or model-format key (`sklearn`). */
  name: string;
  /** Where container-level findings go. */
  anchor: [number, number];
  role: ContainerRole;
  /** The pod spec or Argo template around it (nodeSelector, tolerations, affinity). */
  pod?: YAMLMap;
  /** The workflow spec of an Argo template (workflow-level nodeSelector). */
  workflowSpec?: YAMLMap;
  /** The Argo template, for template-level fields (retryStrategy, activeDeadlineSeconds). */
  template?: YAMLMap;
  /** `container`, `script`, `containerSet`, or `pod` for Kubernetes pod templates, `kserve-model` for model-format specs. */
  source: 'pod' | 'container' | 'script' | 'containerSet' | 'kserve-model';
  /** A long-running service (Deployment, StatefulSet, ReplicaSet, KServe, Seldon). */
  serving: boolean;
}

const POD_OWNERS: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

export const SERVING_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);
export const ARGO_KINDS = new Set(['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow']);
export const KSERVE_COMPONENTS = ['predictor', 'transformer', 'explainer'];
/** KServe model-format specs, each a container spec with defaults. */
export const KSERVE_FORMATS = ['model', 'sklearn', 'xgboost', 'tensorflow', 'pytorch', 'triton', 'onnx', 'huggingface', 'lightgbm', 'paddle', 'pmml', 'mlflow'];

function asMap(n: unknown): YAMLMap | undefined {
  return isMap(n) && !isAlias(n) ? (n as YAMLMap) : undefined;
}

export function workloadOf(kind: YamlKind, root: unknown): Workload | undefined {
  const map = asMap(root);
  if (!map) return undefined;
  const resourceKind = ystring(yget(map, 'kind'));
  const apiVersion = ystring(yget(map, 'apiVersion'));
  if (!resourceKind || !apiVersion) return undefined;
  const nameNode = yget(yget(map, 'metadata'), 'name') ?? yget(yget(map, 'metadata'), 'generateName');
  const kindNode = yget(map, 'kind');
  const anchor = (isScalar(nameNode) && nameNode.range ? nameNode : kindNode) as Scalar;
  if (!anchor?.range) return undefined;
  const annotations = yget(yget(map, 'metadata'), 'annotations');
  const compiled = kind === 'kubeflow' && apiVersion.startsWith('argoproj.io/') && isMap(annotations) && annotations.items.some((p) => isScalar(p.key) && /^pipelines\.kubeflow\.org\/(kfp_sdk_version|pipeline_compilation_time)$/.test(String(p.key.value)));
  return {
    kind,
    resourceKind,
    name: ystring(nameNode)?.replace(/-+$/, '') ?? resourceKind,
    root: map,
    anchor,
    spec: asMap(yget(map, 'spec')),
    compiled,
    namespace: ystring(yget(yget(map, 'metadata'), 'namespace')),
  };
}

function anchorOf(container: YAMLMap, fallback?: Scalar): [number, number] {
  const name = yget(container, 'name');
  if (isScalar(name) && name.range) return [name.range[0], name.range[1]];
  const first = container.items[0]?.key;
  if (isScalar(first) && first.range) return [first.range[0], first.range[1]];
  if (fallback?.range) return [fallback.range[0], fallback.range[1]];
  return [container.range?.[0] ?? 0, (container.range?.[0] ?? 0) + 1];
}

function podContainers(workload: Workload, pod: YAMLMap, serving: boolean, out: ContainerSite[]): void {
  for (const [key, role] of [['containers', 'main'], ['initContainers', 'init']] as const) {
    for (const c of yitems(yget(pod, key))) {
      const container = asMap(c);
      if (!container) continue;
      // native sidecars: init containers that keep running
      const r: ContainerRole = role === 'init' && ystring(yget(container, 'restartPolicy')) === 'Always' ? 'sidecar' : role;
      out.push({ workload, container, name: ystring(yget(container, 'name')) ?? key, anchor: anchorOf(container), role: r, pod, source: 'pod', serving });
    }
  }
}

/** Every container of one YAML document of a known kind. */
export function containerSites(kind: YamlKind, root: unknown): ContainerSite[] {
  const out: ContainerSite[] = [];
  if (kind !== 'kubernetes' && kind !== 'argo' && kind !== 'kubeflow') return out;
  const workload = workloadOf(kind, root);
  if (!workload) return out;
  const { resourceKind, root: map } = workload;
  const apiVersion = ystring(yget(map, 'apiVersion')) ?? '';
  const path = POD_OWNERS[resourceKind];
  if (path && !apiVersion.startsWith('argoproj.io/')) {
    const pod = asMap(ygetIn(map, path));
    if (pod) podContainers(workload, pod, SERVING_KINDS.has(resourceKind), out);
    return out;
  }
  if (apiVersion.startsWith('serving.kserve.io/') && resourceKind === 'InferenceService') {
    for (const component of KSERVE_COMPONENTS) {
      const spec = asMap(yget(workload.spec, component));
      if (!spec) continue;
      podContainers(workload, spec, true, out);
      for (const format of KSERVE_FORMATS) {
        const m = asMap(yget(spec, format));
        if (!m) continue;
        const key = spec.items.find((p) => isScalar(p.key) && p.key.value === format)?.key as Scalar | undefined;
        out.push({ workload, container: m, name: `${component}.${format}`, anchor: key?.range ? [key.range[0], key.range[1]] : anchorOf(m), role: 'main', pod: spec, source: 'kserve-model', serving: true });
      }
    }
    return out;
  }
  if (apiVersion.startsWith('machinelearning.seldon.io/') && resourceKind === 'SeldonDeployment') {
    for (const predictor of yitems(yget(workload.spec, 'predictors'))) {
      for (const cs of yitems(yget(predictor, 'componentSpecs'))) {
        const pod = asMap(yget(cs, 'spec'));
        if (pod) podContainers(workload, pod, true, out);
      }
    }
    return out;
  }
  if (apiVersion.startsWith('kubeflow.org/')) {
    // training operators: TFJob, PyTorchJob, MPIJob, XGBoostJob, PaddleJob, JAXJob …
    for (const e of yentries(workload.spec)) {
      if (!/ReplicaSpecs$/.test(e.key)) continue;
      for (const role of yentries(e.value)) {
        const pod = asMap(ygetIn(role.value, ['template', 'spec']));
        if (pod) podContainers(workload, pod, false, out);
      }
    }
    return out;
  }
  if (apiVersion.startsWith('argoproj.io/') && ARGO_KINDS.has(resourceKind)) {
    const spec = argoWorkflowSpec(workload);
    for (const t of yitems(yget(spec, 'templates'))) {
      const template = asMap(t);
      if (!template) continue;
      const templateName = ystring(yget(template, 'name')) ?? 'template';
      const nameNode = yget(template, 'name') as Scalar | undefined;
      for (const source of ['container', 'script'] as const) {
        const c = asMap(yget(template, source));
        if (!c) continue;
        const anchor: [number, number] = isScalar(nameNode) && nameNode.range ? [nameNode.range[0], nameNode.range[1]] : anchorOf(c);
        out.push({ workload, container: c, name: templateName, anchor, role: 'main', pod: template, workflowSpec: spec, template, source, serving: false });
      }
      for (const c of yitems(ygetIn(template, ['containerSet', 'containers']))) {
        const container = asMap(c);
        if (container) out.push({ workload, container, name: `${templateName}/${ystring(yget(container, 'name')) ?? 'container'}`, anchor: anchorOf(container), role: 'main', pod: template, workflowSpec: spec, template, source: 'containerSet', serving: false });
      }
      for (const [key, role] of [['initContainers', 'init'], ['sidecars', 'sidecar']] as const) {
        for (const c of yitems(yget(template, key))) {
          const container = asMap(c);
          if (container) out.push({ workload, container, name: ystring(yget(container, 'name')) ?? key, anchor: anchorOf(container), role, pod: template, workflowSpec: spec, template, source: 'pod', serving: false });
        }
      }
    }
  }
  return out;
}

/** The WorkflowSpec of an Argo resource: `spec`, or `spec.workflowSpec` for a CronWorkflow. */
export function argoWorkflowSpec(workload: Workload): YAMLMap | undefined {
  if (workload.resourceKind === 'CronWorkflow') return asMap(yget(workload.spec, 'workflowSpec'));
  return workload.spec;
}

/**
 * The documents the reliability rules judge: those that parsed without errors. A document with a
 * syntax error (reported by L001) — a Helm template whose `{{ … }}` blocks are not YAML, a
 * half-written file — may be missing exactly the keys the rules look for.
 */
export function readableDocuments(yaml: YamlModel): YamlModel['documents'] {
  return yaml.documents.filter((d) => d.doc.errors.length === 0);
}


// ─── GPUs ────────────────────────────────────────────────────────────────────────────────────

export const GPU_RESOURCE = /^(nvidia\.com\/(gpu|mig-[\w.-]+)|amd\.com\/gpu|gpu\.intel\.com\/[\w.-]+|habana\.ai\/gaudi|aws\.amazon\.com\/neuron(core|device)?|google\.com\/tpu)$/;
const GPU_NODE_KEY = /^(cloud\.google\.com\/gke-(accelerator|tpu-accelerator)|nvidia\.com\/gpu(\.[\w-]+)?|k8s\.amazonaws\.com\/accelerator|karpenter\.k8s\.aws\/instance-gpu-[\w-]+|accelerator|gpu|gpu-type|node\.kubernetes\.io\/gpu|amd\.com\/gpu(\.[\w-]+)?|kubernetes\.azure\.com\/accelerator)$/i;
const GPU_INSTANCE = /^(p[2-5][a-z]*|g[3-6][a-z]*|inf[12]|trn1n?|dl1)\.|^(a2|a3|g2)-|^Standard_N[CDV]/;

/** Why a container looks like it runs on a GPU (node selectors, tolerations, a GPU request, …), or []. */
export function gpuHints(site: ContainerSite): string[] {
  const hints: string[] = [];
  const scopes = [site.pod, site.workflowSpec].filter((m): m is YAMLMap => !!m);
  for (const scope of scopes) {
    for (const e of yentries(yget(scope, 'nodeSelector'))) {
      const value = ystring(e.value) ?? '';
      if (GPU_NODE_KEY.test(e.key) || (e.key === 'node.kubernetes.io/instance-type' && GPU_INSTANCE.test(value))) hints.push(`node selector \`${e.key}\``);
    }
    for (const t of yitems(yget(scope, 'tolerations'))) {
      const key = ystring(yget(t, 'key')) ?? '';
      if (/gpu|accelerator|nvidia/i.test(key) || /gpu/i.test(ystring(yget(t, 'value')) ?? '')) hints.push(`toleration \`${key}\``);
    }
    const affinity = ygetIn(scope, ['affinity', 'nodeAffinity']);
    if (affinity) {
      const stack: unknown[] = [affinity];
      let budget = 500;
      while (stack.length && budget-- > 0) {
        const n = stack.pop();
        if (isMap(n)) {
          const key = ystring(yget(n, 'key'));
          if (key && GPU_NODE_KEY.test(key)) hints.push(`node affinity on \`${key}\``);
          for (const p of n.items) stack.push(p.value);
        } else if (isSeq(n)) for (const i of n.items) stack.push(i);
      }
    }
    if (/nvidia/i.test(ystring(yget(scope, 'runtimeClassName')) ?? '')) hints.push('runtime class `nvidia`');
  }
  for (const e of yentries(ygetIn(site.container, ['resources', 'requests']))) if (GPU_RESOURCE.test(e.key)) hints.push(`a \`${e.key}\` request`);
  for (const env of yitems(yget(site.container, 'env'))) {
    const name = ystring(yget(env, 'name'));
    const value = ystring(yget(env, 'value')) ?? '';
    if (name === 'NVIDIA_VISIBLE_DEVICES' && !/^(void|none|)$/i.test(value)) hints.push('`NVIDIA_VISIBLE_DEVICES`');
  }
  return [...new Set(hints)];
}

export function hasGpuLimit(container: YAMLMap): boolean {
  return yentries(ygetIn(container, ['resources', 'limits'])).some((e) => GPU_RESOURCE.test(e.key));
}

/** The GPU resource name requested (or the vendor a hint names), for a fix. */
export function gpuResourceName(site: ContainerSite): string {
  const requested = yentries(ygetIn(site.container, ['resources', 'requests'])).find((e) => GPU_RESOURCE.test(e.key));
  if (requested) return requested.key;
  const scopes = [site.pod, site.workflowSpec].filter((m): m is YAMLMap => !!m);
  const amd = scopes.some((s) => yentries(yget(s, 'nodeSelector')).some((e) => /^amd\.com/.test(e.key)) || yitems(yget(s, 'tolerations')).some((t) => /^amd\.com/.test(ystring(yget(t, 'key')) ?? '')));
  return amd ? 'amd.com/gpu' : 'nvidia.com/gpu';
}

// ─── serving ─────────────────────────────────────────────────────────────────────────────────

const SERVING_IMAGE = /(tritonserver|tensorflow\/serving|torchserve|seldonio\/mlserver|mlserver|bentoml|kserve|text-generation-inference|vllm|ray-serve|mlflow|fastapi|uvicorn|gunicorn|flask)/i;

/** A container that answers requests: it declares a port, or runs a known model server. */
export function servesRequests(site: ContainerSite): boolean {
  if (yitems(yget(site.container, 'ports')).length > 0) return true;
  const image = ystring(yget(site.container, 'image')) ?? '';
  const command = [...yitems(yget(site.container, 'command')), ...yitems(yget(site.container, 'args'))].map((n) => ystring(n) ?? '').join(' ');
  return SERVING_IMAGE.test(image) || /\b(uvicorn|gunicorn|mlflow models serve|bentoml serve|tritonserver|torchserve|tensorflow_model_server|mlserver start)\b/.test(command);
}

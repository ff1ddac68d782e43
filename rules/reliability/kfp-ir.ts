import { isMap, isScalar, type Scalar, type YAMLMap } from 'yaml';
import type { YamlKind } from '../documents/yaml-kind';
import { yentries, yget, ystring } from '../documents/yaml-nodes';

/**
 * Kubeflow Pipelines v2 IR (the YAML `kfp.compiler` writes: `pipelineInfo`, `deploymentSpec`,
 * `root`, `components`), alone or embedded in a Vertex AI PipelineJob (`pipelineSpec`). The file is
 * compiled output: findings name the DSL call that sets the field, and carry no fix.
 */

export interface IrExecutor {
  name: string;
  key: Scalar;
  container: YAMLMap;
  resources?: YAMLMap;
}

export interface IrTask {
  name: string;
  key: Scalar;
  map: YAMLMap;
  executor?: IrExecutor;
}

export interface PipelineIr {
  executors: IrExecutor[];
  tasks: IrTask[];
}

/** The IR of one document: a Kubeflow v2 spec, or the `pipelineSpec` of a Vertex AI PipelineJob. */
export function pipelineIr(kind: YamlKind, root: unknown): PipelineIr | undefined {
  let spec: unknown;
  if (kind === 'kubeflow' && yget(root, 'pipelineInfo')) spec = root;
  else if (kind === 'vertex' && isMap(yget(root, 'pipelineSpec'))) spec = yget(root, 'pipelineSpec');
  if (!isMap(spec)) return undefined;
  const executors = new Map<string, IrExecutor>();
  for (const e of yentries(yget(yget(spec, 'deploymentSpec'), 'executors'))) {
    const container = yget(e.value, 'container');
    if (!isMap(container)) continue; // importers and resolvers run no user container
    const resources = yget(container, 'resources');
    executors.set(e.key, { name: e.key, key: e.keyNode, container, resources: isMap(resources) ? resources : undefined });
  }
  const components = new Map(yentries(yget(spec, 'components')).map((e) => [e.key, e.value]));
  const tasks: IrTask[] = [];
  const dags = [yget(yget(spec, 'root'), 'dag'), ...[...components.values()].map((c) => yget(c, 'dag'))];
  for (const dag of dags) {
    for (const t of yentries(yget(dag, 'tasks'))) {
      if (!isMap(t.value)) continue;
      const componentName = ystring(yget(yget(t.value, 'componentRef'), 'name'));
      const label = componentName ? ystring(yget(components.get(componentName), 'executorLabel')) : undefined;
      tasks.push({ name: t.key, key: t.keyNode, map: t.value, executor: label ? executors.get(label) : undefined });
    }
  }
  return { executors: [...executors.values()], tasks };
}

function has(map: YAMLMap | undefined, ...keys: string[]): boolean {
  return !!map && keys.some((k) => {
    const v = yget(map, k);
    return v !== undefined && !(isScalar(v) && v.value === null);
  });
}

export function irCpu(e: IrExecutor): boolean {
  return has(e.resources, 'cpuLimit', 'resourceCpuLimit', 'cpuRequest', 'resourceCpuRequest');
}

export function irMemoryLimit(e: IrExecutor): boolean {
  return has(e.resources, 'memoryLimit', 'resourceMemoryLimit');
}

/** An accelerator type with no count: the step is placed on GPU nodes but gets no GPU. */
export function irAcceleratorWithoutCount(e: IrExecutor): string | undefined {
  const acc = yget(e.resources, 'accelerator');
  if (!isMap(acc)) return undefined;
  const type = ystring(yget(acc, 'type')) ?? ystring(yget(acc, 'resourceType'));
  if (!type) return undefined;
  const count = ystring(yget(acc, 'count')) ?? ystring(yget(acc, 'resourceCount'));
  return count && count !== '0' ? undefined : type;
}

import { isAlias, isMap, isScalar, type Pair, type YAMLMap } from 'yaml';
import type { EditSpec, FixSpec } from '../core/rule';
import type { TextUnit } from '../core/units';
import { yget, ykeys } from '../documents/yaml-nodes';
import type { ContainerSite } from './workloads';
import { ensureEntries, type YamlValue } from './yaml-edit';

/** Default requests and limits that the fixes insert: a starting point, to be sized from the step's real usage. */
export const DEFAULT_CPU_REQUEST = '500m';
export const DEFAULT_MEMORY = '1Gi';

export interface ResourceState {
  /** Fields that cannot be read (an alias, a template string, a `<<` merge): no judgement. */
  unknown: boolean;
  cpu: boolean;
  memoryRequest: boolean;
  memoryLimit: boolean;
  requests?: YAMLMap;
  limits?: YAMLMap;
}

function present(map: YAMLMap | undefined, key: string): boolean {
  const v = yget(map, key);
  return v !== undefined && !(isScalar(v) && (v.value === null || v.value === ''));
}

/** What a Kubernetes-style container (`resources.requests/limits`) sets. A limit alone implies the same request. */
export function resourceState(container: YAMLMap, defaultResources?: unknown): ResourceState {
  const resources = yget(container, 'resources') ?? (defaultResources as ReturnType<typeof yget>);
  if (ykeys(container).includes('<<') || isAlias(resources) || (resources !== undefined && !isMap(resources) && !(isScalar(resources) && resources.value === null))) {
    return { unknown: true, cpu: true, memoryRequest: true, memoryLimit: true };
  }
  const requests = yget(resources, 'requests');
  const limits = yget(resources, 'limits');
  if (isAlias(requests) || isAlias(limits) || (isMap(resources) && ykeys(resources).includes('<<'))) return { unknown: true, cpu: true, memoryRequest: true, memoryLimit: true };
  const req = isMap(requests) ? requests : undefined;
  const lim = isMap(limits) ? limits : undefined;
  if ((requests !== undefined && !req && !(isScalar(requests) && requests.value === null)) || (limits !== undefined && !lim && !(isScalar(limits) && limits.value === null))) {
    return { unknown: true, cpu: true, memoryRequest: true, memoryLimit: true };
  }
  return {
    unknown: false,
    cpu: present(req, 'cpu') || present(lim, 'cpu'),
    memoryRequest: present(req, 'memory') || present(lim, 'memory'),
    memoryLimit: present(lim, 'memory'),
    requests: req,
    limits: lim,
  };
}

export function missingParts(s: ResourceState): string[] {
  const out: string[] = [];
  if (!s.cpu && !s.memoryRequest) out.push('no CPU or memory request');
  else if (!s.cpu) out.push('no CPU request');
  else if (!s.memoryRequest) out.push('no memory request');
  if (!s.memoryLimit) out.push('no memory limit');
  return out;
}

function scalarValue(map: YAMLMap | undefined, key: string): YamlValue | undefined {
  const v = yget(map, key);
  return isScalar(v) && (typeof v.value === 'string' || typeof v.value === 'number') ? v.value : undefined;
}

/** Edits at the same offset, merged so that the deeper block (the inner map that ends there) comes first. */
export function mergeInsertions(edits: EditSpec[]): EditSpec[] {
  const byOffset = new Map<number, EditSpec[]>();
  const others: EditSpec[] = [];
  for (const e of edits) {
    if (e.start !== e.end) {
      others.push(e);
      continue;
    }
    let list = byOffset.get(e.start);
    if (!list) byOffset.set(e.start, (list = []));
    list.push(e);
  }
  const indent = (e: EditSpec) => /^(?:\r?\n)?( *)/.exec(e.newText)![1].length;
  const merged: EditSpec[] = [];
  for (const list of byOffset.values()) {
    list.sort((a, b) => indent(b) - indent(a));
    merged.push({ ...list[0], newText: list.map((e) => e.newText).join('') });
  }
  return [...others, ...merged];
}

/** The fix adding what is missing of `resources.requests.{cpu,memory}` and `resources.limits.memory`. */
export function resourcesFix(unit: TextUnit, root: unknown, site: ContainerSite, s: ResourceState, extraLimits: { [key: string]: YamlValue } = {}, defaults?: { cpu: string; memory: string }): FixSpec | undefined {
  const container = site.container;
  const memory = scalarValue(s.limits, 'memory') ?? scalarValue(s.requests, 'memory') ?? defaults?.memory ?? DEFAULT_MEMORY;
  const requests: { [key: string]: YamlValue } = {};
  if (!s.cpu) requests.cpu = defaults?.cpu ?? DEFAULT_CPU_REQUEST;
  if (!s.memoryRequest) requests.memory = memory;
  const limits: { [key: string]: YamlValue } = { ...extraLimits };
  if (!s.memoryLimit) limits.memory = memory;
  const edits: EditSpec[] = [];
  const resourcesPair = container.items.find((p) => isScalar(p.key) && p.key.value === 'resources') as Pair | undefined;
  if (!resourcesPair || (isScalar(resourcesPair.value) && resourcesPair.value.value === null) || (isMap(resourcesPair.value) && resourcesPair.value.items.length === 0)) {
    const value: { [key: string]: YamlValue } = {};
    if (Object.keys(requests).length) value.requests = requests;
    if (Object.keys(limits).length) value.limits = limits;
    const e = ensureEntries(unit, root, container, ['resources'], value, { after: ['image', 'imagePullPolicy', 'name'] });
    if (!e) return undefined;
    edits.push(e);
  } else {
    if (Object.keys(requests).length) {
      const e = ensureEntries(unit, root, container, ['resources', 'requests'], requests);
      if (!e) return undefined;
      edits.push(e);
    }
    if (Object.keys(limits).length) {
      const e = ensureEntries(unit, root, container, ['resources', 'limits'], limits);
      if (!e) return undefined;
      edits.push(e);
    }
  }
  if (!edits.length) return undefined;
  const parts = [...Object.entries(requests).map(([k, v]) => `requests.${k}: ${v}`), ...Object.entries(limits).map(([k, v]) => `limits.${k}: ${v}`)];
  return { title: `Add resources (${parts.join(', ')}) to \`${site.name}\``, applicability: 'unsafe', edits: mergeInsertions(edits) };
}

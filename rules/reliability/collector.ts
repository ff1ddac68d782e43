import { addValue, type WorkspaceFacts } from '../core/facts';
import type { FactCollector } from '../core/registry';
import { yget, yitems, ystring } from '../documents/yaml-nodes';
import { readableDocuments } from './workloads';

/**
 * Cluster objects elsewhere in the workspace that change what a workload's own fields mean: a
 * `LimitRange` gives containers default requests and limits, a `HorizontalPodAutoscaler` (or a
 * KEDA `ScaledObject`) owns a Deployment's replica count.
 */
export const LIMIT_RANGE_KEY = 'reliability.limit-range';
export const AUTOSCALER_KEY = 'reliability.autoscaler';

export interface LimitRangeFact {
  namespace?: string;
  /** Sets default limits for containers (`default`/`defaultRequest`). */
  defaults: boolean;
}

export interface AutoscalerFact {
  namespace?: string;
  kind: string;
  name: string;
  minReplicas?: number;
}

export const clusterObjectCollector: FactCollector = (doc, facts) => {
  if (!doc.yaml) return;
  for (const { doc: d, kind } of readableDocuments(doc.yaml)) {
    if (kind !== 'kubernetes') continue;
    const root = d.contents;
    const k = ystring(yget(root, 'kind'));
    const namespace = ystring(yget(yget(root, 'metadata'), 'namespace'));
    if (k === 'LimitRange') {
      const defaults = yitems(yget(yget(root, 'spec'), 'limits')).some((l) => ystring(yget(l, 'type')) === 'Container' && (yget(l, 'default') !== undefined || yget(l, 'defaultRequest') !== undefined));
      addValue(facts, LIMIT_RANGE_KEY, { namespace, defaults } satisfies LimitRangeFact);
    } else if (k === 'HorizontalPodAutoscaler' || k === 'ScaledObject') {
      const ref = yget(yget(root, 'spec'), 'scaleTargetRef');
      const name = ystring(yget(ref, 'name'));
      const min = Number(ystring(yget(yget(root, 'spec'), k === 'ScaledObject' ? 'minReplicaCount' : 'minReplicas')) ?? (k === 'ScaledObject' ? 0 : 1));
      if (name) addValue(facts, AUTOSCALER_KEY, { namespace, kind: ystring(yget(ref, 'kind')) ?? 'Deployment', name, minReplicas: Number.isFinite(min) ? min : undefined } satisfies AutoscalerFact);
    }
  }
};

function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return (a ?? 'default') === (b ?? 'default') || a === undefined || b === undefined;
}

export function limitRangeCovers(facts: WorkspaceFacts, namespace: string | undefined): boolean {
  return facts.values<LimitRangeFact>(LIMIT_RANGE_KEY).some(({ value }) => value.defaults && sameNamespace(value.namespace, namespace));
}

export function autoscalerOf(facts: WorkspaceFacts, kind: string, name: string, namespace: string | undefined): AutoscalerFact | undefined {
  return facts.values<AutoscalerFact>(AUTOSCALER_KEY).find(({ value }) => value.name === name && value.kind === kind && sameNamespace(value.namespace, namespace))?.value;
}

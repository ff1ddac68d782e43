import { isMap, type Node as YNode } from 'yaml';
import { yget, ykeys, ystring } from './yaml-nodes';

/** The pipeline and job formats mlready understands. Unknown YAML is 'generic' and left alone. */
export type YamlKind =
  | 'dvc'
  | 'dvc-params'
  | 'mlproject'
  | 'conda-env'
  | 'argo'
  | 'kubeflow'
  | 'vertex'
  | 'github-actions'
  | 'gitlab-ci'
  | 'kedro-catalog'
  | 'kedro-parameters'
  | 'azureml'
  | 'kubernetes'
  | 'docker-compose'
  | 'mlready-config'
  | 'generic';

export const YAML_KINDS: readonly YamlKind[] = [
  'dvc', 'dvc-params', 'mlproject', 'conda-env', 'argo', 'kubeflow', 'vertex', 'github-actions', 'gitlab-ci',
  'kedro-catalog', 'kedro-parameters', 'azureml', 'kubernetes', 'docker-compose', 'mlready-config', 'generic',
];

/** Detects the kind of one YAML document from its file path and its top-level shape. */
export function detectYamlKind(path: string, root: YNode | null, documentCount = 1): YamlKind {
  const p = path.replace(/\\/g, '/');
  const base = p.split('/').pop() ?? p;
  const keys = new Set(ykeys(root));
  const has = (...k: string[]) => k.every((x) => keys.has(x));

  if (/^\.?mlready\.ya?ml$/.test(base)) return 'mlready-config';
  if (base === 'MLproject' || base === 'MLproject.yaml' || base === 'MLproject.yml') return 'mlproject';
  if (/^dvc\.ya?ml$/.test(base) && (has('stages') || keys.size === 0)) return 'dvc';
  if (/^params\.ya?ml$/.test(base) && documentCount === 1) return 'dvc-params';
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(p) && (keys.has('jobs') || keys.has('on'))) return 'github-actions';
  if (/^\.gitlab-ci\.ya?ml$/.test(base)) return 'gitlab-ci';

  const schema = ystring(yget(root, '$schema')) ?? '';
  if (/azureml/i.test(schema)) return 'azureml';

  const apiVersion = ystring(yget(root, 'apiVersion')) ?? '';
  const kind = ystring(yget(root, 'kind')) ?? '';
  if (apiVersion && kind) {
    if (apiVersion.startsWith('argoproj.io/')) {
      const annotations = yget(yget(root, 'metadata'), 'annotations');
      const isKfp = ykeys(annotations).some((k) => k.startsWith('pipelines.kubeflow.org/'));
      return isKfp ? 'kubeflow' : 'argo';
    }
    if (apiVersion.startsWith('kubeflow.org/')) return 'kubeflow';
    return 'kubernetes';
  }
  // Kubeflow Pipelines v2 IR: pipelineInfo + deploymentSpec/root
  if (has('pipelineInfo') && (keys.has('deploymentSpec') || keys.has('root') || keys.has('components'))) return 'kubeflow';
  // Vertex AI PipelineJob / CustomJob specs
  if ((keys.has('pipelineSpec') && (keys.has('runtimeConfig') || keys.has('displayName'))) || (keys.has('displayName') && keys.has('jobSpec'))) return 'vertex';
  if (keys.has('workerPoolSpecs')) return 'vertex';

  if (/(^|\/)conf\/[^/]+\/(.*\/)?catalog[^/]*\.ya?ml$/.test(p) || /^catalog[^/]*\.ya?ml$/.test(base)) {
    if (isKedroCatalog(root)) return 'kedro-catalog';
  }
  if (/(^|\/)conf\/[^/]+\/(.*\/)?parameters[^/]*\.ya?ml$/.test(p)) return 'kedro-parameters';
  if (/^(environment|conda)[^/]*\.ya?ml$/.test(base) && keys.has('dependencies')) return 'conda-env';
  if (/^(docker-)?compose[^/]*\.ya?ml$/.test(base) && keys.has('services')) return 'docker-compose';
  if (isKedroCatalog(root) && keys.size > 0) return 'kedro-catalog';
  return 'generic';
}

function isKedroCatalog(root: unknown): boolean {
  if (!isMap(root) || root.items.length === 0) return false;
  // every entry is a map with a `type:` naming a dataset class
  return root.items.every((pair) => {
    const t = ystring(yget(pair.value, 'type'));
    return !!t && /(DataSet|Dataset)$|^(pandas|spark|polars|pickle|json|yaml|text|tracking|matplotlib|partitions|api|sql)\./.test(t);
  });
}

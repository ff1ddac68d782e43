import { isScalar } from 'yaml';
import { defineRule } from '../core/rule';
import { validate, type JsonSchema } from './schema';
import dvcSchema from './schemas/dvc.json';
import githubSchema from './schemas/github-workflow.json';
import containerSchema from './schemas/k8s-container.json';
import mlprojectSchema from './schemas/mlproject.json';
import { containerSites } from './workloads';

const DVC = dvcSchema as JsonSchema;
const MLPROJECT = mlprojectSchema as JsonSchema;
const GITHUB = githubSchema as JsonSchema;
const CONTAINER = containerSchema as JsonSchema;

function containerDefinition(name: string): JsonSchema {
  return { definitions: CONTAINER.definitions, $ref: `#/definitions/${name}` };
}

export default defineRule({
  code: 'L210',
  name: 'invalid-pipeline-config',
  category: 'reliability',
  severity: 'error',
  appliesTo: ['yaml'],
  docs: {
    summary:
      'A pipeline file of a known kind does not match the schema of its tool: `dvc.yaml` (sections, stages, outputs), `MLproject` (environments, entry points, parameters), GitHub Actions workflows (top level, jobs, steps), and Kubernetes containers wherever they appear (Deployments, Jobs, CronJobs, KServe, Seldon, Kubeflow training jobs, Argo templates). The finding points at the unknown key (with the closest known one), the value of the wrong type, or the object that misses a required key.',
    why:
      'The tool rejects the file when the pipeline starts — `dvc repro` stops at "extra keys not allowed", the workflow never runs, `kubectl apply` refuses an unknown field or a number where a string belongs — or, worse, silently ignores the misspelt key (`deps` written `dep`, `readinessprobe`), and the protection it was meant to add is not there. Other families\' rules cannot check what a misspelt key was meant to say.',
    example: 'stages:\n  train:\n    cmd: python src/train.py\n    dep:\n      - data/train.csv\n\n# Kubernetes\nenv:\n  - name: WORKERS\n    value: 4',
    useInstead: 'stages:\n  train:\n    cmd: python src/train.py\n    deps:\n      - data/train.csv\n\n# Kubernetes\nenv:\n  - name: WORKERS\n    value: "4"',
    language: 'yaml',
  },
  check(ctx) {
    const yaml = ctx.doc.yaml;
    if (!yaml || yaml.problems.length) return;
    const unit = ctx.doc.file;
    let reported = 0;
    const report = (problems: ReturnType<typeof validate>) => {
      for (const p of problems) {
        if (reported++ >= 20) return;
        ctx.report({ unit, start: p.start, end: p.end, message: p.message, severity: p.severity === 'error' ? undefined : p.severity });
      }
    };
    for (const { doc, kind } of yaml.documents) {
      const root = doc.contents;
      if (!root) continue;
      if (kind === 'dvc') report(validate(root, DVC, unit));
      else if (kind === 'mlproject') report(validate(root, MLPROJECT, unit));
      else if (kind === 'github-actions') report(validate(root, GITHUB, unit));
      else if (kind === 'kubernetes' || kind === 'argo' || kind === 'kubeflow') {
        for (const site of containerSites(kind, root)) {
          if (site.source === 'kserve-model') continue;
          const def = site.source === 'script' ? 'argoScript' : site.source === 'container' ? 'argoContainer' : site.workload.resourceKind === 'InferenceService' ? 'kserveContainer' : 'container';
          // an Argo template's `container:`/`script:` key, else the container's name
          const key = site.template?.items.find((p) => p.value === site.container)?.key;
          const at: [number, number] = isScalar(key) && key.range ? [key.range[0], key.range[1]] : site.anchor;
          report(validate(site.container, containerDefinition(def), unit, at));
        }
      }
    }
  },
});

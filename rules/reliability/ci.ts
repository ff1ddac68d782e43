import { isMap, isScalar, isSeq, type Node as YNode, type Scalar, type YAMLMap } from 'yaml';
import type { YamlKind } from '../documents/yaml-kind';
import { yentries, yget, yitems, ykeys, ystring } from '../documents/yaml-nodes';

/**
 * CI jobs of GitHub Actions workflows and GitLab CI files, with what they do as far as their
 * names and commands say: train, evaluate (evaluation, tests, validation, approval), deploy.
 * GitLab `extends:` is followed to hidden jobs of the same file; `<<: *anchor` merges and
 * `include:`d files are not, and a job that uses them is treated as unknown where it matters.
 */

export interface CiStep {
  map?: YAMLMap;
  /** The step's command text (`run:`, or one GitLab script line) and `uses:`/`with:` values. */
  text: string;
  id?: string;
  name?: string;
  index: number;
}

export interface CiJob {
  kind: 'github-actions' | 'gitlab-ci';
  id: string;
  key: Scalar;
  map: YAMLMap;
  name: string;
  steps: CiStep[];
  /** Job ids this job needs. */
  needs: string[];
  /** GitLab: `needs` absent means "every job of earlier stages". */
  hasNeeds: boolean;
  stage?: string;
  /** GitLab: the job names its stage (the default stage, `test`, says nothing about the job). */
  stageDeclared?: boolean;
  /** A calling job of a reusable workflow (`uses:` at job level). */
  reusable: boolean;
  /** Parts of the job mlready cannot see (`<<` merges, unresolved `extends`). */
  opaque: boolean;
  /** Looks up a key through GitLab `extends`. */
  get(key: string): YNode | undefined;
}

const GITLAB_RESERVED = new Set(['default', 'include', 'stages', 'variables', 'workflow', 'image', 'services', 'cache', 'before_script', 'after_script', 'types', 'spec']);

function text(node: unknown): string {
  if (isScalar(node)) return node.value === null ? '' : String(node.value);
  if (isSeq(node)) return node.items.map(text).join('\n');
  if (isMap(node)) return node.items.map((p) => `${isScalar(p.key) ? p.key.value : ''} ${text(p.value)}`).join('\n');
  return '';
}

function strings(node: unknown): string[] {
  if (isScalar(node) && node.value !== null) return [String(node.value)];
  return yitems(node).map((n) => (isScalar(n) ? String(n.value) : isMap(n) ? (ystring(yget(n, 'job')) ?? '') : '')).filter(Boolean);
}

export function ciJobs(kind: YamlKind, root: unknown): CiJob[] {
  if (kind === 'github-actions') return actionsJobs(root);
  if (kind === 'gitlab-ci') return gitlabJobs(root);
  return [];
}

function actionsJobs(root: unknown): CiJob[] {
  const out: CiJob[] = [];
  for (const e of yentries(yget(root, 'jobs'))) {
    if (!isMap(e.value)) continue;
    const map = e.value;
    const steps: CiStep[] = yitems(yget(map, 'steps')).map((s, index) => ({
      map: isMap(s) ? s : undefined,
      text: [ystring(yget(s, 'run')), ystring(yget(s, 'uses')), text(yget(s, 'with')), ystring(yget(s, 'name'))].filter(Boolean).join('\n'),
      id: ystring(yget(s, 'id')),
      name: ystring(yget(s, 'name')),
      index,
    }));
    out.push({
      kind: 'github-actions',
      id: e.key,
      key: e.keyNode,
      map,
      name: ystring(yget(map, 'name')) ?? e.key,
      steps,
      needs: strings(yget(map, 'needs')),
      hasNeeds: yget(map, 'needs') !== undefined,
      reusable: yget(map, 'uses') !== undefined,
      opaque: ykeys(map).includes('<<'),
      get: (k) => yget(map, k),
    });
  }
  return out;
}

function gitlabJobs(root: unknown): CiJob[] {
  const all = new Map(yentries(root).map((e) => [e.key, e]));
  const out: CiJob[] = [];
  for (const e of yentries(root)) {
    if (GITLAB_RESERVED.has(e.key) || e.key.startsWith('.') || !isMap(e.value)) continue;
    const map = e.value;
    const keys = ykeys(map);
    if (!keys.some((k) => ['script', 'trigger', 'extends', 'run'].includes(k))) continue;
    let opaque = keys.includes('<<');
    const chain: YAMLMap[] = [map];
    const seen = new Set<string>([e.key]);
    const queue = strings(yget(map, 'extends'));
    while (queue.length && chain.length < 10) {
      const parent = queue.shift()!;
      if (seen.has(parent)) continue;
      seen.add(parent);
      const p = all.get(parent)?.value;
      if (!isMap(p)) {
        opaque = true;
        continue;
      }
      if (ykeys(p).includes('<<')) opaque = true;
      chain.push(p);
      queue.push(...strings(yget(p, 'extends')));
    }
    const get = (k: string) => {
      for (const m of chain) {
        const v = yget(m, k);
        if (v !== undefined) return v;
      }
      return undefined;
    };
    const lines = [...strings(get('before_script')), ...strings(get('script'))];
    const steps: CiStep[] = lines.map((l, index) => ({ text: l, index }));
    out.push({
      kind: 'gitlab-ci',
      id: e.key,
      key: e.keyNode,
      map,
      name: e.key,
      steps,
      needs: strings(get('needs')),
      hasNeeds: get('needs') !== undefined,
      stage: ystring(get('stage')) ?? 'test',
      stageDeclared: get('stage') !== undefined,
      reusable: false,
      opaque,
      get,
    });
  }
  return out;
}

/** GitLab stages in order (the default list when the file declares none). */
export function gitlabStages(root: unknown): string[] {
  const declared = strings(yget(root, 'stages'));
  return ['.pre', ...(declared.length ? declared : ['build', 'test', 'deploy']), '.post'];
}

// ─── what a job does ─────────────────────────────────────────────────────────────────────────

/** Words of an identifier or a name: `evaluate-model` → evaluate, model; `deployProd` → deploy, prod. */
export function words(s: string): string[] {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const TRAIN_WORD = /^(train|training|retrain|finetune|fine|fit|tune|tuning)$/;
const EVAL_WORD = /^(eval|evals|evaluate|evaluation|evaluating|test|tests|testing|validate|validation|verify|verification|benchmark|benchmarks|quality|gate|approve|approval|acceptance|smoke|pytest)$/;
const DEPLOY_WORD = /^(deploy|deployment|deploying|release|promote|promotion|rollout|serve|serving|ship)$/;

const TRAIN_COMMAND = /\b(python[\d.]*|uv run|poetry run)\s+(-m\s+)?[\w./-]*train[\w./-]*|\bdvc\s+(repro|exp\s+run)\b|\bmlflow\s+run\b|\bsagemaker\b.*\b(fit|create-training-job)\b|\baz\s+ml\s+job\s+create\b|\bgcloud\s+ai\s+custom-jobs\s+create\b/i;
const EVAL_COMMAND = /\bpytest\b|\bpython[\d.]*\s+(-m\s+)?[\w./-]*(eval|evaluat|validat|test|benchmark)[\w./-]*|\bdvc\s+(metrics|plots)\s+(diff|show)\b|\bmlflow\s+models\s+(predict|evaluate)\b|\bgreat_expectations\b|\bgx\s+checkpoint\b|\bdeepchecks\b|\bmake\s+(test|eval\w*|check)\b|\btox\b|\bnox\b/i;
const DEPLOY_COMMAND = /\bkubectl\s+(apply|set\s+image|rollout|replace|create)\b|\bhelm\s+(upgrade|install)\b|\bkustomize\b.*\|\s*kubectl|\baz\s+ml\s+online-(deployment|endpoint)\s+(create|update)\b|\bgcloud\s+(ai\s+endpoints\s+deploy-model|run\s+deploy|ai\s+models\s+upload)\b|\baws\s+sagemaker\s+(create|update)-endpoint\b|\bmlflow\s+deployments\s+(create|update)\b|\bbentoml\s+deploy\b|\bseldon\s+(model\s+load|deployment)\b|\bkserve\b|\bmodal\s+deploy\b|\bsam\s+deploy\b|\bserverless\s+deploy\b|\bargocd\s+app\s+sync\b|azure\/k8s-deploy|deploy-cloudrun|amazon-ecs-deploy|azure\/webapps-deploy|deploy[\w-]*\.(sh|py)\b/i;
const MODEL_CONTEXT = /\bmodels?\b|inference|predict|serving|endpoint|kserve|seldon|sagemaker|vertex|aiplatform|azureml|\baz\s+ml\b|mlflow|bentoml|triton|torchserve|onnx|\bllm\b|huggingface/i;

export interface JobPurpose {
  train: boolean;
  evaluate: boolean;
  deploy: boolean;
  /** The job touches models (names, images or commands say so). */
  model: boolean;
}

export function jobText(job: CiJob): string {
  return [job.id, job.name, job.stageDeclared ? (job.stage ?? '') : '', ...job.steps.map((s) => s.text), text(job.get('environment'))].join('\n');
}

/** What a job does. `withStage`: count a GitLab job's declared stage name (`stage: evaluate`) as saying it too. */
export function purposeOf(job: CiJob, withStage = false): JobPurpose {
  const nameWords = [...words(job.id), ...words(job.name), ...(withStage && job.stageDeclared && job.stage ? words(job.stage) : [])];
  const commands = job.steps.map((s) => s.text).join('\n');
  return {
    train: nameWords.some((w) => TRAIN_WORD.test(w)) || TRAIN_COMMAND.test(commands),
    evaluate: nameWords.some((w) => EVAL_WORD.test(w)) || EVAL_COMMAND.test(commands),
    deploy: nameWords.some((w) => DEPLOY_WORD.test(w)) || DEPLOY_COMMAND.test(commands) || job.get('environment') !== undefined && job.kind === 'gitlab-ci' && /deploy|prod/i.test(text(job.get('environment'))),
    model: MODEL_CONTEXT.test(jobText(job)),
  };
}

export function stepPurpose(step: CiStep): { train: boolean; evaluate: boolean; deploy: boolean } {
  const nameWords = [...words(step.name ?? ''), ...words(step.id ?? '')];
  return {
    train: nameWords.some((w) => TRAIN_WORD.test(w)) || TRAIN_COMMAND.test(step.text),
    evaluate: nameWords.some((w) => EVAL_WORD.test(w)) || EVAL_COMMAND.test(step.text),
    deploy: nameWords.some((w) => DEPLOY_WORD.test(w)) || DEPLOY_COMMAND.test(step.text),
  };
}

/** Every job a job waits for, transitively. */
export function ancestors(job: CiJob, jobs: CiJob[], stages?: string[]): Set<string> {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const out = new Set<string>();
  const direct = (j: CiJob): string[] => {
    if (j.kind === 'gitlab-ci' && !j.hasNeeds && stages) {
      const at = stages.indexOf(j.stage ?? 'test');
      return jobs.filter((o) => o !== j && stages.indexOf(o.stage ?? 'test') < at && stages.indexOf(o.stage ?? 'test') >= 0).map((o) => o.id);
    }
    return j.needs;
  };
  const queue = [...direct(job)];
  while (queue.length) {
    const id = queue.shift()!;
    if (out.has(id)) continue;
    out.add(id);
    const j = byId.get(id);
    if (j) queue.push(...direct(j));
  }
  return out;
}

export function isExpression(s: string): boolean {
  return /\$\{\{/.test(s);
}

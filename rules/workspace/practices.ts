import { isTestPath, type ResolvedConfig } from '../core/config';
import type { WorkspaceFacts } from '../core/facts';
import { docUrl } from '../core/registry';
import type { Category, Finding, Range, Stage } from '../core/types';

/**
 * The project-level practices of the readiness score (DESIGN.md §5, after "The ML Test Score",
 * Breck et al. 2017). Each practice belongs to one category (where its points count) and to one
 * ML Test Score section (the second view of the same practices), is expected from a stage on,
 * and is judged from the workspace facts and the findings: met, partly, missing, or not
 * applicable (nothing in the project it could apply to). Pure: no I/O.
 */
export type PracticeStatus = 'met' | 'partly' | 'missing' | 'not-applicable';
export type MlTestSection = 'data' | 'model' | 'infrastructure' | 'monitoring';
export const ML_TEST_SECTIONS: readonly MlTestSection[] = ['data', 'model', 'infrastructure', 'monitoring'];

export type PracticeId =
  | 'experiment-tracking'
  | 'data-validation'
  | 'dependencies-pinned'
  | 'seeds-set'
  | 'models-registered'
  | 'model-card'
  | 'owner-declared'
  | 'serving-instrumented'
  | 'drift-monitored'
  | 'pipeline-steps-bounded'
  | 'ci-runs-tests'
  | 'no-secrets';

/** A place that justifies a judgement (evidence of a met practice, or a finding behind a gap). */
export interface PracticeLocation {
  file: string;
  cell?: number;
  range?: Range;
}

export interface PracticeJudgement {
  status: PracticeStatus;
  /** One sentence: what the scan found. */
  evidence: string;
  locations: PracticeLocation[];
}

export interface PracticeDefinition {
  id: PracticeId;
  title: string;
  category: Category;
  section: MlTestSection;
  /** Relative weight among the practices of its category. */
  weight: number;
  /** First stage at which the practice is expected. */
  expectedFrom: Stage;
  /** One sentence: why it matters for production. */
  why: string;
  /** One sentence: what to do. */
  fix: string;
  /** The rule whose documentation explains the practice, and the codes whose findings it judges. */
  doc?: { code: string; name: string };
  codes: string[];
  judge(p: ProjectView): PracticeJudgement;
}

/** What the practices read, computed once per score. */
export interface ProjectView {
  facts: WorkspaceFacts;
  config: ResolvedConfig;
  byCode: Map<string, Finding[]>;
  hasCode: boolean;
  trains: boolean;
  saves: boolean;
  serves: boolean;
}

const STAGE_ORDER: Record<Stage, number> = { exploration: 0, pilot: 1, production: 2 };
export function expectedAt(practice: Pick<PracticeDefinition, 'expectedFrom'>, stage: Stage): boolean {
  return STAGE_ORDER[stage] >= STAGE_ORDER[practice.expectedFrom];
}

const ML_MODULES = ['sklearn', 'xgboost', 'lightgbm', 'catboost', 'torch', 'tensorflow', 'keras', 'transformers', 'statsmodels', 'prophet', 'pytorch_lightning', 'lightning', 'jax', 'fastai', 'sentence_transformers'];
const PIPELINE_YAML = new Set(['argo', 'kubeflow', 'vertex', 'azureml', 'kubernetes']);
const PIPELINE_MODULES = ['airflow', 'kfp', 'prefect', 'dagster', 'metaflow', 'zenml'];
const BOUNDING_CODES = ['L201', 'L202', 'L203', 'L204', 'L208'];
const SECRET_CODES = ['S101', 'S102', 'S103', 'S104', 'S105', 'S106'];
const LOCK_FILE = /(^|\/)(poetry\.lock|uv\.lock|Pipfile\.lock|pdm\.lock|conda-lock\.ya?ml|[\w.-]*\.lock|requirements[\w.-]*\.(lock|txt)\.lock)$/;
const DEPENDENCY_FILE = /(^|\/)(requirements[\w.-]*\.(txt|in)|pyproject\.toml|Pipfile|setup\.py|setup\.cfg|environment\.ya?ml|conda\.ya?ml)$/;
const CI_FILE = /(^|\/)(\.github\/workflows\/[^/]+\.ya?ml|\.gitlab-ci\.ya?ml|Jenkinsfile|\.circleci\/config\.ya?ml|azure-pipelines\.ya?ml|bitbucket-pipelines\.ya?ml|\.buildkite\/[^/]+\.ya?ml)$/;
const CODEOWNERS = /(^|\/)CODEOWNERS$/;
const REGISTRY_CALL = /^(mlflow(\.[\w]+)*\.(log_model|register_model|log_artifacts?)|mlflow\.register_model|wandb(\.[\w]+)*\.(log_artifact|log_model|link_model|Artifact)|huggingface_hub(\.[\w]+)*\.(upload_file|upload_folder|create_commit)|bentoml(\.[\w]+)*\.save_model|neptune(\.[\w]+)*|comet_ml(\.[\w]+)*\.(log_model|register_model)|clearml(\.[\w]+)*\.OutputModel|sagemaker(\.[\w]+)*\.ModelPackage|google\.cloud\.aiplatform\.Model\.upload|azure\.ai\.ml(\.[\w]+)*\.Model)$/;

/** Tags set by the family collectors and by rules/workspace/collectors.ts. */
export const PRACTICE_TAGS = {
  tracks: 'tracks-experiments',
  serves: 'serves-model',
  drift: 'monitors-drift',
  appInstrumented: 'monitoring.app-instrumented',
  trains: 'governance:trains-model',
  saves: 'governance:saves-model',
  govServes: 'governance:serves-model',
  card: 'governance:model-card',
  owner: 'governance:owner',
  dvcOut: 'governance:dvc-out:',
  read: 'data-read',
  validation: 'data-validation',
  contractFile: 'data-contract-file',
  seeds: 'repro.seeds:',
  ci: 'workspace:ci',
  ciTests: 'workspace:ci-runs-tests',
} as const;

export function projectView(findings: readonly Finding[], facts: WorkspaceFacts, config: ResolvedConfig): ProjectView {
  const byCode = new Map<string, Finding[]>();
  for (const f of findings) {
    let list = byCode.get(f.code);
    if (!list) byCode.set(f.code, (list = []));
    list.push(f);
  }
  const files = [...facts.files.values()];
  const hasCode = files.some((f) => f.kind === 'python' || f.kind === 'notebook');
  const has = (t: string) => facts.hasTag(t);
  const trains = has(PRACTICE_TAGS.trains) || has(PRACTICE_TAGS.tracks) || byCode.has('M101') || byCode.has('R103') || ML_MODULES.some((m) => facts.importsAnywhere(m));
  const serves = has(PRACTICE_TAGS.serves) || has(PRACTICE_TAGS.govServes) || byCode.has('M104');
  const saves = has(PRACTICE_TAGS.saves) || byCode.has('G101');
  return { facts, config, byCode, hasCode, trains, saves, serves };
}

function count(p: ProjectView, codes: string[]): Finding[] {
  return codes.flatMap((c) => p.byCode.get(c) ?? []);
}

function findingLocations(list: Finding[], max = 20): PracticeLocation[] {
  return list
    .filter((f) => f.file !== null)
    .slice(0, max)
    .map((f) => ({ file: f.file!, ...(f.cell !== undefined ? { cell: f.cell } : {}), range: f.range }));
}

function tagLocations(facts: WorkspaceFacts, tag: string, prefix = false, max = 5): PracticeLocation[] {
  const out: PracticeLocation[] = [];
  for (const f of [...facts.files.values()].sort((a, b) => a.path.localeCompare(b.path))) {
    for (const [t, locs] of f.tags) {
      if (prefix ? !t.startsWith(tag) : t !== tag) continue;
      if (locs.length === 0) out.push({ file: f.path });
      for (const l of locs) out.push({ file: l.path, ...(l.cell !== undefined ? { cell: l.cell } : {}), range: l.range });
      if (out.length >= max) return dedupe(out).slice(0, max);
    }
  }
  return dedupe(out).slice(0, max);
}

function dedupe(list: PracticeLocation[]): PracticeLocation[] {
  const seen = new Set<string>();
  return list.filter((l) => {
    const k = `${l.file}#${l.cell ?? ''}#${l.range?.start.line ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function files(list: Finding[]): string {
  const names = [...new Set(list.map((f) => f.file).filter((f): f is string => f !== null))].sort();
  if (names.length === 0) return '';
  return names.length <= 2 ? names.join(' and ') : `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
}

function n(k: number, word: string, many = `${word}s`): string {
  return `${k} ${k === 1 ? word : many}`;
}

const na = (evidence: string): PracticeJudgement => ({ status: 'not-applicable', evidence, locations: [] });

/** The practices, in checklist order. Weights are relative within a category. */
export const PRACTICES: readonly PracticeDefinition[] = [
  {
    id: 'experiment-tracking',
    title: 'Experiment tracking configured',
    category: 'monitoring',
    section: 'model',
    weight: 2,
    expectedFrom: 'exploration',
    why: 'Without logged parameters, metrics and artifacts, no one can tell which run produced the model in production or compare it with the next one.',
    fix: 'Log every training run to a tracker (MLflow, Weights & Biases …) or name yours under allow.tracking in mlready.yaml.',
    doc: { code: 'M101', name: 'untracked-training' },
    codes: ['M101', 'M102'],
    judge(p) {
      if (!p.trains) return na('No model training found.');
      const tracked = p.facts.hasTag(PRACTICE_TAGS.tracks) || p.config.allow.tracking.length > 0;
      const gaps = count(p, this.codes);
      if (!tracked) return { status: 'missing', evidence: 'The project trains models but no file logs to an experiment tracker.', locations: findingLocations(gaps) };
      if (gaps.length) return { status: 'partly', evidence: `A tracker is used, but ${n(gaps.length, 'training or metric site')} in ${files(gaps)} ${gaps.length === 1 ? 'is' : 'are'} not tracked.`, locations: findingLocations(gaps) };
      return { status: 'met', evidence: 'Training runs are logged to an experiment tracker.', locations: tagLocations(p.facts, PRACTICE_TAGS.tracks) };
    },
  },
  {
    id: 'data-validation',
    title: 'Inputs validated by contracts',
    category: 'data-contracts',
    section: 'data',
    weight: 3,
    expectedFrom: 'pilot',
    why: 'Unvalidated inputs let schema drift and bad batches flow silently into training and predictions.',
    fix: 'Describe each dataset with a schema or data contract (pandera, Great Expectations, a Data Contract file) and validate it where it is read and served.',
    doc: { code: 'D101', name: 'unvalidated-read' },
    codes: ['D101', 'D103', 'D106'],
    judge(p) {
      const reads = p.facts.hasTag(PRACTICE_TAGS.read);
      if (!reads && !p.serves) return na('No dataset read and no model served.');
      const validated = p.facts.hasTag(PRACTICE_TAGS.validation) || p.facts.hasTag(PRACTICE_TAGS.contractFile) || p.config.allow.validation.length > 0;
      const gaps = count(p, this.codes);
      const fileGaps = gaps.filter((f) => f.file !== null && f.code !== 'D106');
      if (!validated) return { status: 'missing', evidence: 'Data is read or served, but no schema, contract or validation call was found.', locations: findingLocations(gaps) };
      if (gaps.length) return { status: 'partly', evidence: fileGaps.length ? `Some inputs are validated, but ${n(fileGaps.length, 'input')} in ${files(fileGaps)} ${fileGaps.length === 1 ? 'is' : 'are'} not.` : 'Inputs are validated in code, but no data contract describes the datasets.', locations: findingLocations(gaps) };
      return { status: 'met', evidence: 'Datasets are described by schemas or contracts and validated.', locations: [...tagLocations(p.facts, PRACTICE_TAGS.contractFile, false, 2), ...tagLocations(p.facts, PRACTICE_TAGS.validation, false, 3)] };
    },
  },
  {
    id: 'dependencies-pinned',
    title: 'Dependencies pinned or locked',
    category: 'reproducibility',
    section: 'infrastructure',
    weight: 2,
    expectedFrom: 'exploration',
    why: 'Unpinned dependencies make a rebuild install different library versions, so training and serving silently change.',
    fix: 'Pin exact versions in requirements (or commit a lock file: uv.lock, poetry.lock, conda-lock) and pin images and actions.',
    doc: { code: 'R110', name: 'unpinned-dependency' },
    codes: ['R110', 'R111', 'R120', 'R121', 'R122'],
    judge(p) {
      if (!p.hasCode && ![...p.facts.files.values()].some((f) => f.kind === 'requirements')) return na('No Python code or dependency list.');
      const depFiles = p.facts.findPaths((x) => DEPENDENCY_FILE.test(x) || LOCK_FILE.test(x));
      const locks = depFiles.filter((x) => LOCK_FILE.test(x));
      const gaps = count(p, this.codes);
      if (depFiles.length === 0) return { status: 'missing', evidence: 'No requirements, pyproject, environment or lock file declares the dependencies.', locations: findingLocations(gaps) };
      if (gaps.length) return { status: 'partly', evidence: `Dependencies are declared in ${depFiles.slice(0, 2).join(', ')}, but ${n(gaps.length, 'reference')} in ${files(gaps)} ${gaps.length === 1 ? 'is' : 'are'} not pinned.`, locations: findingLocations(gaps) };
      return { status: 'met', evidence: locks.length ? `Dependencies are locked (${locks[0]}).` : `Every dependency in ${depFiles.slice(0, 2).join(', ')} is pinned.`, locations: depFiles.slice(0, 3).map((file) => ({ file })) };
    },
  },
  {
    id: 'seeds-set',
    title: 'Random seeds set',
    category: 'reproducibility',
    section: 'infrastructure',
    weight: 1,
    expectedFrom: 'exploration',
    why: 'Unseeded randomness makes a training run impossible to reproduce or to compare fairly with another.',
    fix: 'Seed every random generator used in training (random, numpy, torch …) and pass random_state to estimators.',
    doc: { code: 'R103', name: 'unseeded-training' },
    codes: ['R101', 'R102', 'R103'],
    judge(p) {
      if (!p.trains) return na('No model training found.');
      const seeded = [...p.facts.files.values()].some((f) => [...f.tags.keys()].some((t) => t.startsWith(PRACTICE_TAGS.seeds)));
      const gaps = count(p, this.codes);
      if (!seeded && gaps.length) return { status: 'missing', evidence: `No seed is set, and ${n(gaps.length, 'random source')} in ${files(gaps)} ${gaps.length === 1 ? 'is' : 'are'} unseeded.`, locations: findingLocations(gaps) };
      if (gaps.length) return { status: 'partly', evidence: `Seeds are set, but ${n(gaps.length, 'random source')} in ${files(gaps)} ${gaps.length === 1 ? 'is' : 'are'} not.`, locations: findingLocations(gaps) };
      return { status: 'met', evidence: seeded ? 'Random generators and estimators are seeded.' : 'Estimators are given a random_state and no unseeded random source was found.', locations: tagLocations(p.facts, PRACTICE_TAGS.seeds, true) };
    },
  },
  {
    id: 'models-registered',
    title: 'Models registered with lineage',
    category: 'governance',
    section: 'infrastructure',
    weight: 2,
    expectedFrom: 'pilot',
    why: 'A model file without a registry entry or lineage cannot be traced to its code and data, audited or rolled back.',
    fix: 'Log models to a registry (mlflow.log_model / register_model, W&B artifacts …) or track them as DVC outputs.',
    doc: { code: 'G101', name: 'model-artifact-without-lineage' },
    codes: ['G101'],
    judge(p) {
      if (!p.trains && !p.saves) return na('No model trained or saved.');
      const calls = [...p.facts.files.values()].filter((f) => [...f.calls].some((c) => REGISTRY_CALL.test(c)));
      const dvc = [...p.facts.files.values()].some((f) => [...f.tags.keys()].some((t) => t.startsWith(PRACTICE_TAGS.dvcOut)));
      const registered = calls.length > 0 || dvc;
      const gaps = count(p, this.codes);
      if (!registered) return { status: 'missing', evidence: p.saves ? 'Models are saved to files, but never logged to a registry or tracked by DVC.' : 'Models are trained, but never saved to a registry or tracked by DVC.', locations: findingLocations(gaps) };
      if (gaps.length) return { status: 'partly', evidence: `Some models are registered, but ${n(gaps.length, 'saved artifact')} in ${files(gaps)} ${gaps.length === 1 ? 'has' : 'have'} no lineage.`, locations: findingLocations(gaps) };
      return { status: 'met', evidence: dvc && !calls.length ? 'Model artifacts are tracked as DVC outputs.' : 'Models are logged to a model registry.', locations: calls.slice(0, 3).map((f) => ({ file: f.path })) };
    },
  },
  {
    id: 'model-card',
    title: 'Model card present',
    category: 'governance',
    section: 'model',
    weight: 1,
    expectedFrom: 'pilot',
    why: 'Reviewers and users need the intended use, training data, metrics and limits of a model in one place.',
    fix: 'Add a MODEL_CARD.md (the G102 fix generates one from what the scan knows).',
    doc: { code: 'G102', name: 'no-model-card' },
    codes: ['G102'],
    judge(p) {
      if (!p.trains && !p.saves && !p.serves) return na('No model trained, saved or served.');
      const card = findCard(p.facts);
      if (card) return { status: 'met', evidence: `The model card is ${card}.`, locations: [{ file: card }] };
      return { status: 'missing', evidence: 'No model card (MODEL_CARD.md, model_card.md or a generated card) was found.', locations: [] };
    },
  },
  {
    id: 'owner-declared',
    title: 'Owner declared',
    category: 'governance',
    section: 'infrastructure',
    weight: 1,
    expectedFrom: 'pilot',
    why: 'When a model misbehaves in production someone must be accountable and reachable.',
    fix: 'Set owner in mlready.yaml, add a CODEOWNERS file, or an owner label on the pipeline or deployment.',
    doc: { code: 'G103', name: 'no-owner' },
    codes: ['G103'],
    judge(p) {
      if (!p.hasCode && p.facts.files.size === 0) return na('Empty project.');
      if (p.config.owner) return { status: 'met', evidence: 'The owner is declared in mlready.yaml.', locations: [] };
      const owners = p.facts.findPaths((x) => CODEOWNERS.test(x));
      if (owners.length) return { status: 'met', evidence: `Owners are declared in ${owners[0]}.`, locations: [{ file: owners[0] }] };
      if (p.facts.hasTag(PRACTICE_TAGS.owner)) return { status: 'met', evidence: 'An owner is declared in the project metadata.', locations: tagLocations(p.facts, PRACTICE_TAGS.owner) };
      return { status: 'missing', evidence: 'No owner in mlready.yaml, CODEOWNERS, or pipeline/deployment metadata.', locations: [] };
    },
  },
  {
    id: 'serving-instrumented',
    title: 'Serving instrumented',
    category: 'monitoring',
    section: 'monitoring',
    weight: 2,
    expectedFrom: 'pilot',
    why: 'An endpoint that records no latency, errors or predictions fails silently and cannot be debugged.',
    fix: 'Log or export metrics for every prediction endpoint (prometheus instrumentator, structured logging of predictions).',
    doc: { code: 'M104', name: 'unobserved-prediction-endpoint' },
    codes: ['M104'],
    judge(p) {
      if (!p.serves) return na('No model is served.');
      const endpoints = p.facts.tagged(PRACTICE_TAGS.serves).reduce((k, t) => k + Math.max(1, t.locations.length), 0);
      const gaps = count(p, this.codes);
      if (gaps.length === 0) return { status: 'met', evidence: p.facts.hasTag(PRACTICE_TAGS.appInstrumented) ? 'The serving app is instrumented as a whole.' : 'Every prediction endpoint records metrics or logs.', locations: tagLocations(p.facts, PRACTICE_TAGS.serves) };
      if (endpoints > gaps.length) return { status: 'partly', evidence: `${gaps.length} of ${n(endpoints, 'prediction endpoint')} (${files(gaps)}) record${gaps.length === 1 ? 's' : ''} no metrics or logs.`, locations: findingLocations(gaps) };
      return { status: 'missing', evidence: `No prediction endpoint records metrics or logs (${files(gaps)}).`, locations: findingLocations(gaps) };
    },
  },
  {
    id: 'drift-monitored',
    title: 'Drift monitored',
    category: 'monitoring',
    section: 'monitoring',
    weight: 2,
    expectedFrom: 'production',
    why: 'Production data changes; without drift or data-quality monitoring a model decays unnoticed.',
    fix: 'Set up drift monitoring on served inputs and predictions (Evidently, whylogs, NannyML, a cloud model monitor).',
    doc: { code: 'M105', name: 'no-drift-monitoring' },
    codes: ['M105'],
    judge(p) {
      if (!p.serves) return na('No model is served.');
      if (p.facts.hasTag(PRACTICE_TAGS.drift) || p.config.allow.monitoring.length > 0) return { status: 'met', evidence: 'Drift or data-quality monitoring is set up.', locations: tagLocations(p.facts, PRACTICE_TAGS.drift) };
      return { status: 'missing', evidence: 'A model is served, but nothing monitors drift or data quality.', locations: [] };
    },
  },
  {
    id: 'pipeline-steps-bounded',
    title: 'Pipeline steps bounded (resources, retries, timeouts)',
    category: 'reliability',
    section: 'infrastructure',
    weight: 2,
    expectedFrom: 'pilot',
    why: 'A step without resource limits, retries or a timeout can starve a cluster, fail on a transient error, or hang for ever.',
    fix: 'Give every pipeline step and workload resource requests/limits, a retry policy and a timeout.',
    doc: { code: 'L201', name: 'missing-resource-limits' },
    codes: BOUNDING_CODES,
    judge(p) {
      const pipelineFiles = [...p.facts.files.values()].filter((f) => (f.yamlKind && PIPELINE_YAML.has(f.yamlKind)) || PIPELINE_MODULES.some((m) => f.modules.has(m))).map((f) => f.path);
      const gaps = count(p, this.codes);
      if (pipelineFiles.length === 0 && gaps.length === 0) return na('No pipeline or workload definition.');
      const offending = new Set(gaps.map((f) => f.file).filter((f): f is string => f !== null));
      const total = new Set([...pipelineFiles, ...offending]).size;
      if (gaps.length === 0) return { status: 'met', evidence: `Every step in ${n(total, 'pipeline file')} has limits, retries and timeouts.`, locations: pipelineFiles.slice(0, 3).map((file) => ({ file })) };
      if (offending.size < total) return { status: 'partly', evidence: `${offending.size} of ${n(total, 'pipeline file')} ha${offending.size === 1 ? 's' : 've'} unbounded steps (${n(gaps.length, 'finding')}).`, locations: findingLocations(gaps) };
      return { status: 'missing', evidence: `Steps in every pipeline file lack limits, retries or timeouts (${n(gaps.length, 'finding')}).`, locations: findingLocations(gaps) };
    },
  },
  {
    id: 'ci-runs-tests',
    title: 'CI runs the tests',
    category: 'reliability',
    section: 'infrastructure',
    weight: 2,
    expectedFrom: 'pilot',
    why: 'Tests that no pipeline runs do not stop a broken feature transform or training script from shipping.',
    fix: 'Add a CI workflow (GitHub Actions, GitLab CI …) that runs pytest on every change.',
    codes: [],
    judge(p) {
      if (!p.hasCode) return na('No Python code.');
      const tests = p.facts.findPaths((x) => /\.(py|ipynb)$/.test(x) && (isTestPath(p.config, x) || /(^|\/)(test_[^/]*|[^/]*_test)\.py$/.test(x)));
      const ciFiles = [...new Set([...p.facts.findPaths((x) => CI_FILE.test(x)), ...[...p.facts.files.values()].filter((f) => f.yamlKind === 'github-actions' || f.yamlKind === 'gitlab-ci').map((f) => f.path)])].sort();
      const runs = tagLocations(p.facts, PRACTICE_TAGS.ciTests);
      if (runs.length) return { status: 'met', evidence: `CI runs the tests (${runs[0].file}).`, locations: runs };
      if (ciFiles.length && tests.length) return { status: 'partly', evidence: `CI is configured (${ciFiles[0]}) and tests exist, but no CI step runs them.`, locations: ciFiles.slice(0, 2).map((file) => ({ file })) };
      if (ciFiles.length) return { status: 'partly', evidence: `CI is configured (${ciFiles[0]}), but the project has no tests.`, locations: ciFiles.slice(0, 2).map((file) => ({ file })) };
      if (tests.length) return { status: 'partly', evidence: `${n(tests.length, 'test file')} exist${tests.length === 1 ? 's' : ''}, but no CI configuration runs ${tests.length === 1 ? 'it' : 'them'}.`, locations: tests.slice(0, 3).map((file) => ({ file })) };
      return { status: 'missing', evidence: 'No tests and no CI configuration.', locations: [] };
    },
  },
  {
    id: 'no-secrets',
    title: 'No secrets in the code',
    category: 'security',
    section: 'data',
    weight: 3,
    expectedFrom: 'exploration',
    why: 'A credential committed to a repository or a notebook output is as good as published.',
    fix: 'Move secrets to environment variables or a secret manager, rotate the exposed ones, and clear notebook outputs.',
    doc: { code: 'S101', name: 'hardcoded-secret' },
    codes: SECRET_CODES,
    judge(p) {
      const gaps = count(p, this.codes);
      if (gaps.length === 0) return { status: 'met', evidence: 'No secret found in code, notebooks, configs or env files.', locations: [] };
      const errors = gaps.filter((f) => f.severity === 'error');
      if (errors.length === 0) return { status: 'partly', evidence: `${n(gaps.length, 'possible secret')} in ${files(gaps)} (env files or low-confidence matches).`, locations: findingLocations(gaps) };
      return { status: 'missing', evidence: `${n(gaps.length, 'secret')} found in ${files(gaps)}.`, locations: findingLocations(gaps) };
    },
  },
];

const MODEL_CARD_PATH = /(^|\/)(model[_-]?card|MODEL[_-]?CARD)(\.[\w]+)?\.(md|markdown|ya?ml|json)$/i;

function findCard(facts: WorkspaceFacts): string | null {
  const direct = facts.findPaths((x) => MODEL_CARD_PATH.test(x));
  if (direct.length) return direct[0];
  const generated = facts.tagged(PRACTICE_TAGS.card);
  return generated.length ? generated[0].file.path : null;
}

export function practiceDocUrl(p: PracticeDefinition): string | undefined {
  return p.doc ? docUrl(p.doc) : undefined;
}

/** Project-level findings a practice already accounts for: they cost the practice's points, never a deduction too. */
export const PRACTICE_PROJECT_CODES = new Set(['M105', 'D106', 'G102', 'G103']);

import { isMap, isScalar } from 'yaml';
import { addTag, type FileFacts } from '../core/facts';
import type { FactCollector } from '../core/registry';
import type { FindingLocation } from '../core/rule';
import type { TextUnit } from '../core/units';
import type { AnalyzedDocument } from '../documents/document';
import type { CallSite, PythonProgram } from '../documents/python/program';
import { stringParts } from '../documents/python/syntax';
import { yentries, yget, yitems, yscalars, ystring } from '../documents/yaml-nodes';
import { DVC_OUT_TAG } from './model-artifact-without-lineage';
import { modelSaves } from './model-saves';

/**
 * Governance facts of a file: whether it trains, saves or serves a model, declares an owner or
 * produces a model card, which outputs DVC tracks, and what a model card would say (model
 * classes, datasets read, metrics logged).
 */
export const TAG = {
  trains: 'governance:trains-model',
  saves: 'governance:saves-model',
  serves: 'governance:serves-model',
  card: 'governance:model-card',
  owner: 'governance:owner',
  modelClass: 'governance:model-class:',
  dataset: 'governance:dataset:',
  metric: 'governance:metric:',
} as const;

const MAX_DETAIL_TAGS = 25;
const ML_LIBS = ['sklearn', 'xgboost', 'lightgbm', 'catboost', 'torch', 'tensorflow', 'keras', 'transformers', 'statsmodels', 'prophet', 'pytorch_lightning', 'lightning', 'sentence_transformers', 'setfit', 'autogluon', 'h2o', 'pycaret', 'flaml', 'jax', 'flax', 'mlx', 'spacy', 'fastai'];
/** ML_LIBS are top-level names (no dot): `q` is in one of them when its first segment is. */
const ML_LIB_SET = new Set(ML_LIBS);
const WEB_LIBS = ['flask', 'fastapi', 'bentoml', 'ray.serve', 'litserve', 'kserve', 'seldon_core', 'mlserver', 'gradio', 'streamlit', 'starlette', 'django', 'sanic', 'aiohttp.web', 'tornado'];
const LOADERS = /(^|\.)(load|load_model|from_pretrained|read_pickle|load_learner|pyfunc\.load_model|Booster)$/;
const CARD_CALLS = /^(huggingface_hub\.(ModelCard|ModelCardData|metadata_update)(\..*)?|model_card_toolkit\..*|skops\.card\..*|evaluate\..*push_to_hub.*)$/;
const MODEL_CLASS = /(Classifier|Regressor|Regression|Model|Net|Forest|Boost[A-Za-z]*|SVC|SVR|KMeans|Pipeline|Estimator|Transformer|Booster|GBM|Learner|ForCausalLM|ForSequenceClassification|ForTokenClassification|ForQuestionAnswering)$/;
/** The root modules of CARD_CALLS, DATASET_READ and METRIC_LOG. */
const CARD_LIBS = ['huggingface_hub', 'model_card_toolkit', 'skops', 'evaluate'];
const READ_LIBS = ['pandas', 'polars', 'pyarrow', 'dask', 'datasets'];
const DATASET_READ = /^(pandas|polars|pyarrow\.parquet|dask\.dataframe)\.(read_[a-z_]+|scan_[a-z_]+)$|^datasets\.load_dataset$/;
const METRIC_LOG = /^(mlflow\.log_metric|wandb\.log|mlflow\.log_metrics)$/;
const OWNER_KEY = /(^|[./_-])(owner|owners|team|maintainer|maintainers|contact|responsible|steward|product-owner|business-owner)$/i;

function location(doc: AnalyzedDocument, unit: TextUnit, start: number, end: number): FindingLocation {
  const loc: FindingLocation = { path: doc.path, range: unit.lines.rangeOf(start, end), fileRange: { start: unit.toFileOffset(start), end: unit.toFileOffset(end) } };
  if (unit.cell !== undefined) loc.cell = unit.cell;
  return loc;
}

/**
 * Detail tags (model classes, datasets, metrics), at most MAX_DETAIL_TAGS distinct ones per
 * prefix. The count of each prefix is taken once from the file's tags, then kept as tags are added.
 */
class DetailTags {
  private counts = new Map<string, number>();

  constructor(private readonly facts: FileFacts) {}

  add(prefix: string, value: string, loc?: FindingLocation): void {
    const key = prefix + value;
    if (!this.facts.tags.has(key)) {
      const count = this.counts.get(prefix) ?? countWithPrefix(this.facts, prefix);
      if (count >= MAX_DETAIL_TAGS) return;
      this.counts.set(prefix, count + 1);
    }
    addTag(this.facts, key, loc);
  }
}

function countWithPrefix(facts: FileFacts, prefix: string): number {
  let count = 0;
  for (const k of facts.tags.keys()) if (k.startsWith(prefix)) count++;
  return count;
}

/** `sklearn.ensemble.RandomForestClassifier`: a class of an ML library named like a model (cheap tests first). */
function isModelClass(qualified: string): boolean {
  const dot = qualified.indexOf('.');
  if (dot < 0) return false;
  const last = qualified.slice(qualified.lastIndexOf('.') + 1);
  return /^[A-Z]/.test(last) && ML_LIB_SET.has(qualified.slice(0, dot)) && MODEL_CLASS.test(last);
}

function pythonFacts(doc: AnalyzedDocument, program: PythonProgram, facts: FileFacts): void {
  const usesMl = ML_LIBS.some((m) => program.imports.imports(m));
  // import questions asked once, not once per call
  const usesTorch = program.imports.imports('torch');
  const usesTransformers = program.imports.imports('transformers');
  const usesWeb = WEB_LIBS.some((m) => program.imports.imports(m));
  // a qualified name starts with an imported module: each pattern below is tried only when one of its modules is imported
  const usesCardLib = CARD_LIBS.some((m) => program.imports.imports(m));
  const usesReadLib = READ_LIBS.some((m) => program.imports.imports(m));
  const usesMetricLib = program.imports.imports('mlflow') || program.imports.imports('wandb');
  const details = new DetailTags(facts);
  // one function for every call, not a closure per call
  const at = (call: CallSite) => location(doc, call.unit, call.node.startIndex, call.node.endIndex);
  for (const call of program.calls()) {
    const q = call.qualified ?? '';
    if (usesMl && call.receiver && (call.method === 'fit' || call.method === 'train' || call.method === 'fit_generator')) addTag(facts, TAG.trains, at(call));
    if ((q.endsWith('.train') || q.endsWith('.Trainer')) && /^(xgboost|lightgbm|catboost)\.train$|^transformers\.Trainer$|^(pytorch_lightning|lightning)(\.pytorch)?\.Trainer$/.test(q)) addTag(facts, TAG.trains, at(call));
    if (call.method === 'backward' && usesTorch) addTag(facts, TAG.trains, at(call));
    if ((usesCardLib && CARD_CALLS.test(q)) || call.method === 'create_model_card' || (call.method === 'push_to_hub' && usesTransformers)) addTag(facts, TAG.card, at(call));
    if (usesWeb && (LOADERS.test(q) || (call.method === 'from_pretrained' || call.method === 'load_model'))) addTag(facts, TAG.serves, at(call));
    if (q && usesMl && isModelClass(q)) details.add(TAG.modelClass, q);
    if (usesReadLib && DATASET_READ.test(q)) {
      const first = call.positional[0];
      if (first?.type === 'string') {
        const v = stringParts(first).value;
        if (v && v.length < 200) details.add(TAG.dataset, v, at(call));
      }
    }
    if ((usesMetricLib && METRIC_LOG.test(q)) || (call.method === 'log_metric' && call.positional[0]?.type === 'string')) {
      const first = call.positional[0];
      if (first?.type === 'string') {
        const v = stringParts(first).value;
        if (v) details.add(TAG.metric, v);
      } else if (first?.type === 'dictionary') {
        for (const pair of first.namedChildren) {
          const key = pair?.childForFieldName('key');
          if (key?.type === 'string') {
            const v = stringParts(key).value;
            if (v) details.add(TAG.metric, v);
          }
        }
      }
    }
    if (q.startsWith('sklearn.metrics.') && /^sklearn\.metrics\.[a-z_]+(_score|_error|_loss)$/.test(q)) details.add(TAG.metric, q.split('.').pop()!);
  }
  for (const save of modelSaves(program)) addTag(facts, TAG.saves, location(doc, save.call.unit, save.call.node.startIndex, save.call.node.endIndex));
  // Airflow: `default_args = {"owner": "ml-platform"}` (the default owner "airflow" names nobody)
  if (program.imports.imports('airflow')) {
    for (const literal of program.strings()) {
      const pair = literal.node.parent;
      if (pair?.type !== 'pair' || pair.childForFieldName('key')?.id !== literal.node.id || literal.value !== 'owner') continue;
      const value = pair.childForFieldName('value');
      const v = value?.type === 'string' ? stringParts(value).value : null;
      if (v && v.trim() && v !== 'airflow') addTag(facts, TAG.owner, location(doc, literal.unit, pair.startIndex, pair.endIndex));
    }
  }
}

function yamlFacts(doc: AnalyzedDocument, facts: FileFacts): void {
  const yaml = doc.yaml!;
  for (const { doc: d, kind } of yaml.documents) {
    const root = d.contents;
    const k8sKind = ystring(yget(root, 'kind')) ?? '';
    const scalarLoc = (node: unknown) => {
      const r = (node as { range?: [number, number, number] } | null)?.range;
      return r ? location(doc, doc.file, r[0], r[1]) : undefined;
    };
    if (/^(InferenceService|SeldonDeployment|ServingRuntime|InferenceGraph)$/.test(k8sKind)) addTag(facts, TAG.serves, scalarLoc(yget(root, 'kind')));
    if (kind === 'azureml' && /OnlineDeployment|OnlineEndpoint|BatchDeployment/i.test(ystring(yget(root, '$schema')) ?? '')) addTag(facts, TAG.serves, scalarLoc(yget(root, '$schema')));
    // owner metadata: labels/annotations (Kubernetes, Argo, Kubeflow), `owner:`/`team:` in pipeline and job specs
    for (const { scalar, path } of yscalars(root)) {
      const key = path[path.length - 1];
      if (typeof key !== 'string' || !OWNER_KEY.test(key) || typeof scalar.value !== 'string' || !scalar.value.trim()) continue;
      if (kind === 'generic' && !path.some((p) => p === 'labels' || p === 'annotations' || p === 'metadata' || p === 'meta' || p === 'tags')) continue;
      addTag(facts, TAG.owner, scalarLoc(scalar));
    }
    if (kind === 'dvc') {
      for (const stage of yentries(yget(root, 'stages'))) {
        for (const out of [...yitems(yget(stage.value, 'outs')), ...yitems(yget(stage.value, 'metrics')), ...yitems(yget(stage.value, 'plots'))]) {
          const p = isScalar(out) ? ystring(out) : isMap(out) ? ystring(out.items[0]?.key) : undefined;
          if (p) addTag(facts, DVC_OUT_TAG + p, scalarLoc(out));
        }
      }
    }
  }
}

export const governanceCollector: FactCollector = (doc, facts) => {
  if (doc.python && !(doc.notebook?.problem)) pythonFacts(doc, doc.python, facts);
  if (doc.yaml) yamlFacts(doc, facts);
};

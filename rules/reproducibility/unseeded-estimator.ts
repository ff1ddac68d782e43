import type { Node } from '../documents/python/syntax-tree';
import { defineRule, type FixSpec, type RuleContext } from '../core/rule';
import { argument, type CallSite, type PythonProgram } from '../documents/python/program';
import { boolValue, hasKeywordSplat, isNone, isTrainingCodePath, lastName, mayRepeat, numberValue, orderOf, rootModule, seedReference, stringValue } from './python';
import { seedKeywordFix } from './seed-fixes';

/**
 * Estimators, splitters and samplers whose result depends on a random draw, each with the
 * condition under which the draw happens and what it does (for the message). `null` = no draw.
 */
type Reason = (call: CallSite) => string | null;

const below1 = (call: CallSite, ...names: string[]): string | null => {
  for (const n of names) {
    const v = numberValue(call.keywords.get(n));
    if (v !== undefined && v > 0 && v < 1) return `${n}=${call.keywords.get(n)!.text}`;
  }
  return null;
};
const kwString = (call: CallSite, name: string) => stringValue(call.keywords.get(name));
const isTrue = (call: CallSite, name: string) => boolValue(call.keywords.get(name)) === true;

const always = (what: string): Reason => () => what;

const SKLEARN: Record<string, Reason> = {
  train_test_split: (c) => (boolValue(c.keywords.get('shuffle')) === false ? null : 'shuffles the rows before splitting'),
  ShuffleSplit: always('draws random splits'),
  StratifiedShuffleSplit: always('draws random splits'),
  GroupShuffleSplit: always('draws random splits'),
  RepeatedKFold: always('shuffles the rows for every repetition'),
  RepeatedStratifiedKFold: always('shuffles the rows for every repetition'),
  KFold: (c) => (isTrue(c, 'shuffle') ? 'shuffles the rows (shuffle=True)' : null),
  StratifiedKFold: (c) => (isTrue(c, 'shuffle') ? 'shuffles the rows (shuffle=True)' : null),
  GroupKFold: (c) => (isTrue(c, 'shuffle') ? 'shuffles the groups (shuffle=True)' : null),
  StratifiedGroupKFold: (c) => (isTrue(c, 'shuffle') ? 'shuffles the groups (shuffle=True)' : null),
  RandomForestClassifier: always('bootstraps rows and samples features at random'),
  RandomForestRegressor: always('bootstraps rows and samples features at random'),
  ExtraTreesClassifier: always('draws random split thresholds'),
  ExtraTreesRegressor: always('draws random split thresholds'),
  ExtraTreeClassifier: always('draws random split thresholds'),
  ExtraTreeRegressor: always('draws random split thresholds'),
  RandomTreesEmbedding: always('builds random trees'),
  IsolationForest: always('draws random samples and split points'),
  BaggingClassifier: always('draws bootstrap samples'),
  BaggingRegressor: always('draws bootstrap samples'),
  AdaBoostRegressor: always('resamples the rows at every boosting round'),
  GradientBoostingClassifier: (c) => subsampling(c),
  GradientBoostingRegressor: (c) => subsampling(c),
  HistGradientBoostingClassifier: (c) => histEarlyStopping(c),
  HistGradientBoostingRegressor: (c) => histEarlyStopping(c),
  DecisionTreeClassifier: (c) => treeRandomness(c),
  DecisionTreeRegressor: (c) => treeRandomness(c),
  KMeans: always('picks random initial centroids'),
  MiniBatchKMeans: always('picks random initial centroids and mini-batches'),
  BisectingKMeans: always('picks random initial centroids'),
  SpectralClustering: always('labels the embedding with randomly initialised k-means'),
  GaussianMixture: always('initialises the components at random'),
  BayesianGaussianMixture: always('initialises the components at random'),
  MLPClassifier: always('initialises the weights at random and shuffles the batches'),
  MLPRegressor: always('initialises the weights at random and shuffles the batches'),
  SGDClassifier: (c) => (boolValue(c.keywords.get('shuffle')) === false ? null : 'shuffles the data at every epoch'),
  SGDRegressor: (c) => (boolValue(c.keywords.get('shuffle')) === false ? null : 'shuffles the data at every epoch'),
  SGDOneClassSVM: (c) => (boolValue(c.keywords.get('shuffle')) === false ? null : 'shuffles the data at every epoch'),
  Perceptron: (c) => (boolValue(c.keywords.get('shuffle')) === false ? null : 'shuffles the data at every epoch'),
  PassiveAggressiveClassifier: (c) => (boolValue(c.keywords.get('shuffle')) === false ? null : 'shuffles the data at every epoch'),
  PassiveAggressiveRegressor: (c) => (boolValue(c.keywords.get('shuffle')) === false ? null : 'shuffles the data at every epoch'),
  LogisticRegression: (c) => {
    const s = kwString(c, 'solver');
    return s === 'sag' || s === 'saga' || s === 'liblinear' ? `uses solver="${s}", which visits the rows in random order` : null;
  },
  SVC: (c) => (isTrue(c, 'probability') ? 'calibrates probabilities (probability=True) with a random internal cross-validation' : null),
  NuSVC: (c) => (isTrue(c, 'probability') ? 'calibrates probabilities (probability=True) with a random internal cross-validation' : null),
  Lasso: (c) => (kwString(c, 'selection') === 'random' ? 'updates coefficients in random order (selection="random")' : null),
  ElasticNet: (c) => (kwString(c, 'selection') === 'random' ? 'updates coefficients in random order (selection="random")' : null),
  TSNE: always('optimises the embedding from a random start'),
  TruncatedSVD: always('uses a randomized SVD solver'),
  PCA: (c) => {
    const s = kwString(c, 'svd_solver');
    return s === 'randomized' || s === 'arpack' ? `uses svd_solver="${s}", which starts from a random vector` : null;
  },
  FastICA: always('starts from a random unmixing matrix'),
  NMF: (c) => (kwString(c, 'init') === 'random' ? 'starts from random factors (init="random")' : null),
  LatentDirichletAllocation: always('initialises the topics at random'),
  IterativeImputer: (c) => (isTrue(c, 'sample_posterior') ? 'samples imputations from the posterior (sample_posterior=True)' : null),
  RandomizedSearchCV: always('samples parameter candidates at random'),
  HalvingRandomSearchCV: always('samples parameter candidates and row subsets at random'),
  HalvingGridSearchCV: always('draws random row subsets for each round'),
  permutation_importance: always('shuffles every feature at random'),
  resample: (c) => (boolValue(c.keywords.get('replace')) === false && !c.keywords.has('n_samples') ? null : 'draws rows at random'),
  shuffle: always('shuffles the rows'),
  make_classification: always('generates random data'),
  make_regression: always('generates random data'),
  make_blobs: always('generates random data'),
  make_moons: always('generates random data'),
  make_circles: always('generates random data'),
};

const IMBLEARN = new Set(['SMOTE', 'SMOTENC', 'SMOTEN', 'ADASYN', 'BorderlineSMOTE', 'SVMSMOTE', 'KMeansSMOTE', 'RandomOverSampler', 'RandomUnderSampler', 'SMOTETomek', 'SMOTEENN', 'ClusterCentroids', 'NearMiss']);

function subsampling(c: CallSite): string | null {
  const s = below1(c, 'subsample');
  if (s) return `subsamples the rows (${s})`;
  const mf = c.keywords.get('max_features');
  if (mf && !isNone(mf)) return `samples features at every split (max_features=${mf.text})`;
  return null;
}

function histEarlyStopping(c: CallSite): string | null {
  const es = c.keywords.get('early_stopping');
  const mf = below1(c, 'max_features');
  if (mf) return `samples features at every split (${mf})`;
  if (boolValue(es) === false) return null;
  if (boolValue(es) === true) return 'holds out a random validation split for early stopping (early_stopping=True)';
  return 'holds out a random validation split for early stopping (on by default above 10,000 rows)';
}

function treeRandomness(c: CallSite): string | null {
  if (kwString(c, 'splitter') === 'random') return 'draws random split thresholds (splitter="random")';
  const mf = c.keywords.get('max_features');
  if (mf && !isNone(mf)) return `samples features at every split (max_features=${mf.text})`;
  return null;
}

/** Gradient-boosting libraries: random only when they subsample; their default seed is a fixed constant. */
interface Booster {
  seeds: string[];
  param: string;
  reason: (c: CallSite) => string | null;
}

const XGB: Booster = {
  seeds: ['random_state', 'seed'],
  param: 'random_state',
  reason: (c) => below1(c, 'subsample', 'colsample_bytree', 'colsample_bylevel', 'colsample_bynode'),
};
const XGB_RF: Booster = { ...XGB, reason: (c) => below1(c, 'subsample', 'colsample_bynode') ?? 'subsamples rows and features by default (random forest mode)' };
const LGBM: Booster = {
  seeds: ['random_state', 'seed', 'random_seed'],
  param: 'random_state',
  reason: (c) => {
    const cols = below1(c, 'colsample_bytree', 'feature_fraction');
    if (cols) return cols;
    const rows = below1(c, 'subsample', 'bagging_fraction');
    const freq = numberValue(c.keywords.get('subsample_freq') ?? c.keywords.get('bagging_freq'));
    if (rows && freq !== undefined && freq > 0) return rows;
    const bt = kwString(c, 'boosting_type') ?? kwString(c, 'boosting');
    return bt === 'rf' || bt === 'goss' ? `boosting_type="${bt}"` : null;
  },
};
const CATBOOST: Booster = {
  seeds: ['random_seed', 'random_state'],
  param: 'random_seed',
  reason: (c) => below1(c, 'subsample', 'rsm') ?? (['Bernoulli', 'MVS', 'Poisson'].includes(kwString(c, 'bootstrap_type') ?? '') ? `bootstrap_type="${kwString(c, 'bootstrap_type')}"` : null),
};

const BOOSTERS: Record<string, Record<string, Booster>> = {
  xgboost: { XGBClassifier: XGB, XGBRegressor: XGB, XGBRanker: XGB, XGBRFClassifier: XGB_RF, XGBRFRegressor: XGB_RF },
  lightgbm: { LGBMClassifier: LGBM, LGBMRegressor: LGBM, LGBMRanker: LGBM },
  catboost: { CatBoostClassifier: CATBOOST, CatBoostRegressor: CATBOOST, CatBoostRanker: CATBOOST, CatBoost: CATBOOST },
};

/** Native training APIs that take a params dict: `xgb.train(params, dtrain)`, `lgb.train(params, train_set)`. */
const NATIVE: Record<string, { seeds: string[]; reason: (get: (k: string) => Node | undefined) => string | null }> = {
  'xgboost.train': { seeds: ['seed', 'random_state'], reason: (get) => dictBelow1(get, 'subsample', 'colsample_bytree', 'colsample_bylevel', 'colsample_bynode') },
  'xgboost.cv': { seeds: ['seed', 'random_state'], reason: (get) => dictBelow1(get, 'subsample', 'colsample_bytree', 'colsample_bylevel', 'colsample_bynode') },
  'lightgbm.train': { seeds: ['seed', 'random_state', 'random_seed'], reason: (get) => lgbDict(get) },
  'lightgbm.cv': { seeds: ['seed', 'random_state', 'random_seed'], reason: (get) => lgbDict(get) },
};

function dictBelow1(get: (k: string) => Node | undefined, ...keys: string[]): string | null {
  for (const k of keys) {
    const v = numberValue(get(k));
    if (v !== undefined && v > 0 && v < 1) return `"${k}": ${get(k)!.text}`;
  }
  return null;
}

function lgbDict(get: (k: string) => Node | undefined): string | null {
  const cols = dictBelow1(get, 'feature_fraction', 'colsample_bytree');
  if (cols) return cols;
  const rows = dictBelow1(get, 'bagging_fraction', 'subsample');
  const freq = numberValue(get('bagging_freq') ?? get('subsample_freq'));
  return rows && freq !== undefined && freq > 0 ? rows : null;
}

export default defineRule({
  code: 'R101',
  name: 'unseeded-estimator',
  category: 'reproducibility',
  severity: 'warning',
  appliesTo: ['python'],
  fixable: 'safe',
  docs: {
    summary:
      'A scikit-learn estimator, splitter or sampler that draws random numbers is built without `random_state` (or with `random_state=None`); XGBoost, LightGBM and CatBoost models that subsample are built without a seed (info: they fall back to a fixed library default).',
    why:
      'With `random_state=None`, scikit-learn draws a fresh seed on every run: the train/test split, the bootstrap samples and the initial centroids change each time, so metrics move between runs for no reason in the code, a model cannot be rebuilt bit for bit for an audit, and a regression cannot be told apart from noise. A global `np.random.seed` call does not fix this reliably: any other use of the global generator between the seed and the estimator changes the draw. The boosting libraries fall back to a fixed default seed, which is reproducible only as long as that default and the library version stay the same.',
    example:
      'from sklearn.ensemble import RandomForestClassifier\nfrom sklearn.model_selection import train_test_split\n\nX_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)\nmodel = RandomForestClassifier(n_estimators=300)',
    useInstead:
      'from sklearn.ensemble import RandomForestClassifier\nfrom sklearn.model_selection import train_test_split\n\nSEED = 42\n\nX_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=SEED)\nmodel = RandomForestClassifier(n_estimators=300, random_state=SEED)',
    fixSafety:
      'The fix passes `random_state=SEED` (`random_seed=SEED` for CatBoost, `"seed": SEED` in a native params dict) and, when the module or notebook has no seed constant yet, adds one `SEED = 42` after the imports of the module or of the first code cell; an existing constant (`SEED`, `RANDOM_STATE`, `RANDOM_SEED` …) is reused. It is safe: a run that drew a random seed now uses a fixed one, which is one of the runs the program could already make; the numbers change once. It is marked unsafe where the call may run repeatedly on purpose (in a loop, a comprehension, or a function called from one), since a fixed seed there makes every repetition identical.',
    language: 'python',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (!program || !isTrainingCodePath(ctx)) return;
    for (const call of program.calls()) {
      const q = call.qualified;
      if (!q) continue;
      // the cheap lookups first: `**kwargs` is looked for only in calls this rule judges
      const root = rootModule(q);
      if (root === 'sklearn' || root === 'imblearn' || root === 'umap') {
        const name = lastName(q);
        const sklearn = root === 'sklearn' && Object.prototype.hasOwnProperty.call(SKLEARN, name);
        if (!sklearn && !(root === 'imblearn' && IMBLEARN.has(name)) && !(root === 'umap' && name === 'UMAP')) continue;
        if (hasKeywordSplat(call)) continue;
        let reason: string | null = null;
        if (sklearn) reason = SKLEARN[name](call);
        else if (root === 'imblearn') reason = 'samples rows at random';
        else reason = 'optimises the embedding from a random start';
        if (!reason) continue;
        reportMissing(ctx, program, call, name, reason, 'random_state', ['random_state'], 'warning');
        continue;
      }
      const boosters = BOOSTERS[root];
      const name = boosters == null ? '' : lastName(q);
      const booster = boosters?.[name];
      if (booster) {
        if (hasKeywordSplat(call)) continue;
        const reason = booster.reason(call);
        if (reason) reportMissing(ctx, program, call, name, `subsamples (${reason})`, booster.param, booster.seeds, 'info');
        continue;
      }
      const native = NATIVE[q];
      if (native && !hasKeywordSplat(call)) checkNative(ctx, program, call, q, native);
    }
  },
});

function reportMissing(
  ctx: RuleContext,
  program: PythonProgram,
  call: CallSite,
  name: string,
  reason: string,
  param: string,
  seeds: string[],
  severity: 'warning' | 'info',
): void {
  const given = seeds.map((s) => ({ s, node: call.keywords.get(s) })).find((x) => x.node);
  if (given && !isNone(given.node)) return;
  const fn = call.node.childForFieldName('function') ?? call.node;
  const fix = seedKeywordFix(program, call, given?.s ?? param);
  const booster = severity === 'info';
  const tail = booster ? ' (it falls back to the library\'s fixed default seed, which can change between versions)' : '';
  if (given) {
    const kw = given.node!.parent ?? given.node!;
    ctx.report({
      unit: call.unit,
      start: kw.startIndex,
      end: kw.endIndex,
      severity,
      message: `\`${name}\` ${reason} and \`${given.s}=None\` draws a new seed on every run: set \`${given.s}=SEED\`${tail}.`,
      fixes: fix ? [fix] : [],
    });
    return;
  }
  ctx.report({
    unit: call.unit,
    start: fn.startIndex,
    end: fn.endIndex,
    severity,
    message: booster
      ? `\`${name}\` ${reason} with no seed: add \`${param}=SEED\`${tail}.`
      : `\`${name}\` ${reason} but has no \`${param}\`: every run gets a different result. Add \`${param}=SEED\`.`,
    fixes: fix ? [fix] : [],
  });
}

function checkNative(
  ctx: RuleContext,
  program: PythonProgram,
  call: CallSite,
  q: string,
  native: (typeof NATIVE)[string],
): void {
  let params = argument(call, 'params', 0);
  if (params?.type === 'identifier') params = assignedBefore(program, params);
  if (params?.type !== 'dictionary') return;
  const pairs = new Map<string, Node>();
  for (const pair of params.namedChildren) {
    if (pair?.type === 'dictionary_splat') return;
    if (pair?.type !== 'pair') continue;
    const key = stringValue(pair.childForFieldName('key'));
    const value = pair.childForFieldName('value');
    if (key && value) pairs.set(key, value);
  }
  if (native.seeds.some((s) => pairs.has(s) && !isNone(pairs.get(s)))) return;
  const reason = native.reason((k) => pairs.get(k));
  if (!reason) return;
  const unit = program.unitOf(params);
  const seed = seedReference(program, params);
  const last = [...params.namedChildren].filter((c): c is Node => !!c && c.type !== 'comment').pop();
  let fix: FixSpec | null = null;
  if (seed && last) {
    const keyQuote = last.childForFieldName('key')?.text.startsWith("'") ? "'" : '"';
    fix = {
      title: `Add ${keyQuote}seed${keyQuote}: ${seed.name} to the params`,
      applicability: mayRepeat(program, params) ? 'unsafe' : 'safe',
      edits: [...seed.edits, { unit, start: last.endIndex, end: last.endIndex, newText: `, ${keyQuote}seed${keyQuote}: ${seed.name}` }],
    };
  }
  ctx.report({
    unit,
    start: params.startIndex,
    end: params.endIndex,
    severity: 'info',
    message: `The params passed to \`${q.replace(/^xgboost/, 'xgb').replace(/^lightgbm/, 'lgb')}\` subsample (${reason}) with no seed: add \`"seed": SEED\` (it falls back to the library's fixed default seed, which can change between versions).`,
    fixes: fix ? [fix] : [],
  });
}

/** The value last assigned to a plain name before `use`, in the same function or at module level. */
export function assignedBefore(program: PythonProgram, use: Node): Node | undefined {
  const at = orderOf(program, use);
  const scope = (n: Node) => {
    for (let p = n.parent; p; p = p.parent) if (p.type === 'function_definition') return p.id;
    return -1;
  };
  const s = scope(use);
  let best: { order: number; value: Node } | undefined;
  for (const { node } of program.nodes('assignment')) {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left?.type !== 'identifier' || left.text !== use.text || !right || scope(node) !== s) continue;
    const o = orderOf(program, node);
    if (o < at && (!best || o > best.order)) best = { order: o, value: right };
  }
  return best?.value;
}


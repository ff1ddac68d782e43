import type { Node } from '../documents/python/syntax-tree';
import { defineRule } from '../core/rule';
import { type CallSite, type PythonProgram, ProgramCache } from '../documents/python/program';
import { isTrainingCodePath, lastName, rootModule } from './python';

/** Models whose defaults are tuning choices, with the hyperparameters worth writing down. */
const MODELS: Record<string, Record<string, string>> = {
  sklearn: {
    RandomForestClassifier: 'n_estimators, max_depth, min_samples_leaf',
    RandomForestRegressor: 'n_estimators, max_depth, min_samples_leaf',
    ExtraTreesClassifier: 'n_estimators, max_depth, min_samples_leaf',
    ExtraTreesRegressor: 'n_estimators, max_depth, min_samples_leaf',
    GradientBoostingClassifier: 'n_estimators, learning_rate, max_depth',
    GradientBoostingRegressor: 'n_estimators, learning_rate, max_depth',
    HistGradientBoostingClassifier: 'max_iter, learning_rate, max_leaf_nodes',
    HistGradientBoostingRegressor: 'max_iter, learning_rate, max_leaf_nodes',
    AdaBoostClassifier: 'n_estimators, learning_rate',
    AdaBoostRegressor: 'n_estimators, learning_rate',
    DecisionTreeClassifier: 'max_depth, min_samples_leaf',
    DecisionTreeRegressor: 'max_depth, min_samples_leaf',
    LogisticRegression: 'C, penalty, max_iter',
    Ridge: 'alpha',
    RidgeClassifier: 'alpha',
    Lasso: 'alpha',
    ElasticNet: 'alpha, l1_ratio',
    SGDClassifier: 'loss, alpha, max_iter',
    SGDRegressor: 'loss, alpha, max_iter',
    SVC: 'C, kernel, gamma',
    SVR: 'C, kernel, gamma, epsilon',
    LinearSVC: 'C, max_iter',
    KNeighborsClassifier: 'n_neighbors, weights',
    KNeighborsRegressor: 'n_neighbors, weights',
    MLPClassifier: 'hidden_layer_sizes, alpha, learning_rate_init, max_iter',
    MLPRegressor: 'hidden_layer_sizes, alpha, learning_rate_init, max_iter',
    KMeans: 'n_clusters, n_init',
    MiniBatchKMeans: 'n_clusters, batch_size',
    DBSCAN: 'eps, min_samples',
    IsolationForest: 'n_estimators, contamination',
    GaussianMixture: 'n_components, covariance_type',
  },
  xgboost: {
    XGBClassifier: 'n_estimators, max_depth, learning_rate',
    XGBRegressor: 'n_estimators, max_depth, learning_rate',
    XGBRanker: 'n_estimators, max_depth, learning_rate',
  },
  lightgbm: {
    LGBMClassifier: 'n_estimators, num_leaves, learning_rate',
    LGBMRegressor: 'n_estimators, num_leaves, learning_rate',
    LGBMRanker: 'n_estimators, num_leaves, learning_rate',
  },
  catboost: {
    CatBoostClassifier: 'iterations, depth, learning_rate',
    CatBoostRegressor: 'iterations, depth, learning_rate',
  },
};

/** Hyperparameter searches: an estimator handed to one is tuned there, its defaults are a starting point. */
const SEARCH = /(SearchCV|BayesSearchCV|TuneSearchCV|TuneGridSearchCV)$/;

export default defineRule({
  code: 'R104',
  name: 'implicit-hyperparameters',
  category: 'reproducibility',
  severity: 'info',
  stageSeverity: { exploration: 'off' },
  appliesTo: ['python'],
  docs: {
    summary:
      'A model is built with every hyperparameter left at the library default (`RandomForestClassifier()`) in training code that is not exploratory (notebooks count as exploratory unless the stage is production).',
    why:
      'Library defaults change between versions (scikit-learn changed `n_estimators`, `solver`, `max_features` and `n_init` defaults over the years; XGBoost and LightGBM change theirs too): upgrading a package silently trains a different model. Written-down hyperparameters are part of the model\'s definition, show up in code review and in experiment tracking, and survive upgrades.',
    example: 'from sklearn.ensemble import RandomForestClassifier\n\nmodel = RandomForestClassifier()\nmodel.fit(X_train, y_train)',
    useInstead:
      'from sklearn.ensemble import RandomForestClassifier\n\nmodel = RandomForestClassifier(n_estimators=300, max_depth=12, min_samples_leaf=2, random_state=SEED)\nmodel.fit(X_train, y_train)',
    language: 'python',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (!program || !isTrainingCodePath(ctx)) return;
    if (program.isNotebook && ctx.stage !== 'production') return;
    for (const call of program.calls()) {
      const params = MODELS[rootModule(call.qualified)]?.[lastName(call.qualified)];
      if (!params || call.positional.length || call.keywords.size || call.hasSplat) continue;
      if (tunedElsewhere(program, call)) continue;
      const name = lastName(call.qualified);
      ctx.report({
        unit: call.unit,
        start: call.node.startIndex,
        end: call.node.endIndex,
        message: `\`${name}()\` leaves every hyperparameter at the library default, which can change with the library version: write the ones the model depends on (${params}) explicitly.`,
      });
    }
  },
});

/**
 * True when the model is tuned rather than trained as is: passed (directly, or inside a pipeline)
 * to a hyperparameter search, or configured later with `set_params(...)`.
 */
function tunedElsewhere(program: PythonProgram, call: CallSite): boolean {
  const names = new Set<string>();
  let node: Node = call.node;
  for (let depth = 0; depth < 6; depth++) {
    const parent = node.parent;
    if (!parent) break;
    if (parent.type === 'call') {
      const q = program.resolve(parent.childForFieldName('function')) ?? parent.childForFieldName('function')?.text ?? '';
      if (SEARCH.test(q)) return true;
    }
    if (parent.type === 'assignment') {
      const left = parent.childForFieldName('left');
      if (left?.type === 'identifier') names.add(left.text);
      break;
    }
    if (parent.type === 'expression_statement' || parent.type === 'block' || parent.type === 'module') break;
    node = parent;
  }
  if (!names.size) return false;
  // follow one level of pipelines: pipe = make_pipeline(scaler, model); GridSearchCV(pipe, ...)
  for (const { call: other, setParams, search, pipeline } of tuningCalls(program)) {
    if (setParams && names.has(other.receiver!.text)) return true;
    if (!search && !pipeline) continue;
    const args = [...other.positional, ...other.keywords.values()];
    if (search && args.some((a) => containsName(a, names))) return true;
    if (pipeline && args.some((a) => containsName(a, names))) {
      const assigned = other.node.parent?.type === 'assignment' ? other.node.parent.childForFieldName('left') : null;
      if (assigned?.type === 'identifier') names.add(assigned.text);
    }
  }
  return false;
}

interface TuningCall {
  call: CallSite;
  setParams: boolean;
  search: boolean;
  pipeline: boolean;
}

const PIPELINE = /(^|\.)(make_pipeline|Pipeline)$/;
const tuningCallCache = new ProgramCache<TuningCall[]>();

/** The calls `tunedElsewhere` looks at (`set_params`, searches, pipelines), in program order; listed once per program. */
function tuningCalls(program: PythonProgram): TuningCall[] {
  return tuningCallCache.of(program, () => {
    const list: TuningCall[] = [];
    for (const call of program.calls()) {
      const q = call.qualified ?? call.callee ?? '';
      const setParams = call.method === 'set_params' && !!call.receiver;
      const search = SEARCH.test(q);
      const pipeline = PIPELINE.test(q);
      if (setParams || search || pipeline) list.push({ call, setParams, search, pipeline });
    }
    return list;
  });
}

function containsName(node: Node, names: Set<string>): boolean {
  if (node.type === 'identifier') return names.has(node.text);
  for (const c of node.namedChildren) if (c && containsName(c, names)) return true;
  return false;
}

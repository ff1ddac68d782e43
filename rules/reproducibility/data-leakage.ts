import type { Node } from '../documents/python/syntax-tree';
import { defineRule, type FixSpec, type RuleContext } from '../core/rule';
import { type CallSite, type PythonProgram, ProgramCache } from '../documents/python/program';
import { callAt as callAtNode, isTrainingCodePath, lastName, rootModule } from './python';
import { flowsCalling, type FlowEvent } from './leakage-flows';
import { dataNames, MODEL_METHODS, nameSaysTest, STATE } from './leakage-names';

/**
 * Data leakage through preprocessing, found by following variables through assignments in one
 * flow (the module — a notebook's cells in order — or one function body):
 *  A. a stateful transformer (scaler, encoder, imputer, selector, decomposition, vectorizer,
 *     oversampler) is fitted on data that a later `train_test_split`, cross-validation or search
 *     then splits: the test rows shaped what the model sees;
 *  B. data that comes from the test side of a split (or is named as test data and comes from
 *     nowhere else) is passed to `fit`.
 * Every variable assignment creates a version that remembers the versions it was computed from,
 * so `X = scaler.transform(X)` and `df[cols] = …` are followed, and a name reused for other data
 * is not confused with the old one.
 */

const TRANSFORMERS = new Set([
  'StandardScaler', 'MinMaxScaler', 'MaxAbsScaler', 'RobustScaler', 'QuantileTransformer', 'PowerTransformer', 'KBinsDiscretizer', 'SplineTransformer',
  'OneHotEncoder', 'OrdinalEncoder', 'TargetEncoder', 'SimpleImputer', 'KNNImputer', 'IterativeImputer',
  'SelectKBest', 'SelectPercentile', 'SelectFpr', 'SelectFdr', 'SelectFwe', 'GenericUnivariateSelect', 'RFE', 'RFECV', 'SelectFromModel',
  'SequentialFeatureSelector', 'VarianceThreshold', 'PCA', 'TruncatedSVD', 'KernelPCA', 'FastICA', 'NMF', 'IncrementalPCA',
  'TfidfVectorizer', 'CountVectorizer', 'TfidfTransformer', 'ColumnTransformer', 'make_column_transformer',
]);
const SAMPLERS = new Set(['SMOTE', 'SMOTENC', 'SMOTEN', 'ADASYN', 'BorderlineSMOTE', 'SVMSMOTE', 'KMeansSMOTE', 'RandomOverSampler', 'SMOTETomek', 'SMOTEENN']);
const SPLITTERS = new Set(['KFold', 'StratifiedKFold', 'GroupKFold', 'StratifiedGroupKFold', 'ShuffleSplit', 'StratifiedShuffleSplit', 'GroupShuffleSplit', 'RepeatedKFold', 'RepeatedStratifiedKFold', 'TimeSeriesSplit', 'LeaveOneOut', 'LeavePOut', 'LeaveOneGroupOut', 'PredefinedSplit']);
const SEARCHES = new Set(['GridSearchCV', 'RandomizedSearchCV', 'HalvingGridSearchCV', 'HalvingRandomSearchCV', 'BayesSearchCV']);
const CV_FUNCTIONS = new Set(['cross_val_score', 'cross_validate', 'cross_val_predict', 'learning_curve', 'validation_curve', 'permutation_test_score']);
const FIT_METHODS = new Set(['fit', 'fit_transform', 'partial_fit', 'fit_resample']);
/** The empty dependency set, shared: versions never change their sets. */
const NO_IDS: ReadonlySet<number> = new Set();

function isPreprocessingKind(kind: Kind | undefined): boolean {
  return kind === 'transformer' || kind === 'sampler';
}

/** The only packages whose calls `kindOfCall` names. */
const ESTIMATOR_ROOTS = new Set(['sklearn', 'category_encoders', 'imblearn', 'skopt']);

type Kind = 'transformer' | 'sampler' | 'splitter' | 'search' | 'model';

interface Version {
  id: number;
  name: string;
  /** Every version this one was computed from, transitively (a fitted state is opaque: it adds itself only). Never changed once made. */
  deps: ReadonlySet<number>;
  /** From the test (true) or train (false) side of a split; undefined when the flow does not say. */
  test?: boolean;
  kind?: Kind;
  /** For a split output: the name of its train sibling (`X_train` for `X_test`). */
  trainSibling?: string;
  /** For a split output: the split call and everything its inputs were computed from. */
  split?: { call: CallSite; from: ReadonlySet<number> };
}

interface FitEvent {
  call: CallSite;
  arg: Node;
  receiver: string;
  kind: Kind | undefined;
  data: Version[];
  /** The fitted transformer's state: its outputs depend on it. */
  state: Version;
  reported: boolean;
}

export default defineRule({
  code: 'R105',
  name: 'data-leakage',
  category: 'reproducibility',
  severity: 'warning',
  appliesTo: ['python'],
  fixable: 'unsafe',
  docs: {
    summary:
      'A scaler, encoder, imputer, feature selector, decomposition, vectorizer or oversampler is fitted on data that is split into train and test (or cross-validated) afterwards in the same flow, and its output, or the transformer itself, is then used on the split parts; or test data is passed to `fit`.',
    why:
      'The test set exists to estimate how the model does on data it has never seen. When preprocessing learns its statistics (means, categories, selected features, synthetic neighbours) from rows that later land in the test set, or a model is fitted on the test set, the evaluation scores the model on data it has already seen: metrics look better than production will ever be, and the model is chosen on a lie. It is the most common silent bug in ML code, because nothing fails.',
    example:
      'scaler = StandardScaler()\nX_scaled = scaler.fit_transform(X)\nX_train, X_test, y_train, y_test = train_test_split(X_scaled, y, random_state=SEED)',
    useInstead:
      'X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=SEED)\nscaler = StandardScaler()\nX_train = scaler.fit_transform(X_train)\nX_test = scaler.transform(X_test)\n\n# or, better: make_pipeline(StandardScaler(), model) fitted on X_train only',
    fixSafety:
      'Only `transformer.fit_transform(X_test)` after the same transformer was fitted on training data has a fix: it becomes `transformer.transform(X_test)`. It changes the numbers the evaluation produces (that is the point), so it is unsafe: review it. Moving a fit after the split needs restructuring and has no automatic fix.',
    language: 'python',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (!program || !isTrainingCodePath(ctx)) return;
    if (!program.imports.imports('sklearn') && !program.imports.imports('imblearn') && !program.imports.imports('category_encoders')) return;
    // every finding starts from a `fit`-like call: flows without one are not followed
    for (const events of flowsCalling(program, FIT_METHODS)) analyseFlow(ctx, program, events);
  },
});

function analyseFlow(ctx: RuleContext, program: PythonProgram, events: FlowEvent[]): void {
  let nextId = 1;
  const current = new Map<string, Version>();
  const byId = new Map<number, Version>();
  const fits: FitEvent[] = [];
  const lastFit = new Map<string, FitEvent>();

  // one object shape for every version (no spread of optional fields)
  const newVersion = (name: string, deps: ReadonlySet<number>, test?: boolean, kind?: Kind, trainSibling?: string, split?: Version['split']): Version => {
    const v: Version = { id: nextId++, name, deps, test, kind, trainSibling, split };
    byId.set(v.id, v);
    current.set(name, v);
    return v;
  };
  const versionOf = (name: string): Version => current.get(name) ?? newVersion(name, NO_IDS);
  const isModule = (name: string) => !name.startsWith(STATE) && !!program.imports.binding(name) && !current.has(name);
  // one scratch list for the names of every lookup (nothing below looks names up while it is read)
  const names: string[] = [];
  const dataOf = (node: Node | null | undefined): Version[] => {
    names.length = 0;
    dataNames(node, names);
    const out: Version[] = [];
    for (const n of names) if (!isModule(n)) out.push(versionOf(n));
    return out;
  };
  /** The data a value is made of (fitted states excluded: they say which transformer, not which rows); the list itself when it has none. */
  const rows = (vs: Version[]) => (vs.some(isState) ? vs.filter((v) => !isState(v)) : vs);
  const closure = (vs: Version[]): ReadonlySet<number> => {
    if (!tracksDeps) return NO_IDS;
    const s = new Set<number>();
    for (const v of vs) {
      s.add(v.id);
      for (const d of v.deps) s.add(d);
    }
    return s;
  };
  const isTest = (v: Version) => v.test ?? nameSaysTest(v.name);
  const kindOfCall = (call: CallSite | null): Kind | undefined => {
    if (!call?.qualified) return undefined;
    const root = rootModule(call.qualified);
    if (!ESTIMATOR_ROOTS.has(root)) return undefined;
    const name = lastName(call.qualified);
    if (root === 'sklearn' && TRANSFORMERS.has(name)) return 'transformer';
    if (root === 'category_encoders') return 'transformer';
    if (root === 'imblearn' && SAMPLERS.has(name)) return 'sampler';
    if (root === 'sklearn' && SPLITTERS.has(name)) return 'splitter';
    if ((root === 'sklearn' || root === 'skopt') && SEARCHES.has(name)) return 'search';
    if ((root === 'sklearn' || root === 'imblearn') && (name === 'Pipeline' || name === 'make_pipeline')) {
      return containsPreprocessing(program, call.node) ? 'transformer' : 'model';
    }
    return undefined;
  };
  const callAt = (node: Node | null | undefined): CallSite | null => callAtNode(program, node);
  // kinds come only from the flow's own calls: without a transformer or sampler built here, no split or
  // application can be reported (only test data passed to fit), and what each version came from is not needed
  const tracksDeps = events.some((e) => e.type === 'call' && isPreprocessingKind(kindOfCall(e.call)));

  const report = (fit: FitEvent, split: CallSite, what: string) => {
    fit.reported = true;
    const line = split.unit.lines.lineOf(split.node.startIndex) + 1;
    const where = split.unit === fit.call.unit ? `line ${line}` : `line ${line} of cell ${split.unit.cell ?? ''}`.trim();
    const dataName = fit.data.map((v) => v.name).join(', ');
    const head = `\`${fit.receiver}.${fit.call.method}(${short(fit.arg)})\``;
    ctx.report({
      unit: fit.call.unit,
      start: fit.call.node.startIndex,
      end: fit.call.node.endIndex,
      message:
        fit.kind === 'sampler'
          ? `${head} oversamples all of \`${dataName}\` before ${what} (${where}) separates the test rows: synthetic rows built from test rows leak into training. Split first and resample the training part only (imblearn's Pipeline does this).`
          : `${head} learns its statistics from all of \`${dataName}\` before ${what} (${where}) separates the test rows: they leak into training. Split first, fit \`${fit.receiver}\` on the training part only (or put it in a Pipeline).`,
    });
  };

  /** A split or cross-validation consumes `data`: a transformer fitted on those same rows, whose output is part of the data, leaked. */
  const split = (call: CallSite, data: Version[], what: string) => {
    if (!tracksDeps) return;
    const reach = closure(data);
    for (const fit of fits) {
      if (fit.reported || (fit.kind !== 'transformer' && fit.kind !== 'sampler')) continue;
      if (reach.has(fit.state.id) && fit.data.some((v) => reach.has(v.id))) report(fit, call, what);
    }
  };

  /** A fitted transformer or sampler not reported yet: what `applied` follows. */
  const pendingFit = (receiverKey: string): FitEvent | undefined => {
    const fit = lastFit.get(receiverKey);
    return !fit || fit.reported || (fit.kind !== 'transformer' && fit.kind !== 'sampler') ? undefined : fit;
  };

  /** `scaler.transform(X_train)` after `scaler.fit(X)` and a split of X: fitted on rows that include the test part. */
  const applied = (fit: FitEvent, data: Version[]) => {
    const fitted = new Set(fit.data.map((v) => v.id));
    for (const id of closure(data)) {
      const v = byId.get(id);
      if (v?.split && [...v.split.from].some((x) => fitted.has(x))) {
        report(fit, v.split.call, `\`${lastName(v.split.call.qualified) || 'the split'}\``);
        return;
      }
    }
  };

  for (const e of events) {
    if (e.type === 'assign') {
      assign(e.node);
      continue;
    }
    const call = e.call;
    const q = call.qualified;
    // splits and cross-validation
    if (q && rootModule(q) === 'sklearn') {
      const name = lastName(q);
      if (name === 'train_test_split') {
        split(call, call.positional.flatMap((a) => dataOf(a)), '`train_test_split`');
        continue;
      }
      if (CV_FUNCTIONS.has(name)) {
        const x = call.keywords.get('X') ?? call.positional[1];
        split(call, dataOf(x), `\`${name}\``);
        continue;
      }
    }
    if (!call.method || !call.receiver) continue;
    const receiverName = call.receiver.type === 'identifier' ? call.receiver.text : null;
    const receiverText = receiverName ?? call.receiver.text;
    const fitting = FIT_METHODS.has(call.method);
    if (!fitting && call.method !== 'split') {
      // the data is looked up only when a fitted transformer may be applied (a lookup otherwise changes nothing later steps see)
      if (!MODEL_METHODS.has(call.method)) continue;
      const arg = call.positional[0] ?? call.keywords.get('X') ?? call.keywords.get('raw_documents');
      const fit = arg && pendingFit(STATE + receiverText);
      if (fit) applied(fit, rows(dataOf(arg)));
      continue;
    }
    const receiverKind = receiverName ? current.get(receiverName)?.kind : kindOfCall(callAt(call.receiver));
    if (call.method === 'split' && receiverKind === 'splitter') {
      split(call, dataOf(call.positional[0] ?? call.keywords.get('X')), `\`${call.callee ?? `${call.receiver.text}.split`}\``);
      continue;
    }
    const arg = call.positional[0] ?? call.keywords.get('X') ?? call.keywords.get('raw_documents');
    if (!fitting) continue;
    if (!arg) continue;
    const data = rows(dataOf(arg));
    if (receiverKind === 'search' && call.method === 'fit') split(call, data, `\`${receiverName ?? 'search'}.fit\` (cross-validation)`);
    const state = newVersion(STATE + receiverText, NO_IDS);
    // B: test data passed to fit
    if (data.length && data.every(isTest)) {
      const earlierTrainFit = fits.find((f) => f.receiver === receiverText && f.data.length && !f.data.every(isTest));
      const sibling = data.length === 1 ? data[0].trainSibling : undefined;
      const fixes: FixSpec[] = [];
      const methodNode = call.node.childForFieldName('function')?.childForFieldName('attribute');
      if (call.method === 'fit_transform' && earlierTrainFit && methodNode) {
        fixes.push({ title: `Use ${receiverText}.transform(${arg.text}): it is already fitted on training data`, applicability: 'unsafe', edits: [{ unit: call.unit, start: methodNode.startIndex, end: methodNode.endIndex, newText: 'transform' }] });
      }
      const advice =
        call.method === 'fit_transform'
          ? earlierTrainFit
            ? `use \`${receiverText}.transform(${arg.text})\``
            : `fit on ${sibling ? `\`${sibling}\`` : 'the training data'} and only \`transform\` the test set`
          : `fit on ${sibling ? `\`${sibling}\`` : 'the training data'} instead`;
      ctx.report({
        unit: call.unit,
        start: arg.startIndex,
        end: arg.endIndex,
        message: `\`${receiverText}.${call.method}(${short(arg)})\` fits on test data: what it learns from \`${data.map((v) => v.name).join(', ')}\` leaks into the evaluation. ${advice[0].toUpperCase()}${advice.slice(1)}.`,
        fixes,
      });
      const fit: FitEvent = { call, arg, receiver: receiverText, kind: receiverKind, data, state, reported: true };
      fits.push(fit);
      lastFit.set(STATE + receiverText, fit);
      continue;
    }
    const fit: FitEvent = { call, arg, receiver: receiverText, kind: receiverKind, data, state, reported: false };
    fits.push(fit);
    lastFit.set(STATE + receiverText, fit);
  }

  function assign(node: Node): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (!left) return;
    const augmented = node.type === 'augmented_assignment';
    const rightCall = callAt(right);
    // X_train, X_test, y_train, y_test = train_test_split(X, y)
    if (rightCall && rootModule(rightCall.qualified) === 'sklearn' && lastName(rightCall.qualified) === 'train_test_split' && (left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'list_pattern')) {
      const inputs = closure(rightCall.positional.flatMap((a) => dataOf(a)));
      const targets = left.namedChildren.filter((c): c is Node => !!c);
      targets.forEach((t, i) => {
        if (t.type !== 'identifier') return;
        const sibling = i % 2 === 1 ? targets[i - 1] : undefined;
        // versions never change their deps: the targets can share one set
        newVersion(t.text, inputs, i % 2 === 1, undefined, sibling?.type === 'identifier' ? sibling.text : undefined, { call: rightCall, from: inputs });
      });
      return;
    }
    // scaler = StandardScaler().fit(X): fit returns the estimator itself
    if (rightCall && (rightCall.method === 'fit' || rightCall.method === 'partial_fit') && rightCall.receiver && left.type === 'identifier') {
      const key = STATE + rightCall.receiver.text;
      const fit = lastFit.get(key);
      const kind = rightCall.receiver.type === 'identifier' ? current.get(rightCall.receiver.text)?.kind : kindOfCall(callAt(rightCall.receiver));
      newVersion(left.text, NO_IDS, undefined, kind);
      if (fit) {
        if (rightCall.receiver.type === 'call') fit.receiver = left.text;
        lastFit.set(STATE + left.text, fit);
        current.set(STATE + left.text, fit.state);
      }
      return;
    }
    const sources = dataOf(right);
    const deps = closure(sources);
    const dataSources = rows(sources);
    const test = dataSources.length ? dataSources.every(isTest) : undefined;
    const kind = kindOfCall(rightCall);
    bind(left, deps, augmented, test, kind);
  }

  /** Binds an assignment target (names, `df[...]`, tuples of them) to a value made of `deps`. */
  function bind(target: Node, deps: ReadonlySet<number>, augmented: boolean, test: boolean | undefined, kind: Kind | undefined): void {
    if (target.type === 'identifier') {
      let d = deps;
      if (augmented && tracksDeps) {
        const both = new Set(deps);
        for (const x of closure([versionOf(target.text)])) both.add(x);
        d = both;
      }
      newVersion(target.text, d, augmented ? undefined : test, kind);
    } else if (target.type === 'subscript' || target.type === 'attribute') {
      // df["x"] = …: a new version of df that also depends on what was written into it
      for (const n of dataNames(target, [])) {
        if (isModule(n)) continue;
        const old = versionOf(n);
        let d = NO_IDS;
        if (tracksDeps) {
          const both = new Set(closure([old]));
          for (const x of deps) both.add(x);
          d = both;
        }
        newVersion(n, d, old.test, old.kind, old.trainSibling, old.split);
      }
    } else if (target.type === 'pattern_list' || target.type === 'tuple_pattern' || target.type === 'list_pattern') {
      for (const t of target.namedChildren) if (t) bind(t, deps, augmented, test, kind);
    }
  }
}

function isState(v: Version): boolean {
  return v.name.startsWith(STATE);
}

function short(node: Node): string {
  return node.text.length > 40 || node.text.includes('\n') ? '…' : node.text;
}

/** True for constructors of preprocessing steps: sklearn transformers, imblearn samplers, category_encoders. */
function isPreprocessing(qualified: string): boolean {
  const root = rootModule(qualified);
  return (root === 'sklearn' && TRANSFORMERS.has(lastName(qualified))) || (root === 'imblearn' && SAMPLERS.has(lastName(qualified))) || root === 'category_encoders';
}

const preprocessingCalls = new ProgramCache<CallSite[]>();

/**
 * A preprocessing constructor among the calls within `node`'s offsets (other than `node`), in any
 * unit, as the offsets say. The few such calls of a program are listed once, not all calls per pipeline.
 */
function containsPreprocessing(program: PythonProgram, node: Node): boolean {
  const list = preprocessingCalls.of(program, () => program.calls().filter((c) => !!c.qualified && isPreprocessing(c.qualified)));
  for (const call of list) {
    if (call.node.startIndex >= node.startIndex && call.node.endIndex <= node.endIndex && call.node.id !== node.id) return true;
  }
  return false;
}

import type { Node } from '../documents/python/syntax-tree';
import { argument, type CallSite, type PythonProgram, ProgramCache } from '../documents/python/program';
import { dottedName, enclosingFunction, stringParts } from '../documents/python/syntax';
import type { PythonUnit } from '../documents/python/unit';
import { memoizeByString } from '../core/memo';

/**
 * Where a Python program writes a trained model to a file, and whether the same flow records it
 * somewhere that keeps lineage (a model registry, an experiment tracker, a platform that versions
 * job outputs). Shared by G101 and the governance fact collector.
 */

export type Flavor = 'sklearn' | 'pytorch' | 'tensorflow' | 'xgboost' | 'lightgbm' | 'catboost' | 'onnx' | 'transformers' | null;

export interface ModelSave {
  call: CallSite;
  /** The API, as written: `torch.save`, `model.save_pretrained`. */
  api: string;
  /** The model expression (the receiver of `state_dict()` for `torch.save(m.state_dict(), …)`). */
  model: Node | null;
  /** The path argument as written, and the node holding the path text when it could be resolved. */
  pathArg: Node | null;
  pathNode: Node | null;
  /** The path's text: a literal's value, an f-string's source, a joined path; null when unknown. */
  pathText: string | null;
  /** The literal path, when it is one. */
  literalPath: string | null;
  flavor: Flavor;
}

/** `name` looks like a model object. */
export const MODEL_NAME = /(^|_|\b)(model|models|mdl|clf|classifier|regressor|estimator|pipeline|pipe|net|network|booster|bst|learner|learn|gbm|xgb|lgbm|lgb|rf|forest|svm|svc|knn|trainer|detector|automl|predictor|ranker|ensemble|lr|logreg)s?(\d+|_|$)|Model$|Net$/i;
const MODEL_FILE = /\.(pt|pth|ckpt|h5|hdf5|keras|onnx|joblib|safetensors|cbm|ubj|bst|mdl|model|pb|tflite|mlmodel|gguf)$|model|clf|classifier|regressor|estimator|pipeline|booster|checkpoint|ckpt|weights/i;
const NOT_MODEL_RECEIVER = /tokenizer|processor|feature_extractor|image_processor|config|scaler|vectorizer|fig|figure|plt|img|image|workbook|wb|doc|document|writer|df|frame|dataset|ds|data|canvas|session|sess|saver|checkpoint_manager|manager|state|cache|db|conn|client/i;

/** Module-level save functions: index of the model and path arguments. */
const SAVE_FUNCTIONS: Record<string, { model: number; path: number; pathKw: string[]; flavor?: Flavor }> = {
  'pickle.dump': { model: 0, path: 1, pathKw: ['file'] },
  'dill.dump': { model: 0, path: 1, pathKw: ['file'] },
  'cloudpickle.dump': { model: 0, path: 1, pathKw: ['file'] },
  'joblib.dump': { model: 0, path: 1, pathKw: ['filename'] },
  'skops.io.dump': { model: 0, path: 1, pathKw: ['file'], flavor: 'sklearn' },
  'torch.save': { model: 0, path: 1, pathKw: ['f'], flavor: 'pytorch' },
  'torch.onnx.export': { model: 0, path: 2, pathKw: ['f'], flavor: 'onnx' },
  'onnx.save': { model: 0, path: 1, pathKw: ['f'], flavor: 'onnx' },
  'onnx.save_model': { model: 0, path: 1, pathKw: ['f'], flavor: 'onnx' },
  'tensorflow.saved_model.save': { model: 0, path: 1, pathKw: ['export_dir'], flavor: 'tensorflow' },
  'tensorflow.keras.models.save_model': { model: 0, path: 1, pathKw: ['filepath'], flavor: 'tensorflow' },
  'keras.models.save_model': { model: 0, path: 1, pathKw: ['filepath'], flavor: 'tensorflow' },
  'keras.saving.save_model': { model: 0, path: 1, pathKw: ['filepath'], flavor: 'tensorflow' },
  'mlflow.sklearn.save_model': { model: 0, path: 1, pathKw: ['path'], flavor: 'sklearn' },
  'mlflow.pytorch.save_model': { model: 0, path: 1, pathKw: ['path'], flavor: 'pytorch' },
  'mlflow.pyfunc.save_model': { model: -1, path: 0, pathKw: ['path'] },
};
/** Methods that write the receiver as a model. */
const SAVE_METHODS = new Set(['save', 'save_model', 'save_pretrained', 'save_weights', 'export']);

/** Calls that record a model or its file where it keeps lineage. */
const LINEAGE_QUALIFIED = /^(mlflow\.(.+\.)?(log_model|log_artifacts?|register_model|autolog)|wandb\.(log_artifact|log_model|link_model|Artifact|use_model)|clearml\.(Task\.init|OutputModel)|bentoml\.[a-z_]+\.save_model|huggingface_hub\.(upload_file|upload_folder|HfApi|create_commit)|sagemaker\..*(register|ModelPackage).*|google\.cloud\.aiplatform\.Model\.upload|azureml\.core\.Model\.register|azure\.ai\.ml\..*)$/;
const LINEAGE_METHODS = new Set(['log_model', 'log_artifact', 'log_artifacts', 'register_model', 'create_model_version', 'link_model', 'link_artifact', 'add_file', 'add_dir', 'push_to_hub', 'upload_model', 'log_asset', 'update_weights', 'create_or_update', 'autolog', 'upload']);
/** Paths that a managed training platform uploads and versions with the job (SageMaker, Vertex AI, AzureML). */
const PLATFORM_OUTPUT = /SM_MODEL_DIR|\/opt\/ml\/model|AIP_MODEL_DIR|AZUREML_MODEL_DIR|(^|["'/])outputs\//;
/** A version in a file name: v3, 2024-05-01, 20240501, 1.2.0, or an interpolated run id, timestamp, commit. */
export const VERSIONED = /(^|[^a-z])v\d+|\d{8}|\d{4}-\d{2}-\d{2}|\d+\.\d+\.\d+|\{[^}]*(version|ver\b|run_id|run\.info|timestamp|\bts\b|date|time|now|strftime|sha|commit|hash|uuid|epoch|step|tag|build|git)[^}]*\}|%s|\{\}/i;

function unwrapParens(n: Node): Node {
  let x = n;
  while (x.type === 'parenthesized_expression' && x.namedChild(0)) x = x.namedChild(0)!;
  return x;
}

const assignmentsCache = new ProgramCache<Map<string, { node: Node; unit: PythonUnit }[]>>();

/** The program's assignments (augmented ones included) by the source text of their target, in program order. */
export function assignmentsTo(program: PythonProgram, name: string): readonly { node: Node; unit: PythonUnit }[] {
  const byName = assignmentsCache.of(program, () => {
    const map = new Map<string, { node: Node; unit: PythonUnit }[]>();
    for (const a of program.nodes('assignment')) {
      const left = a.node.childForFieldName('left')?.text;
      if (left === undefined) continue;
      let list = map.get(left);
      if (!list) map.set(left, (list = []));
      list.push(a);
    }
    return map;
  });
  return byName.get(name) ?? [];
}

/** The last assignment to `name` before `before` in the program (same unit or an earlier one). */
function lastAssignment(program: PythonProgram, name: string, before: Node): Node | null {
  let found: Node | null = null;
  const unit = program.unitOf(before);
  for (const { node, unit: u } of assignmentsTo(program, name)) {
    if (u === unit && node.startIndex > before.startIndex) continue;
    if (u.ordinal > unit.ordinal && program.isNotebook) continue;
    found = node.childForFieldName('right');
  }
  return found;
}

/** Text of a path expression: literals, f-strings, `os.path.join`, `Path(…) / "…"`, one variable hop, `open(path)`. */
export function pathTextOf(program: PythonProgram, node: Node | null | undefined, depth = 0): { text: string; node: Node; literal: string | null } | null {
  if (!node || depth > 3) return null;
  const n = unwrapParens(node);
  if (n.type === 'string') {
    const parts = stringParts(n);
    const raw = n.text.slice(parts.contentStart - n.startIndex, parts.contentEnd - n.startIndex);
    return { text: parts.value ?? raw, node: n, literal: parts.value };
  }
  if (n.type === 'identifier') {
    // `with open(path, "wb") as f:` binds `f` to the file at `path`
    for (let p = n.parent; p; p = p.parent) {
      if (p.type !== 'with_statement') continue;
      for (const item of p.descendantsOfType('as_pattern')) {
        if (item?.childForFieldName('alias')?.text === n.text || item?.namedChildren.some((c) => c?.type === 'as_pattern_target' && c.text === n.text)) {
          const value = item.namedChild(0);
          if (value) return pathTextOf(program, value, depth + 1);
        }
      }
    }
    const right = lastAssignment(program, n.text, n);
    const resolved = right ? pathTextOf(program, right, depth + 1) : null;
    return resolved ? { ...resolved, literal: resolved.literal } : { text: n.text, node: n, literal: null };
  }
  if (n.type === 'call') {
    const fn = n.childForFieldName('function');
    const q = program.resolve(fn) ?? dottedName(fn) ?? '';
    const args = n.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment' && c.type !== 'keyword_argument') ?? [];
    if (/(^|\.)(open|fspath|str|abspath|expanduser|realpath|File)$/.test(q) && args.length) return pathTextOf(program, args[0], depth + 1);
    if (/(^|\.)(Path|PurePath|join)$/.test(q) && args.length === 1) return pathTextOf(program, args[0], depth + 1);
    if (/(^|\.)(Path|PurePath|join)$/.test(q) && args.length) {
      const texts = args.map((a) => pathTextOf(program, a, depth + 1)?.text ?? a.text);
      return { text: texts.join('/'), node: n, literal: null };
    }
    return { text: n.text, node: n, literal: null };
  }
  if (n.type === 'binary_operator') {
    const l = pathTextOf(program, n.childForFieldName('left'), depth + 1);
    const r = pathTextOf(program, n.childForFieldName('right'), depth + 1);
    return { text: `${l?.text ?? ''}/${r?.text ?? ''}`, node: n, literal: null };
  }
  return { text: n.text, node: n, literal: null };
}

function flavorFor(program: PythonProgram, api: string, fixed?: Flavor): Flavor {
  if (fixed !== undefined) return fixed;
  const has = (m: string) => program.imports.imports(m);
  if (api.endsWith('save_pretrained')) return 'transformers';
  if (api.startsWith('torch.')) return 'pytorch';
  if (has('xgboost') && /save_model$/.test(api)) return 'xgboost';
  if (has('lightgbm') && /save_model$/.test(api)) return 'lightgbm';
  if (has('catboost') && /save_model$/.test(api)) return 'catboost';
  if ((has('tensorflow') || has('keras')) && /\.(save|save_model|save_weights)$/.test(api)) return 'tensorflow';
  if (/^(joblib|pickle|dill|cloudpickle)\./.test(api) && has('sklearn')) return 'sklearn';
  return null;
}

/** What a receiver's last name says: a model (`MODEL_NAME`), or something else that is saved (`NOT_MODEL_RECEIVER`). */
interface NameVerdict {
  model: boolean;
  notModel: boolean;
}

/** The two name tests, once per name: the expressions are long, and names repeat across saves and files. */
const nameVerdict = memoizeByString((last): NameVerdict => ({ model: MODEL_NAME.test(last), notModel: NOT_MODEL_RECEIVER.test(last) }));

function isModelExpression(program: PythonProgram, node: Node | null, fitted: Set<string>): boolean {
  if (!node) return false;
  const n = unwrapParens(node);
  const name = dottedName(n) ?? '';
  const last = name.split('.').pop() ?? '';
  const verdict = last ? nameVerdict(last) : null;
  if (verdict && verdict.notModel && !verdict.model) return false;
  if (verdict && (verdict.model || fitted.has(name))) return true;
  if (n.type === 'call') {
    const fn = n.childForFieldName('function');
    if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'state_dict') return isModelExpression(program, fn.childForFieldName('object'), fitted) || true;
  }
  return false;
}

/** Names whose `.fit(…)`/`.train(…)` is called, and names assigned from `xgb.train(…)`-style calls. */
export function fittedNames(program: PythonProgram): Set<string> {
  const out = new Set<string>();
  for (const call of program.calls()) {
    if ((call.method === 'fit' || call.method === 'fit_transform' || call.method === 'partial_fit' || call.method === 'train') && call.receiver) {
      const r = dottedName(call.receiver);
      if (r) out.add(r);
      const parent = call.node.parent;
      const left = parent?.type === 'assignment' ? dottedName(parent.childForFieldName('left')) : null;
      if (left) out.add(left);
    }
    if (call.qualified && /^(xgboost|lightgbm|catboost)\.(train|cv)$/.test(call.qualified)) {
      const parent = call.node.parent;
      if (parent?.type === 'assignment') {
        const left = dottedName(parent.childForFieldName('left'));
        if (left) out.add(left);
      }
    }
  }
  return out;
}

const savesCache = new ProgramCache<ModelSave[]>();

/** Every model save of the program, in program order (computed once: G101 and the fact collector both ask; do not mutate). */
export function modelSaves(program: PythonProgram): readonly ModelSave[] {
  return savesCache.of(program, () => findModelSaves(program));
}

function findModelSaves(program: PythonProgram): ModelSave[] {
  const out: ModelSave[] = [];
  const fitted = fittedNames(program);
  for (const call of program.calls()) {
    const q = call.qualified;
    let model: Node | null = null;
    let pathArg: Node | null = null;
    let api = call.callee ?? q ?? '';
    let fixed: Flavor | undefined;
    // the path is resolved once per save (pure: the checks below and the record share it)
    let path: ReturnType<typeof pathTextOf> | undefined;
    if (q && SAVE_FUNCTIONS[q]) {
      const spec = SAVE_FUNCTIONS[q];
      model = spec.model >= 0 ? (call.positional[spec.model] ?? null) : null;
      pathArg = call.positional[spec.path] ?? spec.pathKw.map((k) => call.keywords.get(k)).find(Boolean) ?? null;
      fixed = spec.flavor;
      api = q;
      const generic = /^(pickle|dill|cloudpickle|joblib)\./.test(q);
      if (generic) {
        path = pathTextOf(program, pathArg);
        if (!isModelExpression(program, model, fitted) && !(path && MODEL_FILE.test(path.text))) continue;
      }
      if (q === 'torch.save' && model && !isModelExpression(program, model, fitted)) {
        path ??= pathTextOf(program, pathArg);
        if (!(path && MODEL_FILE.test(path.text))) continue;
      }
      if (model?.type === 'call') {
        const fn = model.childForFieldName('function');
        if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'state_dict') model = fn.childForFieldName('object');
      }
    } else if (!q && call.method && SAVE_METHODS.has(call.method) && call.receiver) {
      const receiver = dottedName(call.receiver);
      const last = receiver?.split('.').pop() ?? '';
      if (!receiver) continue;
      const verdict = nameVerdict(last);
      if (verdict.notModel && !verdict.model) continue;
      pathArg = argument(call, call.method === 'save_pretrained' ? 'save_directory' : 'filepath', 0) ?? call.keywords.get('path') ?? call.keywords.get('fname') ?? call.keywords.get('output_dir') ?? null;
      path = pathTextOf(program, pathArg);
      const modelLike = verdict.model || fitted.has(receiver);
      if (!modelLike && !(path && MODEL_FILE.test(path.text))) continue;
      if (call.method === 'export' && !/^(learn|learner)$/i.test(last)) continue;
      if (call.method === 'save' && !pathArg) continue;
      model = call.receiver;
    } else continue;
    if (q && /^(mlflow|bentoml)\./.test(q) && !q.endsWith('save_model')) continue;
    const resolved = path !== undefined ? path : pathTextOf(program, pathArg);
    out.push({ call, api, model, pathArg, pathNode: resolved?.node ?? null, pathText: resolved?.text ?? null, literalPath: resolved?.literal ?? null, flavor: flavorFor(program, api, fixed) });
  }
  return out;
}

function inside(node: Node, container: Node): boolean {
  return node.tree === container.tree && node.startIndex >= container.startIndex && node.endIndex <= container.endIndex;
}

export function isLineageCall(program: PythonProgram, call: CallSite): boolean {
  if (call.qualified && LINEAGE_QUALIFIED.test(call.qualified)) return true;
  if (call.qualified && /^(mlflow|wandb|neptune|comet_ml|clearml|dvclive)\b/.test(call.qualified) && call.method && LINEAGE_METHODS.has(call.method)) return true;
  if (!call.qualified && call.method && LINEAGE_METHODS.has(call.method)) {
    // `run.log_artifact(…)`, `client.create_model_version(…)`, `trainer.push_to_hub()`: only with a tracker or hub imported
    const m = program.imports;
    if (call.method === 'push_to_hub') return true;
    return ['mlflow', 'wandb', 'neptune', 'comet_ml', 'clearml', 'dvclive', 'azure', 'azureml', 'sagemaker', 'google'].some((x) => m.imports(x));
  }
  return false;
}

interface LineageCall {
  call: CallSite;
  /** The function or lambda around it, null at top level. */
  scope: Node | null;
  /** The source of its arguments, for saves elsewhere in the file that name the same file or model. */
  args: string;
}

const lineageCache = new ProgramCache<LineageCall[]>();

/** The program's lineage calls in program order, found once rather than once per save. */
function lineageCalls(program: PythonProgram): LineageCall[] {
  return lineageCache.of(program, () => {
    const list: LineageCall[] = [];
    for (const call of program.calls()) {
      if (isLineageCall(program, call)) list.push({ call, scope: enclosingFunction(call.node), args: call.node.childForFieldName('arguments')?.text ?? '' });
    }
    return list;
  });
}

/** Whether the save is recorded with lineage: a tracker call in the same function (or the program, for top-level code), autologging, a platform output path. */
export function hasLineage(program: PythonProgram, save: ModelSave): boolean {
  if (save.pathText && (PLATFORM_OUTPUT.test(save.pathText) || VERSIONED.test(save.pathText))) return true;
  if (save.pathText && /\.path\b/.test(save.pathText) && program.imports.imports('kfp')) return true; // KFP Output[Model] artifacts
  if (save.api.startsWith('bentoml.')) return true;
  const lineage = lineageCalls(program);
  if (!lineage.length) return false;
  const scope = enclosingFunction(save.call.node);
  const modelName = save.model ? dottedName(save.model) : null;
  let sameModel: RegExp | undefined;
  for (const { call, scope: callScope, args } of lineage) {
    if (call.qualified && /autolog$|clearml\.Task\.init/.test(call.qualified)) return true;
    if (scope ? !!callScope && inside(call.node, scope) : !callScope) return true;
    // elsewhere in the file, but about the same file or the same model object
    if (save.literalPath && args.includes(save.literalPath)) return true;
    if (modelName && (sameModel ??= new RegExp(`\\b${modelName.replace(/\./g, '\\.')}\\b`)).test(args)) return true;
  }
  return false;
}

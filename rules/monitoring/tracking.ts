import type { Node } from '../documents/python/syntax-tree';
import { firstAtOrAfter } from '../core/sorted';
import { type CallSite, type PythonProgram, ProgramCache } from '../documents/python/program';
import type { PythonUnit } from '../documents/python/unit';
import { dottedName, statementOf } from '../documents/python/syntax';
import {
  constructorKind,
  frameworkOf,
  isTrackingCallback,
  ML_MODULES,
  MODEL_LOADERS,
  MODEL_NAME,
  TRAIN_FUNCTIONS,
  TRACKER_ROOTS,
  trackerCallKind,
  TRANSFORMER_RECEIVER,
  type ConstructorKind,
  type Framework,
} from './catalog';
import { classOf, decoratorsOf, hasKeywordArg, keywordArgs, literalString, modulePath, nameOf, positionalArgs, scopesOf, spells, withItems, type Scopes } from './scopes';

/**
 * Where a program trains a model, and whether that training happens inside a tracked run.
 * "Tracked" is judged from the syntax tree: a `with <run>:` around it, a tracker turned on before it
 * in program order (earlier cells of a notebook included), a tracker call in the same function, a
 * function of the project that calls a tracker (a wrapper), or a caller that does any of these.
 * What cannot be seen from one file (a wrapper defined in another module, a caller in another
 * module) is returned as candidates that the workspace facts settle later.
 */

export interface TrainingSite {
  kind: 'fit' | 'train-function' | 'loop' | 'hf-trainer';
  call: CallSite;
  unit: PythonUnit;
  /** The reported range: the call, or the loop's header. */
  start: number;
  end: number;
  /** The statement a fix wraps: the one holding the call, or the outermost training loop. */
  statement: Node;
  framework: Framework;
  /** How the training reads in a message: `clf.fit(…)`. */
  label: string;
  /** Source text of the object trained (`clf`), when it is a name. */
  receiver?: string;
  /** Hugging Face: the TrainingArguments call, and its `report_to` value when present. */
  hfArgs?: Node | null;
  hfReportTo?: Node | null;
  /** PyTorch loops: the loss variable and the statement of the optimizer step, and the epoch variable. */
  loss?: string;
  stepStatement?: Node;
  stepVar?: string;
}

export interface TrackingVerdict {
  tracked: boolean;
  /** Imported project functions that would track the run if they turn out to call a tracker. */
  candidates: Set<string>;
  /** `module.function` names of the enclosing functions: tracked if another file calls them in a run. */
  callerKeys: Set<string>;
}

/** Well-known libraries: their functions are never the project's own tracking wrappers. */
const LIBRARY_ROOTS = new Set([
  'numpy', 'pandas', 'polars', 'sklearn', 'scipy', 'torch', 'torchvision', 'tensorflow', 'keras', 'xgboost', 'lightgbm', 'catboost', 'matplotlib', 'seaborn', 'plotly',
  'os', 'sys', 'json', 'pathlib', 'logging', 'typing', 'collections', 're', 'time', 'datetime', 'math', 'random', 'joblib', 'pickle', 'requests', 'transformers', 'datasets',
  'tqdm', 'yaml', 'argparse', 'click', 'typer', 'fastapi', 'flask', 'pydantic', 'itertools', 'functools', 'dataclasses', 'subprocess', 'shutil', 'glob', 'boto3', 'google',
  'azure', 'statsmodels', 'optuna', 'hydra', 'omegaconf', 'dotenv', 'imblearn', 'shap', 'accelerate', 'peft', 'trl', 'evaluate', 'tokenizers', 'pyarrow', 'sqlalchemy',
  'airflow', 'prefect', 'dagster', 'kfp', 'sagemaker', 'ray', 'dask', 'pyspark', 'great_expectations', 'pandera', 'warnings', 'copy', 'uuid', 'hashlib', 'io', 'csv',
]);

export class TrackingAnalysis {
  readonly scopes: Scopes;
  private wrappers?: { ids: Set<number>; names: Set<string> };
  private sites?: TrainingSite[];
  private readonly extra: readonly string[];

  constructor(
    readonly program: PythonProgram,
    readonly path: string,
    extraTrackers: readonly string[] = [],
  ) {
    this.scopes = scopesOf(program);
    this.extra = extraTrackers;
  }

  // -------------------------------------------------------------------------------------------
  // Tracker calls

  private kinds?: Map<CallSite, 'activation' | 'recording'>;
  private trackerCallList?: CallSite[];

  /** What a call does for tracking (of the program's calls). */
  trackerKind(call: CallSite): 'activation' | 'recording' | null {
    return this.trackerKinds().get(call) ?? null;
  }

  /** The calls that do something for tracking, with what, in program order: one pass, as most calls do nothing. */
  private trackerKinds(): Map<CallSite, 'activation' | 'recording'> {
    if (!this.kinds) {
      this.kinds = new Map();
      const calls = this.program.calls();
      // what each call's own name says (an activation, a recording), and the names runs are bound to
      const named = calls.map((c) => trackerCallKind(c.qualified, this.extra));
      const runNames = new Set<string>();
      const activations = new Set<Node>();
      for (let i = 0; i < calls.length; i++) {
        if (named[i] !== 'activation') continue;
        activations.add(calls[i].node);
        // `run = <activation>`
        const p = calls[i].node.parent;
        const left = p?.type === 'assignment' && p.childForFieldName('right') === calls[i].node ? p.childForFieldName('left') : null;
        if (left?.type === 'identifier') runNames.add(left.text);
      }
      // `with <activation> as run:`
      if (activations.size) {
        for (const { node } of this.program.nodes('with')) {
          for (const item of withItems(node)) if (item.value && activations.has(item.value) && item.alias?.type === 'identifier') runNames.add(item.alias.text);
        }
      }
      for (let i = 0; i < calls.length; i++) {
        const c = calls[i];
        const kind = named[i] === 'activation' || named[i] === 'recording' ? named[i] : this.runObjectCall(c, runNames) ? 'recording' : null;
        if (kind) this.kinds.set(c, kind as 'activation' | 'recording');
      }
    }
    return this.kinds;
  }

  /**
   * A call on a run object: `run.log(...)`, `writer.add_scalar(...)` on a name bound to what a
   * tracker's activation returned. `runNames`: every name ever bound to an activation call (the
   * binding seen from the call is looked up only for those).
   */
  private runObjectCall(call: CallSite, runNames: Set<string>): boolean {
    if (!runNames.size || call.receiver?.type !== 'identifier' || !call.method || !/^(log\w*|add_scalars?|add_histogram|report_scalar|track|set_tags?|save)$/.test(call.method)) return false;
    if (!runNames.has(call.receiver.text)) return false;
    const value = this.scopes.valueOf(call.receiver.text, call.node);
    return value?.type === 'call' && trackerCallKind(this.program.resolve(value.childForFieldName('function')), this.extra) === 'activation';
  }

  isAutolog(call: CallSite): boolean {
    return !!call.qualified && /^mlflow(\.[a-z_]+)?\.autolog$/.test(call.qualified);
  }

  /**
   * Functions and classes of this program that call a tracker, directly or through each other (by
   * plain or `self.` calls of their names), in up to three rounds over the definitions in order.
   */
  private localWrappers(): { ids: Set<number>; names: Set<string> } {
    if (!this.wrappers) {
      const ids = new Set<number>();
      const names = new Set<string>();
      const trackerCalls = this.trackerCalls();
      // no definition calls a tracker (most programs): none is a wrapper
      if (trackerCalls.length) {
        const classes = this.program.nodes('class').map((d) => d.node);
        const defs = [...this.program.nodes('function').map((d) => d.node), ...classes];
        // the definitions around a tracker call; and, for every definition, the names of definitions it calls
        // (only those can ever be wrappers' names), both read from the calls upwards
        const tracking = new Set<number>();
        for (const c of trackerCalls) for (const def of definitionsAround(c.node)) tracking.add(def.id);
        const classNames = new Set<string>();
        for (const cls of classes) {
          const n = nameOf(cls);
          if (n) classNames.add(n);
        }
        const called = new Map<number, Set<string>>();
        for (const c of this.program.calls()) {
          if (!c.method || (c.receiver !== null && !spells(c.receiver, 'self'))) continue;
          if (!this.scopes.functionsNamed(c.method).length && !classNames.has(c.method)) continue;
          for (const def of definitionsAround(c.node)) {
            const set = called.get(def.id);
            if (set) set.add(c.method);
            else called.set(def.id, new Set([c.method]));
          }
        }
        // the others never qualify; the order of the rest is kept (a round sees the names added before)
        const candidates = defs.filter((def) => tracking.has(def.id) || called.has(def.id));
        for (let round = 0; round < 3; round++) {
          let changed = false;
          for (const def of candidates) {
            if (ids.has(def.id)) continue;
            if (tracking.has(def.id) || callsAnyOf(called.get(def.id), names)) {
              ids.add(def.id);
              const n = nameOf(def);
              if (n) names.add(n);
              changed = true;
            }
          }
          if (!changed) break;
        }
      }
      this.wrappers = { ids, names };
    }
    return this.wrappers;
  }

  /** Top-level functions and classes of this file that call a tracker: other files may use them as wrappers. */
  exportedWrappers(): string[] {
    const { ids } = this.localWrappers();
    const out: string[] = [];
    for (const d of [...this.program.nodes('function'), ...this.program.nodes('class')]) {
      if (!ids.has(d.node.id) || !isTopLevel(d.node)) continue;
      const n = nameOf(d.node);
      if (n) out.push(n);
    }
    return out;
  }

  private isLocalWrapperCall(node: Node): boolean {
    const { names } = this.localWrappers();
    if (names.size === 0) return false; // most programs define no wrapper
    const fn = node.type === 'call' ? node.childForFieldName('function') : node;
    if (!fn) return false;
    if (fn.type === 'identifier') return names.has(fn.text) && !this.program.imports.binding(fn.text);
    if (fn.type === 'attribute' && fn.childForFieldName('object')?.text === 'self') return names.has(fn.childForFieldName('attribute')?.text ?? '');
    return false;
  }

  /** `isLocalWrapperCall` for a call site: its method must be a wrapper's name, which rules most calls out cheaply. */
  private isLocalWrapperSite(c: CallSite): boolean {
    return !!c.method && this.localWrappers().names.has(c.method) && this.isLocalWrapperCall(c.node);
  }

  /** An imported function that is not a known library's: it may be the project's tracking wrapper. */
  private candidateOf(node: Node): string | null {
    const fn = node.type === 'call' ? node.childForFieldName('function') : node;
    const dotted = dottedName(fn);
    return dotted ? this.candidateNamed(dotted, null) : null;
  }

  /** `candidateOf` for a callee's dotted text; `resolved`: its qualified name when already known (a call site's). */
  private candidateNamed(dotted: string, resolved: string | null): string | null {
    const dot = dotted.indexOf('.');
    const binding = this.program.imports.binding(dot < 0 ? dotted : dotted.slice(0, dot));
    if (!binding) return null;
    const q = resolved ?? this.program.imports.resolve(dotted);
    if (!q) return null;
    let known = this.knownLibrary.get(q);
    if (known === undefined) this.knownLibrary.set(q, (known = isKnownLibrary(q)));
    return known ? null : q;
  }

  /** `isKnownLibrary` by qualified name: the same library functions are called all over a program. */
  private knownLibrary = new Map<string, boolean>();

  /** What a call in a `with` item, a decorator or a statement says about tracking. */
  private classify(node: Node): 'tracks' | { candidate: string } | null {
    if (node.type === 'call') {
      const q = this.program.resolve(node.childForFieldName('function'));
      const kind = trackerCallKind(q, this.extra);
      if (kind === 'activation' || kind === 'recording') return 'tracks';
      // ZenML: @step(experiment_tracker="mlflow_tracker")
      if (hasKeywordArg(node, 'experiment_tracker')) return 'tracks';
    } else if (trackerCallKind(this.program.resolve(node), this.extra) === 'activation') return 'tracks';
    if (this.isLocalWrapperCall(node)) return 'tracks';
    const candidate = this.candidateOf(node);
    return candidate ? { candidate } : null;
  }

  /**
   * What a call says for the summaries: it records, it activates tracking for what follows (an
   * unscoped activation: a run opened by `with` ends with its block, so it tracks what is inside,
   * checked separately), it calls a local wrapper, or it may be a candidate (`candidateNamed`).
   * Read per call without a memo: a call is summarised once, in its function or at module level.
   */
  private says(c: CallSite, ignoreAutolog: boolean): Says {
    const kind = this.trackerKind(c);
    if (kind === 'recording') return Says.Records;
    if (kind === 'activation') return (ignoreAutolog && this.isAutolog(c)) || isWithContext(c.node) ? Says.Nothing : Says.Activates;
    if (this.isLocalWrapperSite(c)) return Says.Wraps;
    return c.callee ? Says.MaybeCandidate : Says.Nothing;
  }

  private fnInfo = new Map<number, { decorators: ReturnType<TrackingAnalysis['classify']>[]; metaflow: boolean }>();

  private functionInfo(fn: Node) {
    let info = this.fnInfo.get(fn.id);
    if (!info) {
      const cls = classOf(fn);
      info = { decorators: decoratorsOf(fn).map((d) => this.classify(d)), metaflow: !!cls && this.isMetaflowFlow(cls) };
      this.fnInfo.set(fn.id, info);
    }
    return info;
  }

  // -------------------------------------------------------------------------------------------
  // Verdicts

  /** Whether `node` runs inside a tracked run. `ignoreAutolog`: autolog does not record raw loops. */
  verdict(node: Node, ignoreAutolog = false): TrackingVerdict {
    const out: TrackingVerdict = { tracked: false, candidates: new Set(), callerKeys: new Set() };
    this.judge(node, ignoreAutolog, out, 0, true);
    return out;
  }

  /** `verdict(node).tracked`, without gathering the candidates and caller keys (the collector asks it of every call). */
  isTracked(node: Node): boolean {
    // one walk up: a `with <run>:` around the node tracks it; and the node's innermost function
    let fn: Node | null = null;
    for (let n = node.parent; n; n = n.parent) {
      if (n.type === 'with_statement') {
        if (this.withClasses(n).includes('tracks')) return true;
      } else if (fn === null && n.type === 'function_definition') fn = n;
    }
    return this.trackedIn(node, fn);
  }

  /**
   * `isTracked` for the `index`-th call of the program (the collector asks it of most calls): its
   * innermost function is known, and the `with` statements that open a run are few, so no walk up.
   */
  isCallTracked(index: number): boolean {
    const node = this.program.calls()[index].node;
    for (const w of this.trackingWiths()) if (isInside(w, node)) return true;
    return this.trackedIn(node, this.scopes.callFunctions()[index]);
  }

  private runWiths?: Node[];

  /** The `with` statements whose items track what runs inside. */
  private trackingWiths(): Node[] {
    this.runWiths ??= this.program.nodes('with').flatMap(({ node }) => (this.withClasses(node).includes('tracks') ? [node] : []));
    return this.runWiths;
  }

  /** What isTracked concludes past the `with` statements, for a node whose innermost function is `fn`. */
  private trackedIn(node: Node, fn: Node | null): boolean {
    const scope = this.scopeVerdict(fn);
    if (scope.always) return true;
    if (scope.before !== Infinity && this.scopes.pos(node) > scope.before) return true;
    if (!fn) return false;
    // the callers decide; asked exactly when judge asks (the memo of callers depends on the order of questions)
    return this.callersOf(fn, false, 0).tracked || scope.decorated;
  }

  private tracking?: TrackingCalls;

  /**
   * What `functionSummary` and `moduleSummary` (with autolog) say short of candidates, for every
   * function at once, read from the few calls that say anything (tracker calls, local wrapper
   * calls) rather than from every call of every function.
   */
  private trackingCalls(): TrackingCalls {
    if (this.tracking) return this.tracking;
    const t: TrackingCalls = { byFunction: new Map(), withCalls: new Set(), moduleRecords: false, moduleTracking: Infinity, moduleHasCalls: false };
    const note = (c: CallSite, says: Says) => {
      if (says === Says.Nothing || says === Says.MaybeCandidate) return;
      const chain = this.scopes.functionsOf(c.node);
      if (!chain.length) {
        if (says === Says.Records) t.moduleRecords = true;
        else t.moduleTracking = Math.min(t.moduleTracking, this.scopes.pos(c.node));
        return;
      }
      for (const f of chain) {
        let inside = t.byFunction.get(f.id);
        if (!inside) t.byFunction.set(f.id, (inside = { records: false, activation: Infinity }));
        if (says === Says.Activates) inside.activation = Math.min(inside.activation, this.scopes.pos(c.node));
        else inside.records = true;
      }
    };
    for (const c of this.trackerKinds().keys()) note(c, this.says(c, false));
    const { names } = this.localWrappers();
    if (names.size) for (const c of this.program.calls()) if (!this.trackerKind(c) && c.method && names.has(c.method)) note(c, this.says(c, false));
    // the functions that hold any call, and whether the module level does
    let previous: Node | null | undefined;
    for (const fn of this.scopes.callFunctions()) {
      if (fn === previous) continue; // calls of a function come in runs
      previous = fn;
      if (!fn) t.moduleHasCalls = true;
      else if (!t.withCalls.has(fn.id)) for (const f of this.scopes.chainOf(fn)) t.withCalls.add(f.id);
    }
    return (this.tracking = t);
  }

  /** `judge` without candidates, summarised per innermost function (null: module level), by function id (-1). */
  private scopeVerdicts = new Map<number, ScopeVerdict>();

  /** What `judge` (with autolog, without collecting) concludes for any node whose innermost function is `fn`, short of its callers. */
  private scopeVerdict(fn: Node | null): ScopeVerdict {
    const key = fn ? fn.id : -1;
    let v = this.scopeVerdicts.get(key);
    if (v) return v;
    const t = this.trackingCalls();
    if (!fn) {
      // module level: a recording call anywhere, or a tracking call before the node
      v = { always: t.moduleRecords, before: t.moduleTracking, decorated: false };
    } else {
      let decorated = false;
      let always = false;
      let before = Infinity;
      for (const f of this.scopes.chainOf(fn)) {
        const info = this.functionInfo(f);
        if (info.decorators.includes('tracks') || info.metaflow) decorated = true;
        if (!t.withCalls.has(f.id)) continue;
        const inside = t.byFunction.get(f.id);
        if (decorated || inside?.records) {
          always = true;
          break;
        }
        if (inside && inside.activation < before) before = inside.activation;
      }
      // a module-level call that tracks what runs after it (functions run later); a decorated function when the module calls anything
      if (t.moduleTracking !== Infinity || (decorated && t.moduleHasCalls)) always = true;
      v = { always, before, decorated };
    }
    this.scopeVerdicts.set(key, v);
    return v;
  }

  /** Verdicts of the callers of a function, by function id; [0] with autolog, [1] ignoring it. */
  private callerMemo = [new Map<number, TrackingVerdict>(), new Map<number, TrackingVerdict>()];

  /** `collect`: also gather what the verdict lacks to settle (candidates, caller keys); the memoized callers always do. */
  private judge(node: Node, ignoreAutolog: boolean, out: TrackingVerdict, depth: number, collect: boolean): void {
    // with <run>: around the node
    for (let n = node.parent; n && !out.tracked; n = n.parent) {
      if (n.type !== 'with_statement') continue;
      for (const r of this.withClasses(n)) note(out, r, collect);
    }
    if (out.tracked) return;
    const functions = this.scopes.functionsOf(node);
    const moduleLevel = functions.length === 0;
    const at = this.scopes.pos(node);
    for (const fn of functions) {
      const info = this.functionInfo(fn);
      for (const d of info.decorators) note(out, d, collect);
      if (info.metaflow) out.tracked = true;
      // the function's calls in order: the first that tracks ends the scan; candidates before it count
      const f = this.functionSummary(fn, ignoreAutolog);
      if (!f.count) continue;
      let stop = f.firstRecording;
      for (const [i, pos] of f.activations) {
        if (i >= stop) break;
        if (pos < at) {
          stop = i;
          break;
        }
      }
      // already tracked (a decorator): the scan in order would have looked at the first call only
      const upto = !collect ? 0 : out.tracked ? Math.min(stop, 1) : stop;
      for (const [i, candidate] of f.candidates) {
        if (i >= upto) break;
        if (out.candidates.size < 64) out.candidates.add(candidate);
      }
      if (out.tracked || stop !== Infinity) {
        out.tracked = true;
        return;
      }
    }
    // module-level calls, in program order: what each says, summarised once (judging every node
    // against every module-level call was quadratic)
    const m = this.moduleSummary(ignoreAutolog);
    // calls before `at` are a prefix; the first call that tracks ends the scan, as it would in order
    let end = m.pos.length;
    if (moduleLevel) {
      end = firstAtOrAfter(m.pos, at, (p) => p); // calls [0, end) are earlier than the node
    }
    // already tracked (a decorator): the scan in order would have looked at the first call only
    if (out.tracked && m.pos.length) end = Math.min(end, 1);
    const stop = Math.min(m.firstTracking < end ? m.firstTracking : Infinity, moduleLevel ? m.firstRecording : Infinity);
    const upto = collect ? Math.min(end, stop) : 0;
    for (const [i, candidate] of m.candidates) {
      if (i >= upto || out.candidates.size >= 64) break;
      out.candidates.add(candidate);
    }
    if (stop !== Infinity || (out.tracked && m.pos.length)) {
      out.tracked = true;
      return;
    }
    if (moduleLevel) return;
    const callers = this.callersOf(functions[0], ignoreAutolog, depth);
    if (callers.tracked) out.tracked = true;
    if (!collect) return;
    for (const c of callers.candidates) if (out.candidates.size < 64) out.candidates.add(c);
    for (const k of callers.callerKeys) out.callerKeys.add(k);
  }

  private withMemo = new Map<number, ReturnType<TrackingAnalysis['classify']>[]>();

  /** What the context expressions of a `with` statement say about tracking (computed once per statement). */
  private withClasses(withNode: Node): ReturnType<TrackingAnalysis['classify']>[] {
    let list = this.withMemo.get(withNode.id);
    if (!list) {
      list = [];
      for (const item of withItems(withNode)) if (item.value) list.push(this.classify(item.value));
      this.withMemo.set(withNode.id, list);
    }
    return list;
  }

  /** By function id; [0] with autolog, [1] ignoring it. */
  private fnSummaries = [new Map<number, FunctionSummary>(), new Map<number, FunctionSummary>()];

  /**
   * The calls of a function (nested ones included) in order, summarised once: the first that tracks
   * whatever the node (a recording call, a local wrapper), the unscoped activations with their
   * positions (they track what follows them), and the candidates. Judging every node against every
   * call of its function was quadratic.
   */
  private functionSummary(fn: Node, ignoreAutolog: boolean) {
    const memo = this.fnSummaries[ignoreAutolog ? 1 : 0];
    let s = memo.get(fn.id);
    if (!s) {
      const calls = this.scopes.callsWithin(fn);
      s = { count: calls.length, firstRecording: Infinity, activations: [], candidates: [] };
      for (let i = 0; i < calls.length && s.firstRecording === Infinity; i++) {
        const c = calls[i];
        const says = this.says(c, ignoreAutolog);
        if (says === Says.Records || says === Says.Wraps) s.firstRecording = i;
        else if (says === Says.Activates) s.activations.push([i, this.scopes.pos(c.node)]);
        else if (says === Says.MaybeCandidate) {
          const candidate = this.candidateNamed(c.callee!, c.qualified);
          if (candidate) s.candidates.push([i, candidate]);
        }
      }
      memo.set(fn.id, s);
    }
    return s;
  }

  private summaries = new Map<boolean, { pos: number[]; firstTracking: number; firstRecording: number; candidates: [number, string][] }>();

  /**
   * Module-level calls in program order: their positions, the first that tracks whatever runs after
   * it (an unscoped activation, or a local wrapper), the first recording call, and the candidates.
   */
  private moduleSummary(ignoreAutolog: boolean) {
    let s = this.summaries.get(ignoreAutolog);
    if (!s) {
      s = { pos: [], firstTracking: Infinity, firstRecording: Infinity, candidates: [] };
      const calls = this.scopes.callsOfScope(null);
      const pos = this.scopes.positions(calls);
      const order = calls.map((_, i) => i);
      if (pos.some((p, i) => i > 0 && p < pos[i - 1])) order.sort((a, b) => pos[a] - pos[b]);
      for (const i of order) {
        const k = s.pos.length;
        s.pos.push(pos[i]);
        const c = calls[i];
        const says = this.says(c, ignoreAutolog);
        if (says === Says.Activates || says === Says.Wraps) s.firstTracking = Math.min(s.firstTracking, k);
        else if (says === Says.Records) s.firstRecording = Math.min(s.firstRecording, k);
        else if (says === Says.MaybeCandidate) {
          const candidate = this.candidateNamed(c.callee!, c.qualified);
          if (candidate) s.candidates.push([k, candidate]);
        }
      }
      this.summaries.set(ignoreAutolog, s);
    }
    return s;
  }

  /** The verdict of the places that call a function (memoized; a cycle counts as untracked). */
  private callersOf(fn: Node, ignoreAutolog: boolean, depth: number): TrackingVerdict {
    const memo = this.callerMemo[ignoreAutolog ? 1 : 0];
    const known = memo.get(fn.id);
    if (known) return known;
    const out: TrackingVerdict = { tracked: false, candidates: new Set(), callerKeys: new Set() };
    memo.set(fn.id, out);
    const name = nameOf(fn);
    if (!name || depth > 6) return out;
    const mod = this.modulePath();
    if (mod && isTopLevel(fn)) out.callerKeys.add(`${mod}.${name}`);
    const isMethod = classOf(fn) !== null && this.scopes.functionsOf(fn).length === 0;
    for (const c of this.callsNamed(name)) {
      if (isInside(fn, c.node)) continue; // recursion
      if (isMethod ? !(c.method === name && c.receiver !== null) : c.callee !== name) continue;
      this.judge(c.node, ignoreAutolog, out, depth + 1, true);
      if (out.tracked) break;
    }
    // passed by reference (`PythonOperator(python_callable=train)`, `pool.map(train, …)`): the
    // orchestrator, not this code, decides what runs it, so it is left alone
    return out;
  }

  private module?: string | null;

  /** The module path of this file (asked for every function whose callers are judged). */
  private modulePath(): string | null {
    if (this.module === undefined) this.module = modulePath(this.path);
    return this.module;
  }

  private byName?: Map<string, CallSite[]>;

  /** The calls whose last name is `name`, a function of the program (only those are indexed). */
  private callsNamed(name: string): CallSite[] {
    if (!this.byName) {
      this.byName = new Map();
      for (const c of this.program.calls()) {
        if (!c.method || !this.scopes.functionsNamed(c.method).length) continue;
        const list = this.byName.get(c.method);
        if (list) list.push(c);
        else this.byName.set(c.method, [c]);
      }
    }
    return this.byName.get(name) ?? [];
  }

  /** An MLflow autolog call is active at `node` (so sklearn metrics computed there are recorded). */
  autologActive(node: Node): boolean {
    const functions = this.scopes.functionsOf(node);
    for (const fn of functions) {
      if (this.scopes.callsWithin(fn).some((c) => this.isAutolog(c) && this.scopes.before(c.node, node))) return true;
    }
    return this.scopes.callsOfScope(null).some((c) => this.isAutolog(c) && (functions.length > 0 || this.scopes.before(c.node, node)));
  }

  private isMetaflowFlow(cls: Node): boolean {
    const supers = cls.childForFieldName('superclasses');
    return !!supers && supers.namedChildren.some((s) => !!s && /^metaflow\.FlowSpec$/.test(this.program.resolve(s) ?? ''));
  }

  /** Does the file call a tracker at all (for facts and for choosing a fix)? */
  trackerCalls(): readonly CallSite[] {
    this.trackerCallList ??= [...this.trackerKinds().keys()];
    return this.trackerCallList;
  }

  // -------------------------------------------------------------------------------------------
  // Training sites

  trainingSites(): TrainingSite[] {
    if (this.sites) return this.sites;
    const sites: TrainingSite[] = [];
    const loops = new Set<number>();
    const mlImported = ML_MODULES.some((m) => this.program.imports.imports(m));
    const calls = this.program.calls();
    for (let index = 0; index < calls.length; index++) {
      const call = calls[index];
      const unit = call.unit;
      if (call.qualified && TRAIN_FUNCTIONS.has(call.qualified)) {
        if (this.callbacksTrack(call)) continue;
        sites.push({ kind: 'train-function', call, unit, start: call.node.startIndex, end: call.node.endIndex, statement: statementOf(call.node), framework: frameworkOf(call.qualified), label: `${call.callee}(…)` });
        continue;
      }
      if (!call.receiver || !call.method) continue;
      if (call.method === 'fit' || call.method === 'partial_fit') {
        // inside an estimator's own `fit`: whoever fits that estimator owns the run
        if (isEstimatorMethod(this.scopes.callFunctions()[index])) continue;
        const origin = this.originKind(call.receiver, call.node, mlImported, 0);
        if (!origin || origin.kind !== 'model') continue;
        if (this.callbacksTrack(call)) continue;
        sites.push({
          kind: 'fit',
          call,
          unit,
          start: call.node.startIndex,
          end: call.node.endIndex,
          statement: statementOf(call.node),
          framework: origin.framework,
          label: `${call.receiver.text.length <= 40 ? call.receiver.text : '…'}.${call.method}(…)`,
          receiver: call.receiver.type === 'identifier' || call.receiver.type === 'attribute' ? call.receiver.text : undefined,
        });
      } else if (call.method === 'train' && call.positional.length === 0) {
        const origin = this.originKind(call.receiver, call.node, false, 0);
        if (origin?.kind !== 'hf-trainer' || !origin.call) continue;
        const hf = this.hfArguments(origin.call, call.node);
        if (hf === 'unknown' || hf.tracked) continue;
        sites.push({
          kind: 'hf-trainer',
          call,
          unit,
          start: call.node.startIndex,
          end: call.node.endIndex,
          statement: statementOf(call.node),
          framework: 'transformers',
          label: `${call.receiver.text}.train()`,
          hfArgs: hf.args,
          hfReportTo: hf.reportTo,
        });
      } else if (call.method === 'step' && call.positional.length === 0) {
        const site = this.loopSite(call, loops);
        if (site) sites.push(site);
      }
    }
    const order = new Map(sites.map((s) => [s, this.scopes.pos(s.call.node)]));
    this.sites = sites.sort((a, b) => order.get(a)! - order.get(b)!);
    return this.sites;
  }

  /** What the object a receiver names was built as: a model, a transformer, a trainer … */
  originKind(receiver: Node, at: Node, guess: boolean, depth: number): { kind: ConstructorKind; framework: Framework; call?: Node } | null {
    if (depth > 4) return null;
    if (receiver.type === 'parenthesized_expression') return receiver.namedChild(0) ? this.originKind(receiver.namedChild(0)!, at, guess, depth + 1) : null;
    if (receiver.type === 'call') {
      const fn = receiver.childForFieldName('function');
      const q = this.program.resolve(fn);
      if (q) {
        if (MODEL_LOADERS.test(q)) return { kind: 'model', framework: frameworkOf(q), call: receiver };
        const kind = constructorKind(q);
        if (kind === 'pipeline') return this.pipelineKind(receiver, at, depth);
        if (kind) return { kind, framework: frameworkOf(q), call: receiver };
        return null;
      }
      // a local factory: `def build_model(): return Pipeline([...])`
      if (fn?.type === 'identifier') {
        for (const def of this.scopes.functionsNamed(fn.text)) {
          const body = def.childForFieldName('body');
          for (const ret of body?.descendantsOfType('return_statement') ?? []) {
            const value = ret?.namedChild(0);
            if (!value) continue;
            const k = this.originKind(value, ret!, guess, depth + 1);
            if (k) return k;
          }
        }
      }
      return null;
    }
    if (receiver.type === 'identifier' || (receiver.type === 'attribute' && receiver.childForFieldName('object')?.text === 'self')) {
      const value = receiver.type === 'identifier' ? this.scopes.valueOf(receiver.text, at) : this.scopes.selfAttribute(receiver.childForFieldName('attribute')!.text, classOf(at));
      if (value) {
        const k = this.originKind(value, value, guess, depth + 1);
        if (k) return k;
        // built by a library call that is not a model (a SageMaker estimator launches a job, a scaler transforms)
        if (value.type === 'call') {
          const q = this.program.resolve(value.childForFieldName('function'));
          if (q && LIBRARY_ROOTS.has(q.split('.')[0])) return null;
          if (q && /^(sagemaker|azureml|azure|google|vertexai|ray|kfp)\b/.test(q)) return null;
        }
      }
      if (this.compiledAsKeras(receiver)) return { kind: 'model', framework: 'keras' };
      const name = receiver.type === 'identifier' ? receiver.text : receiver.childForFieldName('attribute')!.text;
      if (guess && MODEL_NAME.test(name) && !TRANSFORMER_RECEIVER.test(name)) return { kind: 'model', framework: 'other' };
    }
    return null;
  }

  private pipelineKind(call: Node, at: Node, depth: number): { kind: ConstructorKind; framework: Framework; call?: Node } {
    const q = this.program.resolve(call.childForFieldName('function')) ?? '';
    let last: Node | undefined;
    if (/make_pipeline$/.test(q)) last = positionalArgs(call).pop();
    else {
      const steps = keywordArgs(call).get('steps') ?? positionalArgs(call)[0];
      const lastStep = steps?.type === 'list' ? steps.namedChildren.filter((c) => c && c.type !== 'comment').pop() : undefined;
      if (lastStep?.type === 'tuple') last = lastStep.namedChildren.filter((c) => c && c.type !== 'comment')[1] ?? undefined;
    }
    const k = last ? this.originKind(last, at, false, depth + 1) : null;
    if (k?.kind === 'transformer') return { kind: 'transformer', framework: 'sklearn', call };
    return { kind: 'model', framework: k?.framework ?? 'sklearn', call };
  }

  /** `model.compile(...)` in the same program: a Keras model. */
  private compiledAsKeras(receiver: Node): boolean {
    if (!this.compiled) {
      this.compiled = new Set();
      for (const c of this.program.calls()) if (c.method === 'compile' && c.receiver) this.compiled.add(c.receiver.text);
    }
    return this.compiled.has(receiver.text) && (this.program.imports.imports('keras') || this.program.imports.imports('tensorflow') || this.program.imports.imports('tf_keras'));
  }

  /** Receivers of `.compile(...)` calls (asked for every fitted receiver). */
  private compiled?: Set<string>;

  /** Keras, XGBoost, LightGBM … callbacks that report to a tracker. */
  private callbacksTrack(call: CallSite): boolean {
    const cbs = call.keywords.get('callbacks') ?? call.keywords.get('callback') ?? call.keywords.get('logger');
    if (!cbs) return false;
    const elements = (n: Node): Node[] => {
      if (n.type === 'list' || n.type === 'tuple') return n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
      if (n.type === 'identifier') {
        const v = this.scopes.valueOf(n.text, call.node);
        return v ? elements(v) : [n];
      }
      return [n];
    };
    for (const el of elements(cbs)) {
      let node: Node | null = el;
      if (node.type === 'identifier') node = this.scopes.valueOf(node.text, call.node) ?? node;
      if (node.type === 'call') {
        const q = this.program.resolve(node.childForFieldName('function'));
        if (isTrackingCallback(q, this.extra) || this.isLocalWrapperCall(node)) return true;
        if (!q) return true; // a project callback we cannot see into: give it the benefit of the doubt
      } else if (node.type === 'identifier' || node.type === 'attribute') return true;
    }
    return false;
  }

  /** A Hugging Face trainer's arguments: tracked when `report_to` names a tracker. */
  private hfArguments(trainerCall: Node, at: Node): 'unknown' | { tracked: boolean; args: Node | null; reportTo: Node | null } {
    const kw = keywordArgs(trainerCall);
    let args: Node | undefined | null = kw.get('args');
    const q = this.program.resolve(trainerCall.childForFieldName('function')) ?? '';
    if (!args && /^transformers(\.\w+)*\.(Seq2Seq)?Trainer$/.test(q)) args = positionalArgs(trainerCall)[1];
    if (!args) return { tracked: false, args: null, reportTo: null };
    if (args.type === 'identifier') args = this.scopes.valueOf(args.text, at);
    if (!args || args.type !== 'call' || constructorKind(this.program.resolve(args.childForFieldName('function')) ?? '') !== 'hf-args') return 'unknown';
    const reportTo = keywordArgs(args).get('report_to') ?? null;
    if (!reportTo) return { tracked: false, args, reportTo: null };
    const values = reportTo.type === 'list' || reportTo.type === 'tuple' ? reportTo.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : [reportTo];
    const none = values.length === 0 || values.every((v) => v.type === 'none' || literalString(v) === 'none');
    return { tracked: !none, args, reportTo };
  }

  private loopSite(call: CallSite, seen: Set<number>): TrainingSite | null {
    const receiver = call.receiver!;
    const origin = this.originKind(receiver, call.node, false, 0);
    const name = receiver.type === 'identifier' ? receiver.text : receiver.type === 'attribute' ? (receiver.childForFieldName('attribute')?.text ?? '') : '';
    const optimizer = origin?.kind === 'optimizer' || (!origin && /^_?(opt|optim|optimizer|optimiser)(_\w+)?$|_(opt|optim|optimizer|optimiser)$/i.test(name) && this.program.imports.imports('torch'));
    if (!optimizer) return null;
    let outer: Node | null = null;
    for (let n = call.node.parent; n && n.type !== 'function_definition'; n = n.parent) {
      if (n.type === 'for_statement' || n.type === 'while_statement') {
        outer = n;
      }
    }
    if (!outer || seen.has(outer.id)) return null;
    const backward = this.scopes.callsWithin(outer).filter((c) => c.method === 'backward');
    if (origin?.kind !== 'optimizer' && backward.length === 0) return null;
    seen.add(outer.id);
    const colon = outer.children.find((c) => c?.type === ':');
    const lossNode = backward.map((c) => c.receiver).find((r) => r?.type === 'identifier') ?? backward.map((c) => c.positional[0]).find((r) => r?.type === 'identifier');
    let stepVar: string | undefined;
    if (outer.type === 'for_statement') {
      const left = outer.childForFieldName('left');
      const right = outer.childForFieldName('right');
      const rq = right?.type === 'call' ? (right.childForFieldName('function')?.text ?? '') : '';
      if (left?.type === 'identifier' && /^(range|trange)$/.test(rq)) stepVar = left.text;
      else if ((left?.type === 'pattern_list' || left?.type === 'tuple_pattern') && rq === 'enumerate' && left.namedChild(0)?.type === 'identifier') stepVar = left.namedChild(0)!.text;
    }
    return {
      kind: 'loop',
      call,
      unit: call.unit,
      start: outer.startIndex,
      end: colon ? colon.endIndex : outer.startIndex,
      statement: outer,
      framework: 'pytorch',
      label: `${receiver.text}.step()`,
      loss: lossNode?.text,
      stepStatement: statementOf(call.node),
      stepVar,
    };
  }
}

/** What a call says for the summaries of tracking (TrackingAnalysis.says). */
const enum Says {
  Nothing,
  Records,
  Activates,
  Wraps,
  /** Nothing for tracking; its callee may be the project's wrapper. */
  MaybeCandidate,
}

/** The functions and classes around a node, innermost first. */
function* definitionsAround(node: Node): Generator<Node> {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'function_definition' || n.type === 'class_definition') yield n;
}

function callsAnyOf(called: Set<string> | undefined, names: Set<string>): boolean {
  if (!called || !names.size) return false;
  for (const m of called) if (names.has(m)) return true;
  return false;
}

/** `node` is inside `ancestor` (pre-order numbers: no walk). */
function isInside(ancestor: Node, node: Node): boolean {
  return ancestor.tree === node.tree && ancestor.order < node.order && node.order <= ancestor.last;
}

/** Records what a `with` item or a decorator says in a verdict (a function, not a closure per judge: judge runs for every call). */
function note(out: TrackingVerdict, r: 'tracks' | { candidate: string } | null, collect: boolean): void {
  if (r === 'tracks') out.tracked = true;
  else if (r && collect && out.candidates.size < 64) out.candidates.add(r.candidate);
}

/** A qualified name in a well-known library or a tracker (relative names are the project's). */
function isKnownLibrary(q: string): boolean {
  if (q.startsWith('.')) return false;
  const dot = q.indexOf('.');
  return LIBRARY_ROOTS.has(dot < 0 ? q : q.slice(0, dot)) || TRACKER_ROOTS.some((r) => q.startsWith(r));
}

/** A call's innermost function is a method that fits (the call is inside an estimator's own `fit`). */
function isEstimatorMethod(fn: Node | null): boolean {
  return !!fn && /^(fit|partial_fit|fit_transform|fit_predict|_fit)$/.test(nameOf(fn) ?? '') && classOf(fn) !== null;
}

function isWithContext(call: Node): boolean {
  let n: Node | null = call.parent;
  if (n?.type === 'as_pattern') n = n.parent;
  return n?.type === 'with_item';
}

function isTopLevel(def: Node): boolean {
  const p = def.parent?.type === 'decorated_definition' ? def.parent.parent : def.parent;
  return p?.type === 'module';
}

/** The calls that say something for tracking, by where they are (TrackingAnalysis.trackingCalls). */
interface TrackingCalls {
  /** By function id (calls of nested functions count for the enclosing ones): a recording or local wrapper call; the first unscoped activation. */
  byFunction: Map<number, { records: boolean; activation: number }>;
  /** Functions (ids) that hold any call. */
  withCalls: Set<number>;
  /** At module level: a recording call; the first unscoped activation or local wrapper call; any call. */
  moduleRecords: boolean;
  moduleTracking: number;
  moduleHasCalls: boolean;
}

interface ScopeVerdict {
  /** Tracked wherever the node is. */
  always: boolean;
  /** Tracked when the node comes after this program position (an unscoped activation before it). */
  before: number;
  /** A decorator (or a Metaflow flow) tracks an enclosing function: tracked whatever the callers say. */
  decorated: boolean;
}

interface FunctionSummary {
  count: number;
  /** Index of the first call that tracks whatever follows or precedes it (a recording call, a local wrapper). */
  firstRecording: number;
  /** Unscoped activations before it: [index, position]. */
  activations: [number, number][];
  /** Candidates before it: [index, qualified name]. */
  candidates: [number, string][];
}

const analyses = new ProgramCache<TrackingAnalysis>();

/** One analysis per program, shared by the collector and the rules. */
export function trackingOf(program: PythonProgram, path: string, extraTrackers: readonly string[] = []): TrackingAnalysis {
  let a = analyses.get(program);
  if (!a || a.path !== path || extraTrackers.length) {
    a = new TrackingAnalysis(program, path, extraTrackers);
    if (!extraTrackers.length) analyses.set(program, a);
  }
  return a;
}

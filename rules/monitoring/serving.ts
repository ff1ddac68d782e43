import type { Node } from '../documents/python/syntax-tree';
import { type CallSite, type PythonProgram, ProgramCache } from '../documents/python/program';
import type { PythonUnit } from '../documents/python/unit';
import { dottedName } from '../documents/python/syntax';
import { isAppInstrumentation, isMetricsModule, METRIC_CONSTRUCTORS, METRIC_METHODS, MODEL_LOADERS, PREDICT_METHODS, ROUTE_DECORATORS, WEB_APP_CONSTRUCTORS } from './catalog';
import { isLoggerCall } from './logging';
import { classOf, contains, decoratorCallee, decoratorsOf, keywordArgs, literalString, nameOf, positionalArgs, scopeOf, scopesOf, type Scopes } from './scopes';

/**
 * Prediction services: the request handlers of web apps (FastAPI, Flask, Starlette, Quart, Sanic)
 * and the entry points of serving platforms (BentoML, Ray Serve, KServe, Seldon/MLServer, Triton,
 * SageMaker and AzureML scoring scripts) that call a model, and whether anything observes them:
 * a log line or a metric in the handler (or a helper it calls), or instrumentation of the whole app.
 */

export type ServingFramework = 'fastapi' | 'flask' | 'starlette' | 'quart' | 'sanic' | 'litestar' | 'bentoml' | 'ray-serve' | 'kserve' | 'seldon' | 'triton' | 'sagemaker' | 'azureml';

/** Platforms that count requests and time them on their own: what they lack is the prediction itself. */
export const PLATFORM_METRICS: ReadonlySet<ServingFramework> = new Set(['bentoml', 'ray-serve', 'kserve', 'seldon', 'triton', 'sagemaker', 'azureml']);

export const FRAMEWORK_TITLE: Record<ServingFramework, string> = {
  fastapi: 'FastAPI',
  flask: 'Flask',
  starlette: 'Starlette',
  quart: 'Quart',
  sanic: 'Sanic',
  litestar: 'Litestar',
  bentoml: 'BentoML',
  'ray-serve': 'Ray Serve',
  kserve: 'KServe',
  seldon: 'Seldon',
  triton: 'Triton',
  sagemaker: 'SageMaker',
  azureml: 'Azure ML',
};

export interface AppObject {
  name: string;
  framework: ServingFramework;
  /** The statement that creates it in this file (null when imported). */
  statement: Node | null;
  /** A router or blueprint: its app (and its instrumentation) lives elsewhere. */
  router: boolean;
}

export interface Handler {
  fn: Node;
  unit: PythonUnit;
  framework: ServingFramework;
  route: string | null;
  app: AppObject | null;
  /** Calls that ask a model for a prediction, in the handler or a helper it calls. */
  modelCalls: CallSite[];
  /** A model call made in the handler's own body. */
  directModelCall: CallSite | null;
  observed: boolean;
}

export class ServingAnalysis {
  readonly scopes: Scopes;
  private handlerCache?: Handler[];
  private instrumented?: boolean;

  constructor(readonly program: PythonProgram) {
    this.scopes = scopesOf(program);
  }

  /** A web app object a decorator's receiver names: `app` in `@app.post`. */
  private appObject(receiver: Node, at: Node): AppObject | null {
    const name = dottedName(receiver);
    if (!name) return null;
    if (receiver.type === 'identifier') {
      const value = this.scopes.valueOf(receiver.text, at);
      if (value?.type === 'call') {
        const q = this.program.resolve(value.childForFieldName('function')) ?? '';
        const fw = WEB_APP_CONSTRUCTORS[q];
        if (fw) return { name, framework: fw, statement: value.parent?.type === 'assignment' ? value.parent : null, router: /(APIRouter|Blueprint|Router)$/.test(q) };
        return null;
      }
      if (value) return null;
    }
    const imported = this.frameworkImported();
    if (imported && /^(app|application|api|router|bp|blueprint|server|service|svc|[a-z_]*_(app|router|bp|api))$/i.test(name.split('.').pop()!)) {
      return { name, framework: imported, statement: null, router: true };
    }
    return null;
  }

  private frameworkImported(): ServingFramework | null {
    const imports = this.program.imports;
    if (imports.imports('fastapi')) return 'fastapi';
    if (imports.imports('flask')) return 'flask';
    if (imports.imports('starlette')) return 'starlette';
    if (imports.imports('quart')) return 'quart';
    if (imports.imports('sanic')) return 'sanic';
    if (imports.imports('litestar')) return 'litestar';
    return null;
  }

  private decorated?: Node[];

  /** The functions that have decorators, in program order: found from the decorators, not from every function's parent. */
  private decoratedFunctions(): Node[] {
    if (this.decorated) return this.decorated;
    const out: Node[] = (this.decorated = []);
    const seen = new Set<Node>();
    for (const { node: decorator } of this.program.nodes('decorator')) {
      const def = decorator.parent;
      if (def?.type !== 'decorated_definition' || seen.has(def)) continue;
      seen.add(def);
      for (const c of def.children) if (c.type === 'function_definition' && c.isNamed) out.push(c);
    }
    return out;
  }

  handlers(): Handler[] {
    if (this.handlerCache) return this.handlerCache;
    const found = new Map<number, { fn: Node; framework: ServingFramework; route: string | null; app: AppObject | null }>();
    const add = (fn: Node, framework: ServingFramework, route: string | null, app: AppObject | null) => {
      if (!found.has(fn.id)) found.set(fn.id, { fn, framework, route, app });
    };
    for (const fn of this.decoratedFunctions()) {
      for (const d of decoratorsOf(fn)) {
        const callee = decoratorCallee(d);
        const q = this.program.resolve(callee) ?? '';
        if (/^bentoml(\._internal\.\w+)*\.api$/.test(q)) {
          add(fn, 'bentoml', null, null);
          continue;
        }
        if (callee?.type !== 'attribute') continue;
        const method = callee.childForFieldName('attribute')?.text ?? '';
        const receiver = callee.childForFieldName('object')!;
        if (ROUTE_DECORATORS.has(method)) {
          const app = this.appObject(receiver, fn);
          if (app) add(fn, app.framework, d.type === 'call' ? literalString(positionalArgs(d)[0] ?? keywordArgs(d).get('path')) : null, app);
        } else if (method === 'api' && receiver.type === 'identifier') {
          const v = this.scopes.valueOf(receiver.text, fn);
          if (v?.type === 'call' && /^bentoml(\.\w+)*\.Service$/.test(this.program.resolve(v.childForFieldName('function')) ?? '')) add(fn, 'bentoml', null, null);
        }
      }
    }
    // routes registered by call: Route("/p", fn), app.add_api_route("/p", fn), app.add_url_rule("/p", view_func=fn)
    for (const call of this.program.calls()) {
      const q = call.qualified ?? '';
      let target: Node | undefined;
      let framework: ServingFramework | null = null;
      if (/^starlette\.routing\.(Route|WebSocketRoute)$/.test(q)) {
        target = call.keywords.get('endpoint') ?? call.positional[1];
        framework = 'starlette';
      } else if (call.method === 'add_api_route' || call.method === 'add_url_rule') {
        target = call.keywords.get('endpoint') ?? call.keywords.get('view_func') ?? call.positional[1] ?? undefined;
        framework = call.method === 'add_api_route' ? 'fastapi' : 'flask';
        if (!call.receiver || !this.appObject(call.receiver, call.node)) framework = null;
      }
      if (!framework || target?.type !== 'identifier') continue;
      for (const fn of this.scopes.functionsNamed(target.text)) add(fn, framework, literalString(call.positional[0]), call.receiver ? this.appObject(call.receiver, call.node) : null);
    }
    // serving platforms' model classes
    for (const { node: cls } of this.program.nodes('class')) {
      const supers = (cls.childForFieldName('superclasses')?.namedChildren ?? []).map((s) => (s ? (this.program.resolve(s) ?? '') : ''));
      const decorators = decoratorsOf(cls).map((d) => this.program.resolve(decoratorCallee(d)) ?? '');
      const methods = (cls.childForFieldName('body')?.namedChildren ?? [])
        .map((c) => (c?.type === 'decorated_definition' ? c.childForFieldName('definition') : c))
        .filter((c): c is Node => c?.type === 'function_definition');
      const method = (name: string) => methods.find((m) => nameOf(m) === name);
      let framework: ServingFramework | null = null;
      let entry: Node[] = [];
      if (decorators.some((d) => /^ray\.serve(\.api)?\.deployment$/.test(d))) {
        framework = 'ray-serve';
        entry = [method('__call__')].filter((m): m is Node => !!m);
      } else if (decorators.some((d) => /^bentoml(\.\w+)*\.service$/.test(d))) {
        framework = 'bentoml';
      } else if (supers.some((s) => /^kserve(\.model)?\.Model$/.test(s))) {
        framework = 'kserve';
        entry = [method('predict')].filter((m): m is Node => !!m);
      } else if (supers.some((s) => /^mlserver(\.model)?\.MLModel$/.test(s))) {
        framework = 'seldon';
        entry = [method('predict')].filter((m): m is Node => !!m);
      } else if (nameOf(cls) === 'TritonPythonModel') {
        framework = 'triton';
        entry = [method('execute')].filter((m): m is Node => !!m);
      } else {
        const predict = method('predict');
        const params = predict?.childForFieldName('parameters')?.namedChildren.map((p) => (p?.type === 'identifier' ? p.text : (p?.childForFieldName('name')?.text ?? p?.namedChild(0)?.text ?? ''))) ?? [];
        if (predict && params.some((p) => p === 'features_names' || p === 'feature_names') && !supers.length) {
          framework = 'seldon';
          entry = [predict];
        }
      }
      if (framework) for (const m of entry) add(m, framework, null, null);
    }
    // scoring scripts: SageMaker (model_fn + predict_fn/transform_fn), Azure ML (init + run)
    // the last module-level function of each of these names (by name first: no name read for every function)
    const moduleLevel = new Set(this.scopes.moduleFunctions());
    const topLevel = new Map<string, Node>();
    for (const n of ['model_fn', 'predict_fn', 'transform_fn', 'init', 'run']) {
      const fn = this.scopes.functionsNamed(n).filter((f) => moduleLevel.has(f)).pop();
      if (fn) topLevel.set(n, fn);
    }
    if (topLevel.has('model_fn')) for (const n of ['predict_fn', 'transform_fn']) if (topLevel.has(n)) add(topLevel.get(n)!, 'sagemaker', null, null);
    if (topLevel.has('init') && topLevel.has('run')) add(topLevel.get('run')!, 'azureml', null, null);

    const handlers: Handler[] = [];
    for (const { fn, framework, route, app } of found.values()) {
      const modelCalls = this.modelCallsIn(fn, 0, new Set());
      if (!modelCalls.length) continue;
      const direct = modelCalls.find((c) => scopeOf(c.node)?.id === fn.id) ?? null;
      handlers.push({ fn, unit: this.scopes.unitOf(fn), framework, route, app, modelCalls, directModelCall: direct, observed: this.observes(fn, 0, new Set()) || this.appInstrumented() });
    }
    this.handlerCache = handlers.sort((a, b) => this.scopes.pos(a.fn) - this.scopes.pos(b.fn));
    return this.handlerCache;
  }

  /** Model calls in a function and in the same-file helpers it calls. */
  private modelCallsIn(fn: Node, depth: number, seen: Set<number>): CallSite[] {
    if (seen.has(fn.id)) return [];
    seen.add(fn.id);
    const out: CallSite[] = [];
    for (const call of this.scopes.callsWithin(fn)) {
      if (this.isModelCall(call)) out.push(call);
      else if (depth < 2) for (const helper of this.helpers(call, fn)) out.push(...this.modelCallsIn(helper, depth + 1, seen));
    }
    return out;
  }

  private helpers(call: CallSite, from: Node): Node[] {
    if (call.callee && !call.callee.includes('.')) return this.scopes.functionsNamed(call.callee).filter((f) => !this.program.imports.binding(call.callee!));
    if (call.receiver?.text === 'self' && call.method) {
      const cls = classOf(from);
      return this.scopes.functionsNamed(call.method).filter((f) => cls && contains(cls, f));
    }
    return [];
  }

  isModelCall(call: CallSite): boolean {
    if (call.method && call.receiver && PREDICT_METHODS.has(call.method)) {
      if (call.method !== 'encode' && call.method !== 'infer') return true;
      return this.isLoadedModel(call.receiver, call.node);
    }
    if (call.method === 'run' && call.receiver && this.isLoadedModel(call.receiver, call.node)) return true; // onnxruntime
    const fn = call.node.childForFieldName('function');
    if (fn && (fn.type === 'identifier' || fn.type === 'attribute') && !call.qualified) return this.isLoadedModel(fn, call.node);
    return false;
  }

  private isLoadedModel(node: Node, at: Node): boolean {
    let value: Node | null = null;
    if (node.type === 'identifier') value = this.scopes.valueOf(node.text, at);
    else if (node.type === 'attribute' && node.childForFieldName('object')?.text === 'self') value = this.scopes.selfAttribute(node.childForFieldName('attribute')!.text, classOf(at));
    if (value?.type !== 'call') return false;
    const fn = value.childForFieldName('function');
    const q = this.program.resolve(fn) ?? (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'from_pretrained' ? 'x.from_pretrained' : '');
    return MODEL_LOADERS.test(q);
  }

  /** Logging or metrics in a function, its decorators, or the helpers it calls. */
  private observes(fn: Node, depth: number, seen: Set<number>): boolean {
    if (seen.has(fn.id)) return false;
    seen.add(fn.id);
    for (const d of decoratorsOf(fn)) if (this.isMetricsExpr(d)) return true;
    for (const call of this.scopes.callsWithin(fn)) {
      if (this.isObservation(call)) return true;
      if (depth < 2) for (const helper of this.helpers(call, fn)) if (this.observes(helper, depth + 1, seen)) return true;
    }
    return false;
  }

  isObservation(call: CallSite): boolean {
    if (isLoggerCall(this.program, call)) return true;
    if (call.qualified && isMetricsModule(call.qualified)) return true;
    return !!call.method && METRIC_METHODS.has(call.method) && !!call.receiver && this.isMetricsExpr(call.receiver);
  }

  /** An expression rooted in a metrics object: `LATENCY`, `PREDICTIONS.labels(...)`, `statsd`. */
  private isMetricsExpr(node: Node): boolean {
    let root: Node | null = node;
    for (let i = 0; root && i < 6 && (root.type === 'call' || root.type === 'attribute'); i++) {
      if (root.type === 'call') {
        const q = this.program.resolve(root.childForFieldName('function'));
        if (q && (METRIC_CONSTRUCTORS.test(q) || isMetricsModule(q))) return true;
        root = root.childForFieldName('function');
      } else {
        const q = this.program.resolve(root);
        if (q && isMetricsModule(q)) return true;
        root = root.childForFieldName('object');
      }
    }
    if (root?.type !== 'identifier') return false;
    const q = this.program.resolve(root);
    if (q && isMetricsModule(q)) return true;
    const value = this.scopes.valueOf(root.text, node);
    if (value?.type !== 'call') return false;
    const vq = this.program.resolve(value.childForFieldName('function')) ?? dottedName(value.childForFieldName('function')) ?? '';
    return METRIC_CONSTRUCTORS.test(vq) || isMetricsModule(vq) || (value.childForFieldName('function')?.type === 'attribute' && this.isMetricsExpr(value.childForFieldName('function')!.childForFieldName('object')!));
  }

  /** Instrumentation of the whole app: middleware, exporters, auto-instrumentation, request hooks that log. */
  appInstrumented(): boolean {
    if (this.instrumented !== undefined) return this.instrumented;
    let result = false;
    const imports = this.program.imports;
    if (imports.imports('ddtrace.auto') || imports.imports('opentelemetry.instrumentation.auto_instrumentation') || imports.imports('sentry_sdk')) result = true;
    for (const call of this.program.calls()) {
      if (result) break;
      const q = call.qualified ?? '';
      if (isAppInstrumentation(q) || q === 'sentry_sdk.init') result = true;
      else if (call.method === 'add_middleware' || call.method === 'instrument_app') {
        const arg = call.positional[0];
        const aq = arg ? (this.program.resolve(arg) ?? '') : '';
        if (call.method === 'instrument_app' || isMetricsModule(aq) || /Prometheus|Metrics|OpenTelemetry|Telemetry|Logging|Log/i.test(arg?.text ?? '')) result = true;
      }
    }
    if (!result) {
      // @app.middleware("http"), @app.before_request / after_request hooks that log or record metrics
      for (const fn of this.decoratedFunctions()) {
        const hook = decoratorsOf(fn).some((d) => {
          const callee = decoratorCallee(d);
          const m = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : null;
          return m === 'middleware' || m === 'before_request' || m === 'after_request' || m === 'teardown_request';
        });
        if (hook && this.observes(fn, 0, new Set())) {
          result = true;
          break;
        }
      }
    }
    this.instrumented = result;
    return result;
  }

  /** The app objects created in this file. */
  apps(): AppObject[] {
    const out: AppObject[] = [];
    for (const { node } of this.program.nodes('assignment')) {
      if (node.type !== 'assignment') continue;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left?.type !== 'identifier' || right?.type !== 'call') continue;
      const q = this.program.resolve(right.childForFieldName('function')) ?? '';
      const fw = WEB_APP_CONSTRUCTORS[q];
      if (fw) out.push({ name: left.text, framework: fw, statement: node, router: /(APIRouter|Blueprint|Router)$/.test(q) });
    }
    return out;
  }

  /** A `/metrics` route or mount exists in this file. */
  exposesMetrics(): boolean {
    // asked by every unobserved handler's fix
    this.metricsRoute ??= this.program.strings().some((s) => s.value === '/metrics' && !s.docstring);
    return this.metricsRoute;
  }

  private metricsRoute?: boolean;
}

const analyses = new ProgramCache<ServingAnalysis>();

export function servingOf(program: PythonProgram): ServingAnalysis {
  return analyses.of(program, () => new ServingAnalysis(program));
}

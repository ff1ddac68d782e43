import type { Node } from '../documents/python/syntax-tree';
import type { CallSite, PythonProgram } from '../documents/python/program';
import { dottedName } from '../documents/python/syntax';
import type { PythonUnit } from '../documents/python/unit';
import { calledFunctions, follow, type SinkTest } from './flow';
import { scopeOf, type FunctionInfo, type ProgramIndex } from './python-index';
import type { ValidationOptions } from './validation';

/**
 * Serving boundaries: web handlers (FastAPI, Flask, Quart, Starlette, Django, Litestar, Sanic),
 * BentoML APIs, Ray Serve deployments, KServe models, AWS Lambda handlers and Azure ML scoring
 * scripts, with the untyped inputs each receives: a parameter annotated `dict`/`Any`/`Mapping`,
 * `**kwargs`, `request.json`/`request.get_json()`/`request.form`, `await request.json()`.
 */

export type Framework = 'fastapi' | 'flask' | 'starlette' | 'django' | 'bentoml' | 'ray' | 'kserve' | 'lambda' | 'azureml' | 'litestar' | 'sanic';

export interface UntypedInput {
  handler: FunctionInfo;
  framework: Framework;
  /** A parameter holding the untyped value from the start of the handler… */
  param?: { name: string; node: Node; typeNode: Node | null; kind: 'annotated' | 'kwargs' | 'raw' };
  /** …or an expression that produces it (`request.get_json()`). */
  expr?: { node: Node; unit: PythonUnit };
  /** How to name it in a message: `payload: dict`, `request.get_json()`. */
  label: string;
}

const ROUTE_METHODS = /^(get|post|put|patch|delete|route|api_route|websocket|options|head)$/;
const UNTYPED_ANNOTATION = /^(dict|Dict|typing\.Dict|dict\[.*\]|Dict\[.*\]|typing\.Dict\[.*\]|Any|typing\.Any|object|Mapping(\[.*\])?|typing\.Mapping(\[.*\])?|MutableMapping(\[.*\])?|Json|JSON|Optional\[(dict|Dict|Any)(\[.*\])?\]|(dict|Dict|Any)(\[.*\])?\s*\|\s*None)$/;
const FLASK_INPUTS = /^(json|form|args|values|data)$/;
const FLASK_CALLS = /^(get_json|get_data)$/;

function webFramework(program: PythonProgram): Framework | null {
  const i = program.imports;
  if (i.imports('fastapi')) return 'fastapi';
  if (i.imports('flask') || i.imports('quart')) return 'flask';
  if (i.imports('litestar')) return 'litestar';
  if (i.imports('sanic')) return 'sanic';
  if (i.imports('starlette')) return 'starlette';
  return null;
}

function isRouteDecorator(d: FunctionInfo['decorators'][number]): boolean {
  const name = d.dotted?.split('.').pop() ?? '';
  return !!d.call && !!d.dotted && d.dotted.includes('.') && ROUTE_METHODS.test(name);
}

export function untypedInputs(index: ProgramIndex): UntypedInput[] {
  const program = index.program;
  const out: UntypedInput[] = [];
  const web = webFramework(program);
  const importsDjango = program.imports.imports('django') || program.imports.imports('rest_framework');
  const definesInit = index.functions('init').some((f) => !f.className);
  const importsBentoml = program.imports.imports('bentoml');
  for (const fn of index.allFunctions()) {
    // most functions are no handler: their decorators are usually none, and their parameters are read only when needed
    const decorated = fn.decorators.length > 0;
    const route = decorated && fn.decorators.some(isRouteDecorator);
    const bentoml = decorated && importsBentoml && fn.decorators.some((d) => /^bentoml\.(api|service)|\.api$/.test(d.qualified ?? d.dotted ?? ''));
    let paramList: ParamNode[] | undefined;
    const params = () => (paramList ??= paramNodes(fn.node));
    if (route && web) {
      if (web === 'fastapi' || web === 'litestar') {
        for (const p of params()) {
          if (p.kind === 'kwargs') out.push({ handler: fn, framework: web, param: p, label: `**${p.name}` });
          else if (p.typeNode && UNTYPED_ANNOTATION.test(p.typeNode.text.replace(/\s+/g, ''))) out.push({ handler: fn, framework: web, param: { ...p, kind: 'annotated' }, label: `${p.name}: ${p.typeNode.text}` });
        }
        out.push(...requestBodies(index, fn, web));
      } else if (web === 'flask') {
        out.push(...flaskInputs(index, fn));
      } else out.push(...requestBodies(index, fn, web));
      continue;
    }
    if (bentoml) {
      for (const p of params()) {
        if (p.name === 'self' || p.name === 'ctx' || p.name === 'context') continue;
        if (p.kind === 'kwargs' || !p.typeNode || UNTYPED_ANNOTATION.test(p.typeNode.text.replace(/\s+/g, ''))) {
          const jsonWithoutModel = fn.decorators.some((d) => d.call && /\bJSON\(\s*\)/.test(d.call.text));
          if (p.typeNode || jsonWithoutModel || p.kind === 'kwargs') out.push({ handler: fn, framework: 'bentoml', param: p, label: p.kind === 'kwargs' ? `**${p.name}` : p.typeNode ? `${p.name}: ${p.typeNode.text}` : p.name });
        }
      }
      continue;
    }
    // Ray Serve / Starlette-style classes: async def __call__(self, request)
    if (fn.name === '__call__' && fn.className && program.imports.imports('ray')) {
      out.push(...requestBodies(index, fn, 'ray'));
      continue;
    }
    // KServe: class Model(kserve.Model): def predict(self, payload: Dict, headers=None)
    if (fn.className && (fn.name === 'predict' || fn.name === 'preprocess') && program.imports.imports('kserve')) {
      const p = params().find((x) => x.name !== 'self');
      if (p && (!p.typeNode || UNTYPED_ANNOTATION.test(p.typeNode.text.replace(/\s+/g, '')))) out.push({ handler: fn, framework: 'kserve', param: { ...p, kind: 'raw' }, label: p.typeNode ? `${p.name}: ${p.typeNode.text}` : p.name });
      continue;
    }
    if (fn.className || scopeOf(fn.node)) continue;
    // AWS Lambda: def lambda_handler(event, context)
    if (/^(lambda_handler|handler)$/.test(fn.name) && params().length === 2 && /^(_?context|ctx)$/.test(params()[1].name)) {
      out.push({ handler: fn, framework: 'lambda', param: { ...params()[0], kind: 'raw' }, label: params()[0].name });
      continue;
    }
    // Azure ML scoring script: init() + run(raw_data)
    if (fn.name === 'run' && definesInit && params().length >= 1) {
      const p = params()[0];
      if (!p.typeNode || UNTYPED_ANNOTATION.test(p.typeNode.text.replace(/\s+/g, '')) || p.typeNode.text === 'str') out.push({ handler: fn, framework: 'azureml', param: { ...p, kind: 'raw' }, label: p.name });
      continue;
    }
    // Django views: def view(request) reading request.POST / request.body
    if (importsDjango && params()[0]?.name === 'request') out.push(...requestAttributes(index, fn, 'django', /^(POST|GET|body|data)$/));
  }
  return out;
}

interface ParamNode {
  name: string;
  node: Node;
  typeNode: Node | null;
  kind: 'annotated' | 'kwargs' | 'raw';
}

function paramNodes(def: Node): ParamNode[] {
  const out: ParamNode[] = [];
  for (const p of def.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!p) continue;
    if (p.type === 'identifier') out.push({ name: p.text, node: p, typeNode: null, kind: 'raw' });
    else if (p.type === 'typed_parameter') {
      const id = p.namedChildren.find((c) => c?.type === 'identifier');
      const splat = p.namedChildren.find((c) => c?.type === 'dictionary_splat_pattern');
      if (splat) out.push({ name: splat.namedChild(0)?.text ?? '', node: p, typeNode: null, kind: 'kwargs' });
      else if (id) out.push({ name: id.text, node: p, typeNode: p.childForFieldName('type'), kind: 'raw' });
    } else if (p.type === 'default_parameter') {
      const id = p.childForFieldName('name');
      if (id) out.push({ name: id.text, node: p, typeNode: null, kind: 'raw' });
    } else if (p.type === 'typed_default_parameter') {
      const id = p.childForFieldName('name');
      if (id) out.push({ name: id.text, node: p, typeNode: p.childForFieldName('type'), kind: 'raw' });
    } else if (p.type === 'dictionary_splat_pattern') {
      out.push({ name: p.namedChild(0)?.text ?? '', node: p, typeNode: null, kind: 'kwargs' });
    }
  }
  return out;
}

/** `await request.json()`, `request.json()`, `await request.body()` on a parameter of the handler. */
function requestBodies(index: ProgramIndex, fn: FunctionInfo, framework: Framework): UntypedInput[] {
  const out: UntypedInput[] = [];
  const params = new Set(paramNodes(fn.node).map((p) => p.name));
  for (const call of callsIn(index, fn)) {
    if ((call.method === 'json' || call.method === 'body' || call.method === 'form') && call.receiver?.type === 'identifier' && params.has(call.receiver.text) && call.positional.length === 0) {
      const expr = call.node.parent?.type === 'await' ? call.node.parent : call.node;
      out.push({ handler: fn, framework, expr: { node: expr, unit: call.unit }, label: expr.text });
    }
  }
  return out;
}

function flaskInputs(index: ProgramIndex, fn: FunctionInfo): UntypedInput[] {
  const out: UntypedInput[] = [];
  const program = index.program;
  const isRequest = (node: Node | null) => {
    const d = dottedName(node);
    if (!d) return false;
    const q = program.imports.resolve(d) ?? '';
    return /^(flask|quart|werkzeug)(\.\w+)*\.request$/.test(q);
  };
  for (const call of callsIn(index, fn)) {
    if (call.method && FLASK_CALLS.test(call.method) && isRequest(call.receiver)) {
      const expr = call.node.parent?.type === 'await' ? call.node.parent : call.node;
      out.push({ handler: fn, framework: 'flask', expr: { node: expr, unit: call.unit }, label: expr.text });
    }
  }
  for (const node of fn.node.descendantsOfType('attribute')) {
    if (!node || scopeOf(node)?.id !== fn.node.id) continue;
    const attr = node.childForFieldName('attribute')?.text ?? '';
    if (!FLASK_INPUTS.test(attr) || !isRequest(node.childForFieldName('object'))) continue;
    if (node.parent?.type === 'call' && node.parent.childForFieldName('function')?.id === node.id) continue;
    out.push({ handler: fn, framework: 'flask', expr: { node, unit: fn.unit }, label: node.text });
  }
  return out;
}

function requestAttributes(index: ProgramIndex, fn: FunctionInfo, framework: Framework, attrs: RegExp): UntypedInput[] {
  const out: UntypedInput[] = [];
  for (const node of fn.node.descendantsOfType('attribute')) {
    if (!node || scopeOf(node)?.id !== fn.node.id) continue;
    if (node.childForFieldName('object')?.text !== 'request' || !attrs.test(node.childForFieldName('attribute')?.text ?? '')) continue;
    out.push({ handler: fn, framework, expr: { node, unit: fn.unit }, label: node.text });
  }
  return out;
}

function callsIn(index: ProgramIndex, fn: FunctionInfo): CallSite[] {
  return index.callsIn(fn.node);
}

const MODEL_METHODS = /^(predict|predict_proba|predict_log_proba|decision_function|score_samples|generate|forward|infer|inference|classify)$/;
const MODEL_NAME = /(^|_)(model|models|pipe|pipeline|clf|classifier|regressor|estimator|predictor|net|network|booster|scorer|detector|ranker|recommender)(_|$)|^(sess|session|ort_session|onnx_session)$/i;
const LOADERS = /(^|\.)(load|load_model|loads|from_pretrained|pipeline|InferenceSession|Booster|load_learner)$/;

/**
 * Model calls, directly or through a local helper whose parameter reaches one unvalidated:
 * `model.predict(x)`, `model(x)`, `session.run(None, {...})`, `chain.invoke(x)`, `score(payload)`.
 */
export function modelSink(index: ProgramIndex, validation: ValidationOptions, depth = 0): SinkTest {
  const direct = directModelSink(index);
  const helpers = new Map<string, string | null>();
  return (call, via) => {
    const hit = direct(call, via);
    if (hit || via !== 'argument' || depth >= 2) return hit;
    for (const fn of calledFunctions(index, call)) {
      const key = `${fn.unit.ordinal}:${fn.node.startIndex}`;
      if (!helpers.has(key)) {
        helpers.set(key, null); // recursion guard
        let label: string | null = null;
        for (const p of fn.params) {
          if (p.startsWith('*') || p === 'self' || p === 'cls') continue;
          const flow = follow(index, { names: [p], scope: fn.node, validation, sink: modelSink(index, validation, depth + 1) });
          if (flow.firstUse && (!flow.validated || flow.firstUse.order < flow.validated.order)) {
            label = `${fn.name} → ${flow.firstUse.label}`;
            break;
          }
        }
        helpers.set(key, label);
      }
      const label = helpers.get(key);
      if (label) return label;
    }
    return null;
  };
}

function directModelSink(index: ProgramIndex): SinkTest {
  const loadedAtModule = (name: string) => {
    const v = index.moduleValue(name);
    if (!v || v.node.type !== 'call') return false;
    const site = index.callAt(v.node);
    return !!site && LOADERS.test(site.qualified ?? site.callee ?? '');
  };
  return (call, via) => {
    if (via !== 'argument') return null;
    const label = call.callee ?? call.method ?? 'model';
    if (call.method && MODEL_METHODS.test(call.method) && call.receiver) return label;
    const fn = call.node.childForFieldName('function');
    if (fn?.type === 'identifier' && (MODEL_NAME.test(fn.text) || loadedAtModule(fn.text))) return label;
    if (fn?.type === 'attribute' && fn.childForFieldName('object')?.text === 'self' && MODEL_NAME.test(call.method ?? '')) return label;
    if (call.method === 'run' && call.receiver && /sess|session/i.test(call.receiver.text)) return label;
    if (call.method === 'invoke' && call.receiver && /chain|llm|model|agent|graph/i.test(call.receiver.text)) return label;
    return null;
  };
}

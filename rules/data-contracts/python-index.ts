import type { Node } from '../documents/python/syntax-tree';
import { type CallSite, type PythonProgram, ProgramCache } from '../documents/python/program';
import { dottedName } from '../documents/python/syntax';
import { firstAtOrAfter } from '../core/sorted';

export { firstAtOrAfter };
import type { PythonUnit } from '../documents/python/unit';

/**
 * What the data-contract rules need to know about a Python program, computed once per program
 * and shared by the family's rules and collector: call sites by node, the identifiers of each
 * scope in program order, functions by name, module-level constants, and the classes and names
 * that are schemas or validating models. Built from the unit index and a few wasm-side
 * `descendantsOfType` calls; nothing here walks a whole tree from JavaScript.
 */

export interface Located {
  node: Node;
  unit: PythonUnit;
}

export interface FunctionInfo extends Located {
  name: string;
  /** Parameter names in order (`self` included), and where `*args`/`**kwargs` are. */
  params: string[];
  decorators: { node: Node; qualified: string | null; dotted: string | null; call: Node | null }[];
  /** Enclosing class name for methods. */
  className: string | null;
}

export interface ProgramIndex {
  program: PythonProgram;
  callAt(node: Node): CallSite | undefined;
  /** Calls whose scope is this function (or module level for null), in program order. */
  callsIn(scope: Node | null): CallSite[];
  /** The calls of one unit, in document order (so by start offset). */
  unitCalls(unit: PythonUnit): CallSite[];
  /** Calls whose last callee name is `method` (`load()`, `self.load()`), in program order. */
  callsOf(method: string): CallSite[];
  /** Identifiers of a scope (a function definition, or null for module level), in program order. */
  identifiers(scope: Node | null): Located[];
  functions(name: string): FunctionInfo[];
  functionOf(def: Node): FunctionInfo | undefined;
  allFunctions(): FunctionInfo[];
  /** The value of a module-level name bound exactly once, e.g. `RAW = "data/raw.csv"`. */
  moduleValue(name: string): Located | undefined;
  /** Local classes by name, with their base classes resolved through imports. */
  classBases(name: string): string[] | undefined;
  classNode(name: string): Located | undefined;
  /** Module-level names bound to a pandera schema (`X = pa.DataFrameSchema(...)`) or DataFrameModel classes. */
  panderaSchemas: Map<string, { backend: Backend; node: Node; unit: PythonUnit; kind: 'schema' | 'model' }>;
}

export type Backend = 'pandas' | 'polars' | 'pyspark';

const cache = new ProgramCache<ProgramIndex>();

/** Position in program order: cells first, then offsets. */
export function orderOf(unit: PythonUnit, index: number): number {
  return unit.ordinal * 1e10 + index;
}

/**
 * The function whose body holds a node (lambdas and classes are transparent), or null at module
 * level. Answered from the function ranges of the unit's index when there is one: walking
 * `parent` costs a descent from the root for every step in tree-sitter 0.25.
 */
export function scopeOf(node: Node): Node | null {
  const table = node.tree.memoized<ScopeTable>(SCOPE_TABLE);
  if (!table) {
    for (let n = node.parent; n; n = n.parent) if (n.type === 'function_definition') return n;
    return null;
  }
  const { starts, fns } = table;
  let lo = 0;
  let hi = starts.length - 1;
  let i = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= node.startIndex) {
      i = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  for (; i >= 0; i = fns[i].parent) {
    const f = fns[i];
    const same = f.start === node.startIndex && f.end === node.endIndex && node.type === 'function_definition';
    if (!same && f.start <= node.startIndex && node.endIndex <= f.end) return f.node;
  }
  return null;
}

interface ScopeTable {
  starts: number[];
  fns: { node: Node; start: number; end: number; parent: number }[];
}
/** Memo key of a tree's function ranges (SyntaxTree.memo: dropped with the node objects it holds). */
const SCOPE_TABLE = {};

function buildScopeTable(defs: Node[]): ScopeTable {
  const sorted = [...defs].sort((a, b) => a.startIndex - b.startIndex || b.endIndex - a.endIndex);
  const fns: ScopeTable['fns'] = [];
  const stack: number[] = [];
  for (const node of sorted) {
    while (stack.length && fns[stack[stack.length - 1]].end < node.endIndex) stack.pop();
    fns.push({ node, start: node.startIndex, end: node.endIndex, parent: stack.length ? stack[stack.length - 1] : -1 });
    stack.push(fns.length - 1);
  }
  return { starts: fns.map((f) => f.start), fns };
}

export function sameNode(a: Node | null | undefined, b: Node | null | undefined): boolean {
  return !!a && !!b && a.id === b.id && a.startIndex === b.startIndex && a.endIndex === b.endIndex;
}

export function programIndex(program: PythonProgram): ProgramIndex {
  let index = cache.get(program);
  if (!index) cache.set(program, (index = build(program)));
  return index;
}

const PANDERA_SCHEMA = /^pandera(\.[A-Za-z_.]+)?\.(DataFrameSchema|SeriesSchema)(\.from_(yaml|json))?$/;
const PANDERA_MODEL = /^pandera(\.[A-Za-z_.]+)?\.(DataFrameModel|SchemaModel)$/;

export function backendOf(qualified: string): Backend {
  if (/^pandera\.polars\b/.test(qualified)) return 'polars';
  if (/^pandera\.pyspark\b/.test(qualified)) return 'pyspark';
  return 'pandas';
}

/** Program-order key of a node, for lookups by a node that may be another copy of the same span. */
const spanKey = (unit: PythonUnit, node: Node) => `${unit.ordinal}:${node.startIndex}:${node.endIndex}`;

/**
 * A lookup by span, for a node that is not the indexed one but covers the same text (every node a
 * rule holds normally comes from the same mirrored tree, and is found by identity first). The map
 * is built on the first such lookup only.
 */
function spanLookup<T>(program: PythonProgram, entries: () => Iterable<[PythonUnit, Node, T]>): (node: Node) => T | undefined {
  let bySpan: Map<string, T> | undefined;
  return (node) => {
    if (!bySpan) {
      bySpan = new Map();
      for (const [unit, n, value] of entries()) bySpan.set(spanKey(unit, n), value);
    }
    return bySpan.get(spanKey(program.unitOf(node), node));
  };
}


/** Same scope as scopeOf's answer: the same node, or (for a copy) the same span in the same tree. */
function isScope(found: Node | null, scope: Node | null): boolean {
  if (!found || !scope) return found === scope;
  return found === scope || (found.tree === scope.tree && found.startIndex === scope.startIndex && found.endIndex === scope.endIndex);
}

/**
 * Identifiers whose scope is `scope`, in program order. A function's identifiers all start
 * inside its span (identifiers are listed in pre-order, so by start offset): only that run of the
 * unit's list is tested, not every identifier of the program.
 */
function identifiersOf(program: PythonProgram, scope: Node | null): Located[] {
  const out: Located[] = [];
  if (!scope) {
    for (const unit of program.units) for (const node of unit.root.descendantsOfType('identifier')) if (node && !scopeOf(node)) out.push({ node, unit });
    return out;
  }
  const unit = program.unitOf(scope);
  const ids = unit.root.descendantsOfType('identifier');
  for (let i = firstAtOrAfter(ids, scope.startIndex, (n) => n.startIndex); i < ids.length && ids[i].startIndex <= scope.endIndex; i++) {
    const node = ids[i];
    if (node && isScope(scopeOf(node), scope)) out.push({ node, unit });
  }
  return out;
}

function functionInfo(program: PythonProgram, node: Node, unit: PythonUnit): FunctionInfo | null {
  const name = node.childForFieldName('name')?.text;
  if (!name) return null;
  const params: string[] = [];
  for (const p of node.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!p) continue;
    const id = p.type === 'identifier' ? p : p.type === 'typed_parameter' ? p.namedChildren.find((c) => c?.type === 'identifier') : p.childForFieldName('name');
    if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern') params.push(`${p.type === 'list_splat_pattern' ? '*' : '**'}${p.namedChild(0)?.text ?? ''}`);
    else if (id) params.push(id.text);
  }
  const decorators: FunctionInfo['decorators'] = [];
  const parent = node.parent;
  if (parent?.type === 'decorated_definition') {
    for (const d of parent.namedChildren) {
      if (d?.type !== 'decorator') continue;
      const expr = d.namedChild(0);
      const target = expr?.type === 'call' ? expr.childForFieldName('function') : expr;
      const dotted = dottedName(target ?? null);
      decorators.push({ node: d, dotted, qualified: dotted ? program.imports.resolve(dotted) : null, call: expr?.type === 'call' ? expr : null });
    }
  }
  let className: string | null = null;
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'class_definition') {
      className = n.childForFieldName('name')?.text ?? null;
      break;
    }
    if (n.type === 'function_definition') break;
  }
  return { node, unit, name, params, decorators, className };
}

function build(program: PythonProgram): ProgramIndex {
  for (const unit of program.units) unit.tree.memo(SCOPE_TABLE, () => buildScopeTable(unit.nodes('function')));
  const callsByUnit = new Map<PythonUnit, CallSite[]>();
  const unitCalls = (unit: PythonUnit) => {
    if (!callsByUnit.size) {
      for (const c of program.calls()) {
        let list = callsByUnit.get(c.unit);
        if (!list) callsByUnit.set(c.unit, (list = []));
        list.push(c);
      }
    }
    return callsByUnit.get(unit) ?? [];
  };
  const callAtSpan = spanLookup(program, function* () {
    for (const c of program.calls()) yield [c.unit, c.node, c] as [PythonUnit, Node, CallSite];
  });
  // a unit's calls are in pre-order: the call of a node is found by its pre-order number, with no map to build
  const callAt = (node: Node): CallSite | undefined => {
    const calls = unitCalls(program.unitOf(node));
    const at = calls[firstAtOrAfter(calls, node.order, (c) => c.node.order)];
    return at?.node === node ? at : callAtSpan(node);
  };

  const functions = new Map<string, FunctionInfo[]>();
  const infos: FunctionInfo[] = [];
  for (const { node, unit } of program.nodes('function')) {
    const info = functionInfo(program, node, unit);
    if (!info) continue;
    let list = functions.get(info.name);
    if (!list) functions.set(info.name, (list = []));
    list.push(info);
    infos.push(info);
  }
  const functionByNode = new Map(infos.map((f) => [f.node, f]));
  const functionAtSpan = spanLookup(program, function* () {
    for (const f of infos) yield [f.unit, f.node, f] as [PythonUnit, Node, FunctionInfo];
  });
  const functionOf = (def: Node) => functionByNode.get(def) ?? functionAtSpan(def);

  const moduleAssignments = new Map<string, Located[]>();
  for (const { node, unit } of program.nodes('assignment')) {
    if (node.type !== 'assignment' || scopeOf(node)) continue;
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left?.type !== 'identifier' || !right) continue;
    let list = moduleAssignments.get(left.text);
    if (!list) moduleAssignments.set(left.text, (list = []));
    list.push({ node: right, unit });
  }

  const classes = new Map<string, { bases: string[]; node: Node; unit: PythonUnit }>();
  for (const { node, unit } of program.nodes('class')) {
    const name = node.childForFieldName('name')?.text;
    if (!name) continue;
    const bases: string[] = [];
    for (const b of node.childForFieldName('superclasses')?.namedChildren ?? []) {
      if (!b || b.type === 'keyword_argument') continue;
      const d = dottedName(b);
      if (d) bases.push(program.imports.resolve(d) ?? d);
    }
    classes.set(name, { bases, node, unit });
  }

  const panderaSchemas: ProgramIndex['panderaSchemas'] = new Map();
  for (const [name, values] of moduleAssignments) {
    const v = values[values.length - 1];
    if (v.node.type !== 'call') continue;
    const site = callAt(v.node);
    if (site?.qualified && PANDERA_SCHEMA.test(site.qualified)) panderaSchemas.set(name, { backend: backendOf(site.qualified), node: v.node, unit: v.unit, kind: 'schema' });
  }
  const isModel = (name: string, depth = 0): Backend | null => {
    const c = classes.get(name);
    if (!c || depth > 4) return null;
    for (const b of c.bases) {
      if (PANDERA_MODEL.test(b)) return backendOf(b);
      const local = isModel(b, depth + 1);
      if (local) return local;
    }
    return null;
  };
  for (const [name, c] of classes) {
    const backend = isModel(name);
    if (backend) panderaSchemas.set(name, { backend, node: c.node, unit: c.unit, kind: 'model' });
  }

  // by scope, computed per scope on first use: a rule follows values through a few functions, not all
  const identifiersByScope = new Map<Node | null, Located[]>();
  const identifiers = (scope: Node | null): Located[] => {
    let list = identifiersByScope.get(scope);
    if (!list) identifiersByScope.set(scope, (list = identifiersOf(program, scope)));
    return list;
  };
  let allInfos: FunctionInfo[] | undefined;
  let callsByScope: Map<string, CallSite[]> | undefined;
  let callsByMethod: Map<string, CallSite[]> | undefined;
  return {
    program,
    callAt,
    unitCalls,
    callsOf(method) {
      if (!callsByMethod) {
        callsByMethod = new Map();
        for (const c of program.calls()) {
          if (!c.method) continue;
          let list = callsByMethod.get(c.method);
          if (!list) callsByMethod.set(c.method, (list = []));
          list.push(c);
        }
      }
      return callsByMethod.get(method) ?? [];
    },
    callsIn(scope) {
      if (!callsByScope) {
        callsByScope = new Map();
        for (const c of program.calls()) {
          const s = scopeOf(c.node);
          const k = s ? spanKey(c.unit, s) : 'module';
          let list = callsByScope.get(k);
          if (!list) callsByScope.set(k, (list = []));
          list.push(c);
        }
      }
      return callsByScope.get(scope ? spanKey(program.unitOf(scope), scope) : 'module') ?? [];
    },
    identifiers,
    functions: (name) => functions.get(name) ?? [],
    functionOf,
    // one list, made on first use (rules ask per read and per route); do not mutate
    allFunctions: () => (allInfos ??= [...functions.values()].flat()),
    moduleValue(name) {
      const list = moduleAssignments.get(name);
      return list && list.length === 1 ? list[0] : undefined;
    },
    classBases: (name) => classes.get(name)?.bases,
    classNode: (name) => {
      const c = classes.get(name);
      return c ? { node: c.node, unit: c.unit } : undefined;
    },
    panderaSchemas,
  };
}

/** `self.x` → its attribute node text; identifiers → their text. */
export function refText(node: Node): string | null {
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') return dottedName(node);
  return null;
}

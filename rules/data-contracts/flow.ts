import type { Node } from '../documents/python/syntax-tree';
import type { CallSite } from '../documents/python/program';
import type { PythonUnit } from '../documents/python/unit';
import { firstAtOrAfter, orderOf, sameNode, type FunctionInfo, type ProgramIndex } from './python-index';
import { isValidationCall, STRUCTURE_ATTRS, validationDecorators, type ValidationOptions } from './validation';
import { stringList, stringValue } from './values';

/**
 * Follows a value through one scope — a function body, or module level (for a notebook: its code
 * cells in order) — and tells whether it reaches a validation, and what it reaches first.
 *
 * The value starts as an expression (a read call, `request.get_json()`) or as names bound at the
 * start of the scope (parameters). It is carried by names assigned from any expression that
 * contains it (`df = df.dropna()`, `X = df[cols]`, `rows = df.to_dict("records")`), by loop and
 * comprehension variables iterating over it, and through calls that are not validations
 * (`pd.concat([df, other])`). Re-binding a name to something else ends it. A validation is a
 * call listed in validation.ts, a local function whose parameter reaches one (followed up to three
 * calls deep), or a structural check (`assert df.columns …`). What is knowingly not followed:
 * other modules (a helper imported from elsewhere is neither a validation nor a use unless
 * mlready.yaml lists it), closures, module-level names used inside functions, attributes other
 * than `self.x`, containers other than lists filled with `append`/`extend` (`frames[k] = df`),
 * and control flow (a validation on one branch counts).
 */

export interface FlowPoint {
  node: Node;
  unit: PythonUnit;
  order: number;
  label: string;
}

export interface FlowResult {
  validated: FlowPoint | null;
  /** First sink reached before any validation. */
  firstUse: FlowPoint | null;
  /** Returned or yielded before any validation. */
  returned: FlowPoint | null;
  /** Column names the code reads from the value (`df["a"]`, `df.a`, `df[["a", "b"]]`). */
  columns: string[];
}

export type SinkTest = (call: CallSite, via: 'argument' | 'receiver') => string | null;

export interface FlowSpec {
  source?: { node: Node; unit: PythonUnit };
  /** Names holding the value from the start of the scope. */
  names?: string[];
  scope: Node | null;
  validation: ValidationOptions;
  sink?: SinkTest;
  collectColumns?: boolean;
  depth?: number;
}

/** Attributes and accessors of frames, which are not column names. */
const FRAME_ATTRS = new Set([
  'values', 'shape', 'columns', 'index', 'dtypes', 'dtype', 'T', 'loc', 'iloc', 'at', 'iat', 'empty', 'size', 'ndim', 'str', 'dt', 'cat', 'plot',
  'style', 'attrs', 'flags', 'axes', 'sparse', 'name', 'array', 'schema', 'rdd', 'write', 'writeStream', 'na', 'stat', 'height', 'width',
  'expect', 'pandera', 'sample', 'data', 'features', 'num_rows', 'column_names',
]);
const CONTAINER_ADD = new Set(['append', 'extend', 'insert', 'add', 'appendleft', 'put']);
const COLUMN_METHODS = new Set(['groupby', 'group_by', 'sort_values', 'sort', 'set_index', 'select', 'pivot_table']);
const WALK_THROUGH = new Set([
  'list', 'tuple', 'set', 'dictionary', 'parenthesized_expression', 'binary_operator', 'boolean_operator', 'conditional_expression',
  'unary_operator', 'not_operator', 'comparison_operator', 'await', 'expression_list', 'slice', 'generator_expression', 'list_comprehension',
  'set_comprehension', 'dictionary_comprehension', 'if_clause', 'pattern_list', 'tuple_pattern',
]);

interface State {
  tracked: Set<string>;
  /** Statements whose value carries the tracked value: the names they bind carry it too. */
  deriving: Set<Node>;
  validated: FlowPoint | null;
  firstUse: FlowPoint | null;
  returned: FlowPoint | null;
  columns: Set<string>;
  created: Set<string>;
}

const keyOf = (unit: PythonUnit, n: Node) => `${unit.ordinal}:${n.startIndex}:${n.endIndex}`;

export function follow(index: ProgramIndex, spec: FlowSpec): FlowResult {
  const depth = spec.depth ?? 0;
  const state: State = { tracked: new Set(spec.names ?? []), deriving: new Set(), validated: null, firstUse: null, returned: null, columns: new Set(), created: new Set() };
  const start = spec.source ? orderOf(spec.source.unit, spec.source.node.startIndex) : -Infinity;

  const point = (node: Node, unit: PythonUnit, label: string): FlowPoint => ({ node, unit, order: orderOf(unit, node.startIndex), label });
  const validate = (node: Node, unit: PythonUnit, label: string) => {
    state.validated ??= point(node, unit, label);
  };

  const walkUp = (from: Node, unit: PythonUnit, stopAt?: Node): void => {
    let cur = from;
    let structural = false;
    let splat = false;
    for (let steps = 0; steps < 64 && !state.validated; steps++) {
      if (stopAt && sameNode(cur, stopAt)) return;
      const p = cur.parent;
      if (!p) return;
      switch (p.type) {
        case 'attribute': {
          if (!isField(cur, 'object')) return;
          const attr = p.childForFieldName('attribute')?.text ?? '';
          if (STRUCTURE_ATTRS.has(attr)) structural = true;
          const gp = p.parent;
          if (gp?.type === 'call' && isField(p, 'function')) {
            const site = index.callAt(gp);
            if (site) {
              if (isValidationCall(index, site, 'receiver', spec.validation)) return validate(gp, unit, site.callee ?? attr);
              const use = spec.sink?.(site, 'receiver');
              if (use) {
                if (!state.validated) state.firstUse ??= point(gp, unit, use);
                return;
              }
              if (spec.collectColumns && cur === from) collectMethodColumns(site, state, index);
            }
            cur = gp;
            continue;
          }
          if (spec.collectColumns && cur === from && !FRAME_ATTRS.has(attr) && !isAssignmentTarget(p)) state.columns.add(attr);
          cur = p;
          continue;
        }
        case 'subscript': {
          if (isField(cur, 'value')) {
            if (isAssignmentTarget(p)) {
              for (const c of subscriptColumns(index, p)) state.created.add(c);
              return; // df["new"] = … changes the frame in place
            }
            if (spec.collectColumns && cur === from) for (const c of subscriptColumns(index, p)) state.columns.add(c);
          }
          cur = p;
          continue;
        }
        case 'argument_list': {
          const call = p.parent;
          if (!call || call.type !== 'call') return;
          const site = index.callAt(call);
          if (site) {
            if (isValidationCall(index, site, splat ? 'splat' : 'argument', spec.validation)) return validate(call, unit, site.callee ?? site.method ?? 'validation');
            // frames.append(df): the container now carries the value
            if (site.method && CONTAINER_ADD.has(site.method) && site.receiver && (site.receiver.type === 'identifier' || /^self\.\w+$/.test(site.receiver.text))) {
              state.tracked.add(site.receiver.text);
              return;
            }
            if (localValidates(index, site, cur, spec, depth)) return validate(call, unit, site.callee ?? 'validation');
            const use = spec.sink?.(site, 'argument');
            if (use) {
              if (!state.validated) state.firstUse ??= point(call, unit, use);
              return;
            }
          }
          splat = false;
          cur = call;
          continue;
        }
        case 'keyword_argument':
          if (!isField(cur, 'value')) return;
          cur = p;
          continue;
        case 'dictionary_splat':
        case 'list_splat':
          splat = p.type === 'dictionary_splat';
          cur = p;
          continue;
        case 'pair':
          if (!isField(cur, 'value')) return;
          cur = p;
          continue;
        case 'for_in_clause': {
          if (!isField(cur, 'right')) return;
          const comp = p.parent;
          if (!comp) return;
          const left = p.childForFieldName('left');
          const vars = new Set(left ? identifiersIn(left).map((i) => i.text) : []);
          for (const id of comp.descendantsOfType('identifier')) {
            if (!id || !vars.has(id.text) || within(id, p)) continue;
            walkUp(id, unit, comp);
            if (state.validated) return;
          }
          cur = comp;
          continue;
        }
        case 'assignment':
        case 'augmented_assignment':
          if (isField(cur, 'right')) state.deriving.add(p);
          return;
        case 'named_expression':
          if (!isField(cur, 'value')) return;
          state.deriving.add(p);
          cur = p;
          continue;
        case 'for_statement':
          if (isField(cur, 'right')) state.deriving.add(p);
          return;
        case 'return_statement':
        case 'yield':
          state.returned ??= point(p, unit, 'return');
          return;
        case 'assert_statement':
          if (structural) validate(p, unit, 'assert');
          return;
        case 'if_statement':
        case 'elif_clause':
          if (structural && isField(cur, 'condition') && raisesIn(p)) validate(p, unit, 'check');
          return;
        default:
          if (WALK_THROUGH.has(p.type)) {
            cur = p;
            continue;
          }
          return;
      }
    }
  };

  if (spec.source) walkUp(spec.source.node, spec.source.unit);

  const scopeEvents = events(index, spec.scope);
  // events are in program order: those before the source are skipped by a search, not a scan
  for (let i = firstAtOrAfter(scopeEvents, start, (e) => e.order); i < scopeEvents.length; i++) {
    const ev = scopeEvents[i];
    if (state.validated) break;
    if (ev.kind === 'bind') {
      if (state.deriving.has(ev.binder!)) state.tracked.add(ev.name);
      else state.tracked.delete(ev.name);
    } else if (state.tracked.has(ev.name)) walkUp(ev.node, ev.unit);
  }

  const columns = [...state.columns].filter((c) => !state.created.has(c));
  return { validated: state.validated, firstUse: state.firstUse, returned: state.returned, columns };
}

interface FlowEvent {
  kind: 'ref' | 'bind';
  name: string;
  node: Node;
  unit: PythonUnit;
  order: number;
  /** For a binding: the statement that binds (a node of the scope's own tree, so compared by identity). */
  binder: Node | null;
}

const eventCache = new WeakMap<ProgramIndex, Map<string, FlowEvent[]>>();

/** References and bindings of names in a scope, in program order (a binding takes effect after its value). */
function events(index: ProgramIndex, scope: Node | null): FlowEvent[] {
  let perIndex = eventCache.get(index);
  if (!perIndex) eventCache.set(index, (perIndex = new Map()));
  const key = scope ? keyOf(index.program.unitOf(scope), scope) : 'module';
  let list = perIndex.get(key);
  if (list) return list;
  list = [];
  for (const { node, unit } of index.identifiers(scope)) {
    const ref = reference(node);
    if (!ref) continue;
    const binder = binderOf(ref.node);
    if (binder === 'skip') continue;
    if (binder) {
      if (binder.node.type === 'augmented_assignment') continue;
      list.push({ kind: 'bind', name: ref.name, node: ref.node, unit, order: orderOf(unit, binder.effective), binder: binder.node });
    } else list.push({ kind: 'ref', name: ref.name, node: ref.node, unit, order: orderOf(unit, ref.node.startIndex), binder: null });
  }
  list.sort((a, b) => a.order - b.order);
  perIndex.set(key, list);
  return list;
}

/** Parents whose identifiers declare or import names rather than refer to them (default values excepted). */
const NOT_REFERENCE_PARENTS = new Set([
  'parameters', 'lambda_parameters', 'typed_parameter', 'default_parameter', 'typed_default_parameter', 'list_splat_pattern', 'dictionary_splat_pattern',
  'dotted_name', 'aliased_import', 'import_from_statement', 'import_statement', 'global_statement', 'nonlocal_statement',
]);

/** The name an identifier refers to, or null when it is not a reference (an attribute name, a keyword). */
function reference(id: Node): { name: string; node: Node } | null {
  const p = id.parent;
  if (!p) return null;
  if (p.type === 'attribute') {
    if (isField(id, 'attribute')) return null;
    if ((id.text === 'self' || id.text === 'cls') && isField(id, 'object')) {
      return { name: `${id.text}.${p.childForFieldName('attribute')?.text ?? ''}`, node: p };
    }
  }
  if (p.type === 'keyword_argument' && isField(id, 'name')) return null;
  if ((p.type === 'function_definition' || p.type === 'class_definition') && isField(id, 'name')) return null;
  if (NOT_REFERENCE_PARENTS.has(p.type)) {
    if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
      if (!isField(id, 'name')) return { name: id.text, node: id };
    }
    return null;
  }
  if (p.type === 'type' || p.type === 'generic_type' || p.type === 'type_parameter') return null;
  return { name: id.text, node: id };
}

/** When a reference is a binding target, the statement that binds it and the offset where the binding takes effect. */
function binderOf(node: Node): { node: Node; effective: number } | 'skip' | null {
  let cur = node;
  for (let p = cur.parent; p; cur = p, p = p.parent) {
    if (p.type === 'pattern_list' || p.type === 'tuple_pattern' || p.type === 'list_pattern' || (p.type === 'parenthesized_expression' && p.parent?.type !== 'call')) continue;
    if ((p.type === 'assignment' || p.type === 'augmented_assignment') && isField(cur, 'left')) return { node: p, effective: p.endIndex };
    if (p.type === 'for_statement' && isField(cur, 'left')) return { node: p, effective: p.childForFieldName('right')?.endIndex ?? p.startIndex };
    if (p.type === 'for_in_clause' && isField(cur, 'left')) return 'skip';
    if (p.type === 'named_expression' && isField(cur, 'name')) return { node: p, effective: p.endIndex };
    if (p.type === 'as_pattern_target') return { node: p, effective: p.endIndex };
    return null;
  }
  return null;
}

/**
 * `node` is its parent's child in field `name` (the first such child, as childForFieldName finds).
 * The node's own field id answers most asks without searching the parent's children.
 */
function isField(node: Node, name: string): boolean {
  const parent = node.parent;
  return !!parent && node.fieldId === node.tree.fieldId(name) && sameNode(parent.childForFieldName(name), node);
}

function identifiersIn(node: Node): Node[] {
  if (node.type === 'identifier') return [node];
  return node.descendantsOfType('identifier').filter((n): n is Node => !!n);
}

function within(node: Node, ancestor: Node): boolean {
  return node.startIndex >= ancestor.startIndex && node.endIndex <= ancestor.endIndex && node.tree === ancestor.tree;
}

function isAssignmentTarget(node: Node): boolean {
  let cur = node;
  for (let p = cur.parent; p; cur = p, p = p.parent) {
    if (p.type === 'pattern_list' || p.type === 'tuple_pattern') continue;
    return (p.type === 'assignment' || p.type === 'augmented_assignment') && isField(cur, 'left');
  }
  return false;
}

function raisesIn(ifNode: Node): boolean {
  const body = ifNode.childForFieldName('consequence');
  return !!body && body.descendantsOfType('raise_statement').length > 0;
}

function subscriptColumns(index: ProgramIndex, subscript: Node): string[] {
  const key = subscript.childForFieldName('subscript');
  if (!key) return [];
  const one = stringValue(index, key);
  if (one && !one.partial) return [one.value];
  return stringList(index, key) ?? [];
}

function collectMethodColumns(site: CallSite, state: State, index: ProgramIndex): void {
  const m = site.method ?? '';
  if (m === 'assign') {
    for (const k of site.keywords.keys()) state.created.add(k);
    return;
  }
  if (m === 'rename') return;
  let arg: Node | undefined;
  if (COLUMN_METHODS.has(m)) arg = site.positional[0] ?? site.keywords.get('by') ?? site.keywords.get('keys');
  else if (m === 'drop' || m === 'dropna') arg = site.keywords.get('columns') ?? site.keywords.get('subset');
  if (!arg) return;
  const one = stringValue(index, arg);
  if (one && !one.partial) state.columns.add(one.value);
  else for (const c of stringList(index, arg) ?? []) state.columns.add(c);
}

const summaryCache = new WeakMap<ProgramIndex, Map<string, boolean>>();

/** A local function (or method) whose parameter at this argument position reaches a validation. */
function localValidates(index: ProgramIndex, site: CallSite, arg: Node, spec: FlowSpec, depth: number): boolean {
  if (depth >= 3 || !site.method) return false;
  const candidates = calledFunctions(index, site);
  if (!candidates.length) return false;
  let keyword: string | undefined;
  let position = -1;
  let a: Node | null = arg;
  while (a && a.parent?.type !== 'argument_list') a = a.parent;
  if (!a) return false;
  if (a.type === 'keyword_argument') keyword = a.childForFieldName('name')?.text;
  else position = site.positional.findIndex((p) => sameNode(p, a));
  let cache = summaryCache.get(index);
  if (!cache) summaryCache.set(index, (cache = new Map()));
  for (const fn of candidates) {
    if (validationDecorators(fn, spec.validation.allow).input) return true;
    const params = fn.params.filter((p) => !p.startsWith('*'));
    const offset = fn.className && (params[0] === 'self' || params[0] === 'cls') && site.receiver ? 1 : 0;
    const name = keyword ?? params[position + offset];
    if (!name || !params.includes(name)) continue;
    const key = `${keyOf(fn.unit, fn.node)}:${name}:${spec.validation.serving ? 's' : ''}`;
    let result = cache.get(key);
    if (result === undefined) {
      cache.set(key, false); // recursion guard
      result = !!follow(index, { names: [name], scope: fn.node, validation: spec.validation, depth: depth + 1 }).validated;
      cache.set(key, result);
    }
    if (result) return true;
  }
  return false;
}

export function calledFunctions(index: ProgramIndex, site: CallSite): FunctionInfo[] {
  if (!site.method) return [];
  const fnNode = site.node.childForFieldName('function');
  if (fnNode?.type === 'identifier') {
    if (index.program.imports.binding(fnNode.text)) return [];
    return index.functions(fnNode.text).filter((f) => !f.className);
  }
  if (site.receiver && (site.receiver.text === 'self' || site.receiver.text === 'cls')) {
    const cls = enclosingClassName(site.node);
    return index.functions(site.method).filter((f) => f.className && f.className === cls);
  }
  return [];
}

function enclosingClassName(node: Node): string | null {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'class_definition') return n.childForFieldName('name')?.text ?? null;
  return null;
}

/** Every call of a local function in the program (`load()`, `self.load()`), for following returned values to callers. */
export function callersOf(index: ProgramIndex, fn: FunctionInfo): CallSite[] {
  return index.callsOf(fn.name).filter((c) => calledFunctions(index, c).some((f) => sameNode(f.node, fn.node)));
}


import { within, type Node, type SyntaxTree as Tree } from '../documents/python/syntax-tree';
import { firstAtOrAfter } from '../core/sorted';
import { type CallSite, type PythonProgram, ProgramCache } from '../documents/python/program';
import type { PythonUnit } from '../documents/python/unit';
import { dottedName } from '../documents/python/syntax';

/**
 * Program-level bookkeeping the monitoring rules share: program order across notebook cells,
 * scopes (the innermost function of a node), simple name bindings (`x = …`, `with … as x`,
 * `self.x = …`) and call sites per scope. Built once per program from the unit indexes.
 */

export interface Binding {
  /** `name`, or `self.attr` for an attribute of self. */
  name: string;
  /** The value bound: the right side of an assignment, or the context expression of `with … as`. */
  value: Node | null;
  /** The statement (assignment or with item) that binds it. */
  node: Node;
  /** Its innermost function and program position, found when a lookup of its name first needs them (most names are never looked up). */
  scope?: Node | null;
  pos?: number;
}

const analyses = new ProgramCache<Scopes>();

export function scopesOf(program: PythonProgram): Scopes {
  return analyses.of(program, () => new Scopes(program));
}

export class Scopes {
  private readonly units = new Map<Tree, PythonUnit>();
  /** Bindings by name, found when the name is first looked up (a program looks up a few dozen names of thousands). */
  private readonly bindings = new Map<string, Binding[]>();
  private withBindings?: Map<string, Binding[]>;
  private functionsByName?: Map<string, Node[]>;
  private callScopes?: Map<number, CallSite[]>;
  private readonly identifiersByName = new Map<string, Node[]>();

  constructor(readonly program: PythonProgram) {
    for (const u of program.units) this.units.set(u.tree, u);
  }

  /**
   * The bindings of `name` (or `self.attr`) in program order: assignments (`x = …`, `a, x = …`,
   * `self.x = …`), then `with … as x` items. Assignments are found from the identifiers spelled
   * like the name, not by reading every assignment of the program.
   */
  private bindingsOf(name: string): Binding[] {
    let list = this.bindings.get(name);
    if (!list) {
      list = this.assignmentsOf(name);
      const withs = this.withItemBindings().get(name);
      if (withs) list.push(...withs);
      this.bindings.set(name, list);
    }
    return list;
  }

  private assignmentsOf(name: string): Binding[] {
    const out: Binding[] = [];
    const attr = name.startsWith('self.') ? name.slice(5) : null;
    for (const unit of this.program.units) {
      for (const id of identifiersSpelled(unit.root, attr ?? name, false, mayBeAssigned)) {
        // the assignment target the identifier is (or is an element or `self.` attribute of)
        let target: Node | null = null;
        const p = id.parent;
        if (!p) continue;
        if (attr !== null) {
          if (p.type === 'attribute' && p.childForFieldName('attribute') === id && p.childForFieldName('object')?.text === 'self') target = p;
        } else if (p.type === 'assignment') target = id;
        else if (p.type === 'pattern_list' || p.type === 'tuple_pattern' || p.type === 'list_pattern') target = p;
        const assignment = target?.parent;
        if (!target || assignment?.type !== 'assignment' || assignment.childForFieldName('left') !== target) continue;
        out.push({ name, value: name === target.text ? assignment.childForFieldName('right') : null, node: assignment });
      }
    }
    return out;
  }

  /** `with … as x` bindings by name (few: built at once). */
  private withItemBindings(): Map<string, Binding[]> {
    if (!this.withBindings) {
      this.withBindings = new Map();
      for (const { node } of this.program.nodes('with')) {
        for (const item of withItems(node)) {
          const alias = item.alias;
          if (alias?.type === 'identifier') push(this.withBindings, alias.text, { name: alias.text, value: item.value, node: item.item });
        }
      }
    }
    return this.withBindings;
  }

  private bindingScope(b: Binding): Node | null {
    if (b.scope === undefined) b.scope = scopeOf(b.node);
    return b.scope;
  }

  private bindingPos(b: Binding): number {
    if (b.pos === undefined) b.pos = this.pos(b.node);
    return b.pos;
  }

  private topAssignments?: Node[];
  private topFunctions?: Node[];

  /**
   * Assignments at module level (`x = …` as a statement of the module), in program order: read down
   * from the modules' statements, not up from every assignment (a parent is a node to make).
   */
  moduleAssignments(): Node[] {
    if (!this.topAssignments) {
      this.topAssignments = [];
      for (const unit of this.program.units) {
        if (unit.root.type !== 'module') continue;
        for (const stmt of unit.root.children) for (const a of stmt.children) if (a.type === 'assignment' && a.isNamed) this.topAssignments.push(a);
      }
    }
    return this.topAssignments;
  }

  /** Functions defined at module level (decorated or not), in program order. */
  moduleFunctions(): Node[] {
    if (!this.topFunctions) {
      this.topFunctions = [];
      for (const unit of this.program.units) {
        if (unit.root.type !== 'module') continue;
        for (const stmt of unit.root.children) {
          if (stmt.type === 'function_definition') this.topFunctions.push(stmt);
          else if (stmt.type === 'decorated_definition') for (const d of stmt.children) if (d.type === 'function_definition') this.topFunctions.push(d);
        }
      }
    }
    return this.topFunctions;
  }

  unitOf(node: Node): PythonUnit {
    return this.units.get(node.tree) ?? this.program.units[0];
  }

  /** A number that orders nodes in program order (cell by cell, then by offset). */
  pos(node: Node): number {
    return (this.unitOf(node).ordinal ?? 0) * 1e9 + node.startIndex;
  }

  /** `pos` of each call (the calls of a unit come together: its ordinal is looked up once per run). */
  positions(calls: readonly CallSite[]): number[] {
    const out = new Array<number>(calls.length);
    let tree: Tree | null = null;
    let base = 0;
    for (let i = 0; i < calls.length; i++) {
      const node = calls[i].node;
      if (node.tree !== tree) {
        tree = node.tree;
        base = (this.unitOf(node).ordinal ?? 0) * 1e9;
      }
      out[i] = base + node.startIndex;
    }
    return out;
  }

  before(a: Node, b: Node): boolean {
    return this.pos(a) < this.pos(b);
  }

  functionsNamed(name: string): Node[] {
    if (!this.functionsByName) {
      this.functionsByName = new Map();
      for (const { node } of this.program.nodes('function')) {
        const n = node.childForFieldName('name')?.text;
        if (n) push(this.functionsByName, n, node);
      }
    }
    return this.functionsByName.get(name) ?? [];
  }

  /** Calls whose innermost enclosing function is `scope` (null: module level). */
  callsOfScope(scope: Node | null): CallSite[] {
    if (!this.callScopes) {
      this.callScopes = new Map();
      const calls = this.program.calls();
      const scopes = this.callFunctions();
      for (let i = 0; i < calls.length; i++) push(this.callScopes, scopes[i]?.id ?? -1, calls[i]);
    }
    return this.callScopes.get(scope?.id ?? -1) ?? [];
  }

  private within = new Map<number, CallSite[]>();
  private chains = new Map<number, Node[]>();
  private byFunction?: Map<number, CallSite[]>;

  private callsByTree?: Map<Tree, CallSite[]>;

  /** The calls of each tree in pre-order (as the unit index lists them; sorted if not). */
  private treeCalls(): Map<Tree, CallSite[]> {
    if (!this.callsByTree) {
      this.callsByTree = new Map();
      for (const c of this.program.calls()) push(this.callsByTree, c.node.tree, c);
      for (const list of this.callsByTree.values()) {
        if (list.some((c, i) => i > 0 && c.node.order <= list[i - 1].node.order)) list.sort((a, b) => a.node.order - b.node.order);
      }
    }
    return this.callsByTree;
  }

  /** The call site of a call node: a binary search on pre-order numbers among its tree's calls. */
  callOf(node: Node): CallSite | undefined {
    const list = this.treeCalls().get(node.tree);
    if (!list) return undefined;
    const lo = firstAtOrAfter(list, node.order, (c) => c.node.order);
    // the first call site of the node (as a map from node to call site keeps the last of duplicates)
    let found: CallSite | undefined;
    for (let i = lo; i < list.length && list[i].node.order === node.order; i++) if (list[i].node === node) found = list[i];
    return found;
  }

  contains(container: Node, node: Node): boolean {
    return contains(container, node);
  }

  /**
   * The functions enclosing a node, innermost first (do not mutate: nodes of the same function
   * share one array, built once per function).
   */
  functionsOf(node: Node): Node[] {
    const fn = scopeOf(node);
    return fn ? this.chainOf(fn) : NO_FUNCTIONS;
  }

  /** A function and the functions enclosing it, innermost first (shared, do not mutate). */
  chainOf(fn: Node): Node[] {
    let chain = this.chains.get(fn.id);
    if (!chain) this.chains.set(fn.id, (chain = [fn, ...this.functionsOf(fn)]));
    return chain;
  }

  private innermost?: (Node | null)[];

  /**
   * The innermost function of each call of `program.calls()` (same index), found in one sweep of
   * each tree's calls and functions in pre-order, with the functions open at that point on a stack
   * (walking up from every call was the rules' largest cost).
   */
  callFunctions(): (Node | null)[] {
    if (this.innermost) return this.innermost;
    const calls = this.program.calls();
    const out: (Node | null)[] = new Array(calls.length);
    const open: Node[] = [];
    let tree: Tree | null = null;
    let functions: Node[] = [];
    let next = 0;
    let last = -1;
    for (let i = 0; i < calls.length; i++) {
      const node = calls[i].node;
      if (node.tree !== tree || node.order < last) {
        // another tree (or calls out of order): start over
        tree = node.tree;
        functions = tree.ofType('function_definition');
        next = 0;
        open.length = 0;
      }
      last = node.order;
      for (; next < functions.length && functions[next].order < node.order; next++) {
        const fn = functions[next];
        while (open.length && open[open.length - 1].last < fn.order) open.pop();
        open.push(fn);
      }
      while (open.length && open[open.length - 1].last < node.order) open.pop();
      out[i] = open.length ? open[open.length - 1] : null;
    }
    return (this.innermost = out);
  }

  /** The innermost function of a node, null at module level. */
  scopeOf(node: Node): Node | null {
    return this.functionsOf(node)[0] ?? null;
  }

  /** Every call inside a node (any depth), in program order. */
  callsWithin(container: Node): CallSite[] {
    if (container.type === 'function_definition') {
      if (!this.byFunction) {
        this.byFunction = new Map();
        const calls = this.program.calls();
        const scopes = this.callFunctions();
        for (let i = 0; i < calls.length; i++) {
          const fn = scopes[i];
          if (fn) for (const f of this.chainOf(fn)) push(this.byFunction, f.id, calls[i]);
        }
      }
      return this.byFunction.get(container.id) ?? [];
    }
    let list = this.within.get(container.id);
    if (!list) this.within.set(container.id, (list = this.callsInRange(container)));
    return list;
  }

  /** The calls inside a node (itself included), in program order: a binary search on pre-order numbers among its tree's calls. */
  private callsInRange(container: Node): CallSite[] {
    const calls = this.treeCalls().get(container.tree);
    if (!calls) return [];
    const lo = firstAtOrAfter(calls, container.order, (c) => c.node.order);
    let end = lo;
    while (end < calls.length && calls[end].node.order <= container.last) end++;
    return calls.slice(lo, end);
  }

  /**
   * The value most recently bound to `name` as seen from `at`: in the same function before `at`,
   * else in an enclosing function, else at module level (before `at` when `at` is at module level).
   */
  valueOf(name: string, at: Node): Node | null {
    const list = this.bindingsOf(name);
    if (!list.length) return null;
    const atPos = this.pos(at);
    const chain = this.functionsOf(at);
    for (let i = 0; i <= chain.length; i++) {
      const scope = i < chain.length ? chain[i] : null;
      // at module level, a binding anywhere counts when `at` is in a function (it runs later)
      const anywhere = scope === null && chain.length > 0;
      // the latest binding in this scope before `at` (the first of equals)
      let best: Binding | null = null;
      let bestPos = 0;
      for (const b of list) {
        if (!sameScope(this.bindingScope(b), scope)) continue;
        const pos = this.bindingPos(b);
        if ((pos < atPos || anywhere) && (best === null || pos > bestPos)) {
          best = b;
          bestPos = pos;
        }
      }
      if (best) return best.value;
    }
    return null;
  }

  /** Bindings of `self.attr` anywhere in a class. */
  selfAttribute(attr: string, cls: Node | null): Node | null {
    const list = this.bindingsOf(`self.${attr}`);
    const inClass = list.filter((b) => !cls || contains(cls, b.node));
    return inClass.length ? inClass[inClass.length - 1].value : null;
  }

  /** True when the name is bound anywhere in the program (assignment, import, def, parameter …). */
  nameUsed(name: string): boolean {
    let used = this.usedNames.get(name);
    if (used === undefined) this.usedNames.set(name, (used = this.program.units.some((u) => spelledInUnit(u, name))));
    return used;
  }

  /** Names asked of `nameUsed` (a few per program: the fixes' fresh names). */
  private usedNames = new Map<string, boolean>();

  /** The identifiers spelled `name`, in program order (found from the name's places in the text, once per name). */
  identifiersNamed(name: string): Node[] {
    let list = this.identifiersByName.get(name);
    if (!list) {
      list = [];
      for (const u of this.program.units) list.push(...identifiersSpelled(u.root, name));
      this.identifiersByName.set(name, list);
    }
    return list;
  }

  /** The identifiers spelled `name` inside a node, in order (the identifiers found from the name's places in the text). */
  identifiersWithin(container: Node, name: string): Node[] {
    return identifiersSpelled(container.tree.rootNode, name, false, undefined, container);
  }

  /** A name that is not used anywhere in the program: `base`, then the alternatives, then `base_2` … */
  freshName(base: string, ...alternatives: string[]): string {
    // every fix of the program asks again for the same names
    const key = [base, ...alternatives].join(' ');
    let name = this.freshNames.get(key);
    if (name === undefined) this.freshNames.set(key, (name = this.computeFreshName(base, alternatives)));
    return name;
  }

  private freshNames = new Map<string, string>();

  private computeFreshName(base: string, alternatives: string[]): string {
    for (const n of [base, ...alternatives]) if (!this.nameUsed(n)) return n;
    for (let i = 2; ; i++) if (!this.nameUsed(`${base}_${i}`)) return `${base}_${i}`;
  }
}

/**
 * `node.descendantForIndex(start, end)`, with the child that holds the span found by a binary search
 * among the node's children (in offset order, they never overlap) rather than one by one: a module
 * has hundreds of statements.
 */
function innermostSpanning(node: Node, start: number, end: number): Node {
  const kids = node.children;
  // the children that start at or before `start` come before this index
  const lo = firstAtOrAfter(kids, start + 1, (k) => k.startIndex);
  const kid = lo > 0 ? kids[lo - 1] : null;
  if (kid && kid.endIndex >= end && kid.endIndex > kid.startIndex) return kid.descendantForIndex(start, end);
  return node.descendantForIndex(start, end);
}

/** Some identifier of the unit is spelled `name`. */
function spelledInUnit(unit: PythonUnit, name: string): boolean {
  return identifiersSpelled(unit.root, name, true).length > 0;
}

/**
 * The identifiers of a tree (`root`; or `within` a node of it) spelled `name`, in order: each place the text holds `name` is looked up
 * among the identifiers (in offset order) by binary search, instead of comparing every identifier.
 * `first`: stop at the first.
 */
function identifiersSpelled(root: Node, name: string, first = false, near?: (source: string, end: number) => boolean, within?: Node): Node[] {
  if (!name) return (within ?? root).descendantsOfType('identifier').filter((id) => spells(id, name));
  const source = root.tree.source;
  const scope = within ?? root;
  let out: Node[] = NO_NODES;
  // inside a node, search its text only (a slice shares the source's characters)
  const from = within ? within.startIndex : 0;
  const text = within ? source.slice(from, within.endIndex) : source;
  for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
    const at = from + i;
    const end = at + name.length;
    if (near && !near(source, end)) continue;
    // the nodes spanning exactly this text are the innermost one and the ancestors of the same span
    // (no list of every identifier of the tree is made)
    let found: Node[] | undefined;
    for (let n: Node | null = innermostSpanning(scope, at, end); n && n.startIndex === at && n.endIndex === end; n = n.parent) {
      if (n.type !== 'identifier' || n.order < scope.order || n.order > scope.last) continue;
      (found ??= []).push(n);
    }
    if (!found) continue;
    if (out === NO_NODES) out = [];
    for (let k = found.length - 1; k >= 0; k--) out.push(found[k]); // outermost first, as in pre-order
    if (first) return out.slice(0, 1);
  }
  return out;
}

/**
 * Whether an identifier ending at `end` may be an assignment target (`x = …`, `a, x = …`,
 * `self.x: T = …`): not when the text goes on with a name character (the identifier would be
 * longer) or, past spaces, with `.`, `(` or `[` (it would be the object of an attribute, a call or
 * a subscript). Rules out most places a name is read without a binary search.
 */
function mayBeAssigned(source: string, end: number): boolean {
  let i = end;
  let c = source.charCodeAt(i);
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) return false;
  while (c === 32 || c === 9) c = source.charCodeAt(++i);
  return c !== 46 /* . */ && c !== 40 /* ( */ && c !== 91 /* [ */;
}

/** `node.text === name`, without slicing the source (the text of most identifiers is never read). */
export function spells(node: Node, name: string): boolean {
  return node.endIndex - node.startIndex === name.length && node.tree.source.startsWith(name, node.startIndex);
}

const NO_FUNCTIONS: Node[] = [];
const NO_NODES: Node[] = [];

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function sameScope(a: Node | null, b: Node | null): boolean {
  return a === b || (!!a && !!b && a.id === b.id);
}

export interface WithItem {
  item: Node;
  /** The context expression. */
  value: Node | null;
  alias: Node | null;
}

export function withItems(withNode: Node): WithItem[] {
  const clause = withNode.namedChildren.find((c) => c?.type === 'with_clause');
  if (!clause) return [];
  const out: WithItem[] = [];
  for (const item of clause.namedChildren) {
    if (item?.type !== 'with_item') continue;
    const v = item.childForFieldName('value') ?? item.namedChild(0);
    if (v?.type === 'as_pattern') {
      const target = v.childForFieldName('alias') ?? v.namedChild(1);
      const alias = target?.type === 'as_pattern_target' ? target.namedChild(0) : target;
      out.push({ item, value: v.namedChild(0), alias });
    } else out.push({ item, value: v, alias: null });
  }
  return out;
}

/** The nodes of a list in pre-order (a unit's index) that lie inside `container`: a binary search, then a run. */
export function nodesWithin(list: readonly Node[], container: Node): Node[] {
  return within(list, container).filter((n) => n.tree === container.tree && n !== container);
}

export function contains(container: Node, node: Node): boolean {
  return container.tree === node.tree && container.startIndex <= node.startIndex && node.endIndex <= container.endIndex;
}

export function scopeOf(node: Node): Node | null {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'function_definition') return n;
  return null;
}

export function classOf(node: Node): Node | null {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'class_definition') return n;
  return null;
}

/** The functions enclosing a node, innermost first. */
export function enclosingFunctions(node: Node): Node[] {
  const out: Node[] = [];
  for (let n = node.parent; n; n = n.parent) if (n.type === 'function_definition') out.push(n);
  return out;
}

/** The decorators of a function or class definition (the `@…` expressions). */
export function decoratorsOf(def: Node): Node[] {
  const parent = def.parent;
  if (parent?.type !== 'decorated_definition') return [];
  return parent.namedChildren.filter((c): c is Node => c?.type === 'decorator').map((d) => d.namedChild(0)!).filter(Boolean);
}

/** The name of a function or class definition. */
export function nameOf(def: Node): string | null {
  return def.childForFieldName('name')?.text ?? null;
}

/** The callee of a decorator expression: `app.post` for `@app.post("/x")`, `dag` for `@dag`. */
export function decoratorCallee(expr: Node): Node | null {
  return expr.type === 'call' ? expr.childForFieldName('function') : expr;
}

/** Keyword arguments of a call node. */
export function keywordArgs(call: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  const args = call.childForFieldName('arguments');
  if (args?.type !== 'argument_list') return out;
  for (const a of args.namedChildren) {
    if (a?.type !== 'keyword_argument') continue;
    const name = a.childForFieldName('name')?.text;
    const value = a.childForFieldName('value');
    if (name && value) out.set(name, value);
  }
  return out;
}

/** `keywordArgs(call).has(name)`, without building the map. */
export function hasKeywordArg(call: Node, name: string): boolean {
  const args = call.childForFieldName('arguments');
  if (args?.type !== 'argument_list') return false;
  for (const a of args.namedChildren) {
    if (a?.type !== 'keyword_argument') continue;
    const n = a.childForFieldName('name');
    if (n && spells(n, name) && a.childForFieldName('value')) return true;
  }
  return false;
}

export function positionalArgs(call: Node): Node[] {
  const args = call.childForFieldName('arguments');
  if (args?.type !== 'argument_list') return [];
  return args.namedChildren.filter((a): a is Node => !!a && a.type !== 'keyword_argument' && a.type !== 'comment' && a.type !== 'list_splat' && a.type !== 'dictionary_splat');
}

/** The statements of a block, without comments. */
export function statements(block: Node | null): Node[] {
  return (block?.namedChildren ?? []).filter((c): c is Node => !!c && c.type !== 'comment');
}

/** The name a call's callee ends with (`fit` for `model.fit`), and the callee's dotted text. */
export function calleeParts(call: Node): { dotted: string | null; method: string | null; receiver: Node | null } {
  const fn = call.childForFieldName('function');
  if (fn?.type === 'identifier') return { dotted: fn.text, method: fn.text, receiver: null };
  if (fn?.type === 'attribute') return { dotted: dottedName(fn), method: fn.childForFieldName('attribute')?.text ?? null, receiver: fn.childForFieldName('object') };
  return { dotted: null, method: null, receiver: null };
}

/** The string value of a plain string literal node, or null. */
export function literalString(node: Node | null | undefined): string | null {
  if (!node || node.type !== 'string') return null;
  if (node.namedChildren.some((c) => c?.type === 'interpolation')) return null;
  const content = node.namedChildren.filter((c) => c?.type === 'string_content').map((c) => c!.text).join('');
  return content.includes('\\') ? null : content;
}

/** The module path of a Python file: `src/churn/train.py` → `src.churn.train`; null for notebooks. */
export function modulePath(path: string): string | null {
  if (!/\.pyw?$/.test(path)) return null;
  const parts = path.replace(/\.pyw?$/, '').split('/');
  if (parts[parts.length - 1] === '__init__') parts.pop();
  if (parts.some((p) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) return null;
  return parts.join('.') || null;
}

/** Resolves `.sibling.name` (a relative import's qualified name) against the importing file. */
export function absoluteName(qualified: string, path: string): string {
  if (qualified.charCodeAt(0) !== 46 /* . */) return qualified; // most names: not relative
  const m = /^(\.+)(.*)$/.exec(qualified);
  if (!m) return qualified;
  const parts = path.split('/');
  parts.pop(); // the file itself: its package is the folder
  const up = m[1].length - 1;
  const base = parts.slice(0, Math.max(0, parts.length - up));
  return [...base, m[2]].filter(Boolean).join('.');
}

/** True when two qualified names may name the same function, allowing for source roots (`src.`). */
export function sameQualified(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return short.includes('.') && long.endsWith(`.${short}`);
}

import type { Node } from '../documents/python/syntax-tree';
import type { PythonProgram } from '../documents/python/program';
import type { PythonUnit } from '../documents/python/unit';

/**
 * Which global names a notebook cell binds and which it reads when it runs, for the rules that
 * reason about running cells top to bottom (hidden state, moving imports). Only what executes
 * when the cell runs counts as a read: function and lambda bodies run later, comprehension
 * variables are their own, and a read guarded by `except NameError` or `'x' in globals()` is
 * deliberate. Bindings come from the unit index (assignments, loops, `with`, definitions,
 * imports); reads are looked up only for the names a caller asks about.
 */

/** Containers a binding target may be nested in: `a, (b, *c) = …`. */
const PATTERN = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'parenthesized_expression', 'list_splat_pattern', 'list_splat', 'expression_list']);
const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

/** True when the node runs later than the statement it is in (a function or lambda body). */
export function isDeferred(node: Node): boolean {
  for (let child = node, p = node.parent; p; child = p, p = p.parent) {
    if (p.type === 'function_definition' && p.childForFieldName('body')?.id === child.id) return true;
    if (p.type === 'lambda' && p.childForFieldName('body')?.id === child.id) return true;
  }
  return false;
}

/** True when a binding at this node is a module-level (global) name: not in a function body nor a class body. */
function bindsGlobal(node: Node): boolean {
  for (let child = node, p = node.parent; p; child = p, p = p.parent) {
    if ((p.type === 'function_definition' || p.type === 'class_definition') && p.childForFieldName('body')?.id === child.id) return false;
    if (p.type === 'lambda') return false;
  }
  return true;
}

/** Identifiers bound by a target: `x`, `a, b`, `(a, *rest)`; attributes and subscripts bind nothing. */
export function targetNames(node: Node | null | undefined, out: string[] = []): string[] {
  if (!node) return out;
  if (node.type === 'identifier') out.push(node.text);
  else if (PATTERN.has(node.type) || node.type === 'as_pattern_target') for (const c of node.namedChildren) targetNames(c, out);
  return out;
}

/** Keys of the per-tree answers below (see `SyntaxTree.memo`). */
const GLOBAL_BINDINGS = { name: 'globalBindings' };
const UNKNOWN_BINDINGS = { name: 'bindsUnknownNames' };

/**
 * Global names a unit binds: assignments, loop and `with` targets, walruses, definitions and imports.
 * The answer depends on the unit's tree alone (its text, magics and own imports), so it is kept
 * with the tree: an editor's unchanged cells answer from the previous lint. Do not mutate it.
 */
export function globalBindings(program: PythonProgram, unit: PythonUnit): ReadonlySet<string> {
  return unit.tree.memo(GLOBAL_BINDINGS, () => computeGlobalBindings(program, unit));
}

function computeGlobalBindings(program: PythonProgram, unit: PythonUnit): Set<string> {
  const names = new Set<string>();
  const add = (list: string[]) => {
    for (const n of list) names.add(n);
  };
  // `x += 1` needs x to exist already: it does not define it
  for (const a of unit.nodes('assignment')) if (a.type === 'assignment' && bindsGlobal(a)) add(targetNames(a.childForFieldName('left')));
  for (const l of unit.nodes('loop')) if (l.type === 'for_statement' && bindsGlobal(l)) add(targetNames(l.childForFieldName('left')));
  for (const w of unit.nodes('with')) {
    if (!bindsGlobal(w)) continue;
    for (const t of w.descendantsOfType('as_pattern_target')) if (t) add(targetNames(t));
  }
  for (const kind of ['function', 'class'] as const) {
    for (const d of unit.nodes(kind)) {
      const name = d.childForFieldName('name')?.text;
      if (name && bindsGlobal(d)) names.add(name);
    }
  }
  for (const b of program.imports.bindings) if (b.unitIndex === unit.ordinal && b.local !== '*' && bindsGlobal(b.node)) names.add(b.local);
  // `%%capture out`, `files = !ls` (masked to an assignment), `%store -r name`
  for (const m of unit.magics) {
    if (m.kind === 'cell' && m.command === 'capture') for (const w of m.args.split(/\s+/)) if (/^[A-Za-z_]\w*$/.test(w)) names.add(w);
    if (m.kind === 'line' && m.command === 'store' && /^-r\b/.test(m.args)) for (const w of m.args.split(/\s+/).slice(1)) if (/^[A-Za-z_]\w*$/.test(w)) names.add(w);
  }
  // walrus targets at module level (also inside comprehensions: they bind in the enclosing scope)
  if (unit.text.includes(':=')) {
    for (const n of unit.root.descendantsOfType('named_expression')) {
      const name = n?.childForFieldName('name')?.text;
      if (n && name && bindsGlobal(n)) names.add(name);
    }
  }
  return names;
}

/**
 * True when the unit can bind names nobody can see: a wildcard import, `%run`, `%store -r` of
 * everything, `%load`, `exec`/`globals().update`. Cells after it may use any name. Kept with the
 * tree, as `globalBindings`.
 */
export function bindsUnknownNames(program: PythonProgram, unit: PythonUnit): boolean {
  return unit.tree.memo(UNKNOWN_BINDINGS, () => computeBindsUnknownNames(program, unit));
}

function computeBindsUnknownNames(program: PythonProgram, unit: PythonUnit): boolean {
  if (program.imports.bindings.some((b) => b.unitIndex === unit.ordinal && b.local === '*')) return true;
  for (const m of unit.magics) {
    if (m.kind === 'line' && (m.command === 'run' || m.command === 'load' || m.command === 'loadpy' || m.command === 'macro' || (m.command === 'store' && /^-r\s*$/.test(m.args)))) return true;
  }
  // every match holds one of these words: most cells hold none, and need no regular expression
  const text = unit.text;
  if (!text.includes('exec') && !text.includes('globals') && !text.includes('vars') && !text.includes('builtins')) return false;
  return /\b(exec|execfile)\s*\(|globals\(\)\s*(\.update\s*\(|\[)|vars\(\)\s*(\.update\s*\(|\[)|__builtins__|builtins\.\w+\s*=/.test(text);
}

export interface NameUse {
  name: string;
  node: Node;
}

/** Reads of the given names that execute when the unit runs, in source order. */
export function immediateReads(unit: PythonUnit, names: Set<string>): NameUse[] {
  if (!names.size) return [];
  const out: NameUse[] = [];
  for (const node of unit.tree.ofType('identifier')) {
    const name = node.text;
    if (!names.has(name)) continue;
    if (isRead(node) && !isDeferred(node) && !isComprehensionLocal(node) && !isGuarded(node)) out.push({ name, node });
  }
  return out;
}

/** True when the identifier is read (rather than bound, deleted, or a name that is not a variable). */
function isRead(id: Node): boolean {
  const parent = id.parent;
  if (!parent) return false;
  switch (parent.type) {
    case 'attribute':
      return parent.childForFieldName('object')?.id === id.id;
    case 'keyword_argument':
    case 'default_parameter':
    case 'typed_default_parameter':
      return parent.childForFieldName('name')?.id !== id.id;
    case 'function_definition':
    case 'class_definition':
      return parent.childForFieldName('name')?.id !== id.id;
    case 'parameters':
    case 'lambda_parameters':
    case 'typed_parameter':
    case 'list_splat_pattern':
    case 'dictionary_splat_pattern':
      if (parent.type !== 'list_splat_pattern' || isParameter(parent)) return false;
      break;
    case 'dotted_name':
    case 'aliased_import':
    case 'import_statement':
    case 'import_from_statement':
    case 'global_statement':
    case 'nonlocal_statement':
    case 'delete_statement':
    case 'as_pattern_target':
    case 'keyword_pattern':
      return false;
    case 'named_expression':
      return parent.childForFieldName('name')?.id !== id.id;
    case 'augmented_assignment':
      return true; // `x += 1` reads x
    default:
      break;
  }
  // a binding target, possibly nested in a pattern: `a, (b, c) = …`, `for i, x in …`
  let top: Node = id;
  while (top.parent && PATTERN.has(top.parent.type)) top = top.parent;
  const p = top.parent;
  if (!p) return true;
  if ((p.type === 'assignment' || p.type === 'for_statement' || p.type === 'for_in_clause') && p.childForFieldName('left')?.id === top.id) return false;
  if (p.type === 'as_pattern_target') return false;
  for (let n: Node | null = p; n; n = n.parent) if (n.type === 'case_pattern') return false;
  return true;
}

function isParameter(node: Node): boolean {
  const p = node.parent;
  return !!p && (p.type === 'parameters' || p.type === 'lambda_parameters');
}

/** A comprehension's own loop variable: `[x for x in xs]`. */
function isComprehensionLocal(id: Node): boolean {
  for (let p = id.parent; p; p = p.parent) {
    if (!COMPREHENSIONS.has(p.type)) continue;
    for (const clause of p.namedChildren) {
      if (clause?.type === 'for_in_clause' && targetNames(clause.childForFieldName('left')).includes(id.text)) return true;
    }
  }
  return false;
}

/** Reads that expect the name may be missing: in a `try` that catches NameError, or under `if "x" in globals()`. */
function isGuarded(id: Node): boolean {
  for (let child = id, p = id.parent; p; child = p, p = p.parent) {
    if (p.type === 'try_statement' && p.childForFieldName('body')?.id === child.id) {
      if (p.namedChildren.some((c) => c?.type === 'except_clause' && (/\b(NameError|Exception|BaseException)\b/.test(c.text.split(':')[0]) || /^except\s*:/.test(c.text)))) return true;
    }
    if (p.type === 'if_statement' || p.type === 'conditional_expression' || p.type === 'boolean_operator') {
      const cond = p.type === 'if_statement' ? p.childForFieldName('condition') : p;
      if (cond && /\b(globals|locals|vars|dir)\(\)|hasattr\(/.test(cond.text) && cond.text.includes(id.text)) return true;
    }
  }
  return false;
}

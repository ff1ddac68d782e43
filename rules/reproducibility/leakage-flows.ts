import type { Node } from '../documents/python/syntax-tree';
import type { CallSite, PythonProgram } from '../documents/python/program';
import type { PythonUnit } from '../documents/python/unit';

/**
 * The flows of a program that data-leakage follows: the module (a notebook's cells in order) and
 * each function or lambda body, with their calls and assignments in the order they complete.
 *
 * Only flows that call one of a few methods are wanted, so they are found from those calls, and
 * each flow's events are read off the program's pre-ordered call and assignment lists by binary
 * search on pre-order numbers: no walk up the parents for every call of the program.
 */

export type FlowEvent = { type: 'call'; call: CallSite; key: number } | { type: 'assign'; node: Node; unit: PythonUnit; key: number };

interface Located {
  node: Node;
  unit: PythonUnit;
}

/** A flow: a function or lambda, or (null) the module. */
type FlowRoot = Node | null;

/**
 * The flows that call one of `methods` on a receiver (`x.fit(…)`), in the order of their first
 * call in the program, each with its events sorted by completion. A flow without such a call is
 * left out: every finding of the rule needs one.
 */
export function flowsCalling(program: PythonProgram, methods: ReadonlySet<string>): FlowEvent[][] {
  const calls = program.calls();
  const roots: FlowRoot[] = [];
  for (const call of calls) {
    if (!call.receiver || !call.method || !methods.has(call.method)) continue;
    const root = enclosingFunction(call.node);
    if (!roots.includes(root)) roots.push(root);
  }
  if (!roots.length) return [];
  const assignments = program.nodes('assignment');
  const flows = roots.map((root) => {
    const ownCalls = root ? ownWithin(calls, root, program.unitOf(root)) : ownAtModuleLevel(calls);
    const ownAssignments = root ? ownWithin(assignments, root, program.unitOf(root)) : ownAtModuleLevel(assignments);
    const events: FlowEvent[] = [];
    for (const call of ownCalls) events.push({ type: 'call', call, key: call.unit.ordinal * 1e10 + call.node.endIndex * 2 });
    for (const { node, unit } of ownAssignments) events.push({ type: 'assign', node, unit, key: unit.ordinal * 1e10 + node.endIndex * 2 + 1 });
    events.sort((a, b) => a.key - b.key);
    // the flow's first call in program order (calls are listed by unit, then pre-order)
    return { first: ownCalls[0], events };
  });
  if (flows.length > 1) flows.sort((a, b) => a.first.unit.ordinal - b.first.unit.ordinal || a.first.node.order - b.first.node.order);
  return flows.map((f) => f.events);
}

function isFunction(n: Node): boolean {
  return n.type === 'function_definition' || n.type === 'lambda';
}

/** The innermost function or lambda around a node; null at module level. */
function enclosingFunction(node: Node): FlowRoot {
  for (let p = node.parent; p; p = p.parent) if (isFunction(p)) return p;
  return null;
}

/** Functions and lambdas of a unit or inside a node (the node itself included), in pre-order. */
function functionsWithin(node: Node): Node[] {
  const defs = node.descendantsOfType('function_definition');
  const lambdas = node.descendantsOfType('lambda');
  if (!lambdas.length) return defs;
  const named = lambdas.filter((n) => n.isNamed);
  return named.length ? [...defs, ...named].sort((a, b) => a.order - b.order) : defs;
}

/**
 * Appends to `out` the items of `list[from, to)` (pre-order) that none of `functions` (pre-order)
 * encloses: a sweep that keeps the furthest end of the functions started so far.
 */
function collectOutside<T extends Located>(list: readonly T[], from: number, to: number, functions: Node[], out: T[]): void {
  let f = 0;
  let coveredUntil = -1;
  for (let i = from; i < to; i++) {
    const order = list[i].node.order;
    while (f < functions.length && functions[f].order < order) coveredUntil = Math.max(coveredUntil, functions[f++].last);
    if (order > coveredUntil) out.push(list[i]);
  }
}

/** A function's own items: inside it (by pre-order numbers, in its unit) and not inside a function or lambda nested in it. */
function ownWithin<T extends Located>(list: readonly T[], root: Node, unit: PythonUnit): T[] {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const m = list[mid];
    if (m.unit.ordinal < unit.ordinal || (m.unit === unit && m.node.order < root.order)) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < list.length && list[end].unit === unit && list[end].node.order <= root.last) end++;
  const nested = functionsWithin(root).filter((n) => n !== root);
  const out: T[] = [];
  collectOutside(list, lo, end, nested, out);
  return out;
}

/** The module's own items: those outside every function and lambda, unit by unit. */
function ownAtModuleLevel<T extends Located>(list: readonly T[]): T[] {
  const out: T[] = [];
  let start = 0;
  while (start < list.length) {
    const unit = list[start].unit;
    let end = start;
    while (end < list.length && list[end].unit === unit) end++;
    collectOutside(list, start, end, functionsWithin(unit.root), out);
    start = end;
  }
  return out;
}

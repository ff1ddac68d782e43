import type { Node } from '../documents/python/syntax-tree';
import { isTestPath } from '../core/config';
import type { EditSpec, RuleContext } from '../core/rule';
import { type CallSite, type PythonProgram, ProgramCache } from '../documents/python/program';
import { stringParts } from '../documents/python/syntax';
import type { PythonUnit } from '../documents/python/unit';

/**
 * Python helpers of the reproducibility family: which files are training code, program order,
 * literal values, and the edits that introduce a single seed constant and pass it.
 */

const trainingCodeAnswers = new WeakMap<RuleContext['doc'], { config: RuleContext['config']; path: string; answer: boolean }>();

/**
 * Test folders, `conftest.py` and benchmark scripts are not training code. Remembered per
 * document and config: seven rules ask, and the test globs are regular expressions.
 */
export function isTrainingCodePath(ctx: RuleContext): boolean {
  const known = trainingCodeAnswers.get(ctx.doc);
  if (known && known.config === ctx.config && known.path === ctx.doc.path) return known.answer;
  const answer = computeIsTrainingCodePath(ctx);
  trainingCodeAnswers.set(ctx.doc, { config: ctx.config, path: ctx.doc.path, answer });
  return answer;
}

function computeIsTrainingCodePath(ctx: RuleContext): boolean {
  const path = ctx.doc.path;
  if (isTestPath(ctx.config, path)) return false;
  const base = path.split('/').pop() ?? path;
  if (base === 'conftest.py' || base === 'setup.py' || base === 'noxfile.py' || base === 'tasks.py') return false;
  if (BENCH_FOLDER.test(path)) return false;
  if (BENCH_FILE_START.test(base) || BENCH_FILE_END.test(base)) return false;
  return true;
}

const BENCH_FOLDER = /(^|\/)(benchmarks?|bench|asv_bench)\//i;
const BENCH_FILE_START = /^(bench|benchmark)(_|-|s?\.py$)/i;
const BENCH_FILE_END = /_(bench|benchmark)s?\.py$/i;

/** A key that orders nodes as the program runs top to bottom: code cell, then offset. */
export function order(unit: PythonUnit, offset: number): number {
  return unit.ordinal * 1e10 + offset;
}

export function orderOf(program: PythonProgram, node: Node): number {
  return order(program.unitOf(node), node.startIndex);
}

export function inFunction(node: Node): boolean {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'function_definition' || n.type === 'lambda') return true;
  return false;
}

const LOOPS = new Set(['for_statement', 'while_statement', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

function inLoop(node: Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (LOOPS.has(n.type)) return true;
    if (n.type === 'function_definition') return false;
  }
  return false;
}

/**
 * True when the node may run more than once with the intent of getting different draws: inside a
 * loop or comprehension, or in a function that is called from one. A fixed seed there makes
 * every repetition identical.
 */
export function mayRepeat(program: PythonProgram, node: Node): boolean {
  if (inLoop(node)) return true;
  let fn: Node | null = null;
  for (let n = node.parent; n; n = n.parent) if (n.type === 'function_definition') fn = fn ?? n;
  if (!fn) return false;
  const name = fn.childForFieldName('name')?.text;
  if (!name) return true;
  let answers = repeatedCallers.get(program);
  if (!answers) repeatedCallers.set(program, (answers = { byMethod: callsByMethod(program), names: new Map() }));
  let answer = answers.names.get(name);
  if (answer === undefined) {
    answer = (answers.byMethod.get(name) ?? []).some((c) => inLoop(c.node) || c.node.parent?.type === 'argument_list' && c.callee === 'map');
    answers.names.set(name, answer);
  }
  return answer;
}

/** Per program: its calls by method name, and per function name whether a call of it repeats (asked for every seeded call). */
const repeatedCallers = new ProgramCache<{ byMethod: Map<string, CallSite[]>; names: Map<string, boolean> }>();

function callsByMethod(program: PythonProgram): Map<string, CallSite[]> {
  const byMethod = new Map<string, CallSite[]>();
  for (const c of program.calls()) {
    if (c.method === null) continue;
    let list = byMethod.get(c.method);
    if (!list) byMethod.set(c.method, (list = []));
    list.push(c);
  }
  return byMethod;
}

// ─── literals ───────────────────────────────────────────────────────────────────────────────

export function numberValue(node: Node | undefined | null): number | undefined {
  if (!node) return undefined;
  if (node.type === 'integer' || node.type === 'float') {
    const v = Number(node.text.replace(/_/g, ''));
    return Number.isFinite(v) ? v : undefined;
  }
  if (node.type === 'unary_operator' && node.child(0)?.type === '-') {
    const v = numberValue(node.namedChild(0));
    return v === undefined ? undefined : -v;
  }
  return undefined;
}

export function boolValue(node: Node | undefined | null): boolean | undefined {
  if (node?.type === 'true') return true;
  if (node?.type === 'false') return false;
  return undefined;
}

export function stringValue(node: Node | undefined | null): string | undefined {
  if (node?.type !== 'string') return undefined;
  return stringParts(node).value ?? undefined;
}

export function isNone(node: Node | undefined | null): boolean {
  return node?.type === 'none';
}

/** The value a module-level name is bound to by its only plain assignment (`MODEL_ID = "…"`), if any. */
export function moduleConstant(program: PythonProgram, name: string): Node | undefined {
  let found: Node | undefined;
  let count = 0;
  for (const { node } of program.nodes('assignment')) {
    const left = node.childForFieldName('left');
    if (left?.type !== 'identifier' || left.text !== name) continue;
    count++;
    if (node.parent?.type === 'expression_statement' && node.parent.parent?.type === 'module') found = node.childForFieldName('right') ?? undefined;
  }
  return count === 1 ? found : undefined;
}

// ─── seeds ──────────────────────────────────────────────────────────────────────────────────

/** Names a project gives its seed constant. */
export const SEED_NAME = /^(?:(?:GLOBAL|RANDOM|RNG|DEFAULT)_)?SEED(?:_VALUE)?$|^RANDOM_STATE$|^SEED_?VALUE$/i;
export const SEED_CONSTANT = 'SEED';
export const SEED_VALUE = '42';

/** The module-level seed constants of the program (`SEED = 42`, `RANDOM_STATE = int(os.environ["SEED"])`). */
const seedConstantCache = new ProgramCache<{ name: string; unit: PythonUnit; statement: Node }[]>();

/** Module-level seed constants (`SEED = 42`), computed once per program (every seed fix asks). */
export function seedConstants(program: PythonProgram): { name: string; unit: PythonUnit; statement: Node }[] {
  return [...seedConstantCache.of(program, () => computeSeedConstants(program))];
}

function computeSeedConstants(program: PythonProgram): { name: string; unit: PythonUnit; statement: Node }[] {
  const out: { name: string; unit: PythonUnit; statement: Node }[] = [];
  for (const unit of program.units) {
    for (const stmt of unit.root.namedChildren) {
      if (stmt?.type !== 'expression_statement') continue;
      const a = stmt.namedChild(0);
      if (a?.type !== 'assignment') continue;
      const left = a.childForFieldName('left');
      if (left?.type === 'identifier' && SEED_NAME.test(left.text) && a.childForFieldName('right')) out.push({ name: left.text, unit, statement: stmt });
    }
  }
  return out;
}

/**
 * The end of the unit's leading block: docstring, comments, imports and (in notebooks) magics,
 * as the offset of the end of the block's last line; null when the unit starts with code.
 */
export function leadingBlockEnd(unit: PythonUnit): number | null {
  let end = leadingBlockEnds.get(unit);
  if (end === undefined) leadingBlockEnds.set(unit, (end = computeLeadingBlockEnd(unit)));
  return end;
}

/** Asked by every seed fix: a unit's text and tree do not change, so the answer is kept. */
const leadingBlockEnds = new WeakMap<PythonUnit, number | null>();

function computeLeadingBlockEnd(unit: PythonUnit): number | null {
  let end: number | null = null;
  const children = unit.root.namedChildren.filter((c): c is Node => !!c);
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    const docstring = i === 0 && c.type === 'expression_statement' && c.namedChild(0)?.type === 'string';
    const imp = c.type === 'import_statement' || c.type === 'import_from_statement' || c.type === 'future_import_statement';
    const magic = unit.magics.some((m) => c.startIndex >= m.start && c.endIndex <= m.end);
    if (docstring || imp || magic || c.type === 'comment') end = unit.lines.lineEnd(unit.lines.lineOf(c.endIndex));
    else break;
  }
  return end;
}

/** The unit's line ending, found once per unit: every seed fix asks, and the answer scans the whole text. */
function eolOf(unit: PythonUnit): string {
  let eol = eols.get(unit);
  if (eol === undefined) eols.set(unit, (eol = unit.text.includes('\r\n') ? '\r\n' : '\n'));
  return eol;
}

const eols = new WeakMap<PythonUnit, string>();

/**
 * The unit that gets the seed constant: the first one whose leading block has an import (the
 * imports cell of a notebook, after any `%pip install` cell), else the first code unit.
 */
export function homeUnit(program: PythonProgram): PythonUnit | undefined {
  if (!homeUnits.has(program)) homeUnits.set(program, computeHomeUnit(program));
  return homeUnits.get(program);
}

const homeUnits = new ProgramCache<PythonUnit | undefined>();

function computeHomeUnit(program: PythonProgram): PythonUnit | undefined {
  for (const unit of program.units) {
    const end = leadingBlockEnd(unit);
    if (end === null) break;
    const hasImport = unit.root.namedChildren.some((c) => !!c && c.endIndex <= end && (c.type === 'import_statement' || c.type === 'import_from_statement'));
    if (hasImport) return unit;
    // a unit of magics and comments only: look at the next one
    if (unit.root.namedChildren.some((c) => !!c && c.startIndex > end)) break;
  }
  return program.units[0];
}

export interface SeedReference {
  /** The name to pass (`SEED`, or the project's existing constant). */
  name: string;
  /** Edits that create the constant; empty when it exists. */
  edits: EditSpec[];
  /** Where a statement that uses the constant can be inserted: the start of the line after it. */
  after: { unit: PythonUnit; offset: number } | null;
}

/**
 * The seed constant to use at `site`: the project's existing one when it is defined before the
 * site runs, or a new `SEED = 42` after the imports of the first code unit (the first code cell of
 * a notebook). Null when an existing constant is defined too late to be used there.
 */
export function seedReference(program: PythonProgram, site: Node): SeedReference | null {
  const siteUnit = program.unitOf(site);
  const existing = seedConstants(program);
  if (existing.length) {
    const usable = existing.find((s) => inFunction(site) || order(s.unit, s.statement.startIndex) < order(siteUnit, site.startIndex));
    if (!usable) return null;
    return { name: usable.name, edits: [], after: lineAfter(program, usable.unit, usable.statement.endIndex) };
  }
  const unit = homeUnit(program);
  if (!unit) return null;
  const eol = eolOf(unit);
  const end = leadingBlockEnd(unit);
  if (end === null) {
    if (order(unit, 0) >= order(siteUnit, site.startIndex) && !inFunction(site)) return null;
    const first = unit.root.namedChild(0)?.type ?? '';
    const gap = /function_definition|class_definition|decorated_definition/.test(first) ? `${eol}${eol}` : eol;
    return { name: SEED_CONSTANT, edits: [{ unit, start: 0, end: 0, newText: `${SEED_CONSTANT} = ${SEED_VALUE}${eol}${gap}` }], after: null };
  }
  if (order(unit, end) > order(siteUnit, site.startIndex) && !inFunction(site)) return null;
  const after = lineAfter(program, unit, end);
  // at the start of the line after the imports: imports other fixes add there come first, the
  // seeding calls after it (edits at one point apply in list order); at the end of the unit, after the last import
  if (after?.unit === unit) return { name: SEED_CONSTANT, edits: [{ unit, start: after.offset, end: after.offset, newText: `${eol}${SEED_CONSTANT} = ${SEED_VALUE}${eol}` }], after };
  return { name: SEED_CONSTANT, edits: [{ unit, start: end, end, newText: `${eol}${eol}${SEED_CONSTANT} = ${SEED_VALUE}` }], after };
}

/** The start of the line after `offset`, or the start of the next code unit when the unit ends there. */
function lineAfter(program: PythonProgram, unit: PythonUnit, offset: number): { unit: PythonUnit; offset: number } | null {
  const line = unit.lines.lineOf(offset);
  if (line + 1 < unit.lines.lineCount) return { unit, offset: unit.lines.lineStart(line + 1) };
  const next = program.units[unit.ordinal + 1];
  return next ? { unit: next, offset: 0 } : null;
}

/**
 * Edits that seed a global generator once, right after the seed constant: `np.random.seed(SEED)`.
 * `module` must be imported (as `import numpy as np`, `import random` …) in the leading imports of
 * the first code unit, and the seeding call must land before `firstUse`. Null otherwise.
 */
export function seedCallEdits(program: PythonProgram, module: string, call: (local: string, seed: string) => string, firstUse: Node): EditSpec[] | null {
  const home = homeUnit(program);
  if (!home) return null;
  const end = leadingBlockEnd(home);
  const binding = program.imports.bindings.find((b) => b.qualified === module && b.unitIndex === home.ordinal && end !== null && b.node.endIndex <= end && b.node.parent?.type === 'module');
  if (!binding) return null;
  const seed = seedReference(program, firstUse);
  if (!seed?.after) return null;
  const { unit, offset } = seed.after;
  if (order(unit, offset) > orderOf(program, firstUse) && !inFunction(firstUse)) return null;
  const eol = eolOf(unit);
  return [...seed.edits, { unit, start: offset, end: offset, newText: `${call(binding.local, seed.name)}${eol}` }];
}

/**
 * The edit that passes `name=value` to a call: replaces an explicit `name=None`, or adds the
 * keyword after the last argument. Null for calls whose arguments cannot take one (`f(x for x in y)`).
 */
export function keywordEdit(call: CallSite, name: string, value: string): EditSpec | null {
  const unit = call.unit;
  const existing = call.keywords.get(name);
  if (existing) return { unit, start: existing.startIndex, end: existing.endIndex, newText: value };
  const args = call.node.childForFieldName('arguments');
  if (args?.type !== 'argument_list') return null;
  const items = args.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  if (!items.length) return { unit, start: args.startIndex + 1, end: args.startIndex + 1, newText: `${name}=${value}` };
  const last = items[items.length - 1];
  const lines = unit.lines;
  const lastLine = lines.lineOf(last.startIndex);
  const trailingComma = last.nextSibling?.type === ',' ? last.nextSibling : null;
  // one argument per line: the new keyword gets its own line, with the same indentation
  if (lastLine !== lines.lineOf(args.startIndex) && lines.lineOf(args.endIndex) !== lastLine) {
    const lineText = lines.lineText(lastLine);
    const indent = lineText.slice(0, lineText.length - lineText.trimStart().length);
    const eol = eolOf(unit);
    if (trailingComma) return { unit, start: trailingComma.endIndex, end: trailingComma.endIndex, newText: `${eol}${indent}${name}=${value},` };
    return { unit, start: last.endIndex, end: last.endIndex, newText: `,${eol}${indent}${name}=${value}` };
  }
  return { unit, start: last.endIndex, end: last.endIndex, newText: `, ${name}=${value}` };
}

/** `**kwargs` in a call: any keyword may be passed there. */
export function hasKeywordSplat(call: CallSite): boolean {
  const args = call.node.childForFieldName('arguments');
  return !!args?.namedChildren.some((c) => c?.type === 'dictionary_splat');
}

/** The class or function name a qualified name ends with: `sklearn.ensemble.RandomForestClassifier` → `RandomForestClassifier`. */
export function lastName(qualified: string | null): string {
  if (!qualified) return '';
  const i = qualified.lastIndexOf('.');
  return i < 0 ? qualified : qualified.slice(i + 1);
}

export function rootModule(qualified: string | null): string {
  if (!qualified) return '';
  // no split: this runs for every call of several rules
  const i = qualified.indexOf('.');
  return i < 0 ? qualified : qualified.slice(0, i);
}

const callIndex = new ProgramCache<Map<number, CallSite>>();

/** The call site of a `call` node, through an index built once per program. */
export function callAt(program: PythonProgram, node: Node | null | undefined): CallSite | null {
  if (node?.type !== 'call') return null;
  const index = callIndex.of(program, () => new Map(program.calls().map((c) => [c.node.id, c])));
  return index.get(node.id) ?? null;
}

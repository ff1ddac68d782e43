import type { Node } from '../documents/python/syntax-tree';
import type { EditSpec } from '../core/rule';
import { type PythonProgram, ProgramCache } from '../documents/python/program';
import type { PythonUnit } from '../documents/python/unit';
import { importInsertionOffset } from '../fixes/python-edits';
import { nodesWithin } from './scopes';

/**
 * Edits the monitoring fixes share. Two conventions keep fixes composable when several are applied
 * together (fix-all applies edits at the same offset in reverse order of the list):
 * - a module block (imports, then the definitions that use them) is one self-contained edit, so
 *   that identical blocks from several findings merge and different blocks never depend on each
 *   other's order;
 * - statements are rewritten whole lines at a time, with their indentation kept.
 */

export function eolOf(unit: PythonUnit): string {
  let eol = eols.get(unit);
  if (eol === undefined) eols.set(unit, (eol = unit.text.includes('\r\n') ? '\r\n' : '\n'));
  return eol;
}

/** Per unit: every edit asks, and the search reads the whole text. */
const eols = new WeakMap<PythonUnit, string>();

/** The indentation unit of the program: what its first indented block uses, else four spaces. */
export function indentUnitOf(program: PythonProgram): string {
  return indentUnits.of(program, () => findIndentUnit(program));
}

/** Per program: every fix that writes a block asks. */
const indentUnits = new ProgramCache<string>();

function findIndentUnit(program: PythonProgram): string {
  for (const unit of program.units) {
    for (const kind of ['function', 'class', 'if', 'loop', 'with', 'try'] as const) {
      for (const node of unit.nodes(kind)) {
        const body = node.childForFieldName('body') ?? node.namedChildren.find((c) => c?.type === 'block');
        const first = body?.namedChildren.find((c) => c && c.type !== 'comment');
        if (!first) continue;
        const outer = lineIndentOf(unit, node.parent?.type === 'decorated_definition' ? node.parent : node);
        const inner = lineIndentOf(unit, first);
        if (outer !== null && inner !== null && inner.startsWith(outer) && inner.length > outer.length) return inner.slice(outer.length);
      }
    }
  }
  return '    ';
}

/** The whitespace before a node on its line, or null when something else precedes it there. */
export function lineIndentOf(unit: PythonUnit, node: Node): string | null {
  const line = unit.lines.lineOf(node.startIndex);
  const before = unit.text.slice(unit.lines.lineStart(line), node.startIndex);
  return /^[ \t]*$/.test(before) ? before : null;
}

/** True when nothing but whitespace or a comment follows the node on its last line. */
function endsLine(unit: PythonUnit, node: Node): boolean {
  const line = unit.lines.lineOf(node.endIndex);
  const after = unit.text.slice(node.endIndex, unit.lines.lineEnd(line));
  return /^[ \t]*(#.*)?$/.test(after);
}

/** A string literal spanning lines inside the node: re-indenting would change its value. */
export function hasMultilineString(program: PythonProgram, node: Node): boolean {
  // the string literals inside the node (a binary search in its unit's index), checked in place
  const unit = program.units.find((u) => u.tree === node.tree);
  if (!unit) return false;
  const source = node.tree.source;
  const multiline = (s: Node) => {
    const newline = source.indexOf('\n', s.startIndex);
    return newline >= 0 && newline < s.endIndex;
  };
  return (node.type === 'string' && node.isNamed && multiline(node)) || nodesWithin(unit.nodes('string'), node).some(multiline);
}

export interface WrapOptions {
  /** Lines before the header, at the statement's indentation. */
  before?: string[];
  /** The compound statement's header, e.g. `with mlflow.start_run():`. */
  header: string;
  /** Lines at the start and end of the new block. */
  firstInside?: string[];
  lastInside?: string[];
  /** Lines after the block, at the statement's indentation. */
  after?: string[];
  /** Lines inserted after inner statements of the wrapped statement, at their own indentation. */
  inner?: { node: Node; lines: string[] }[];
  /** Replaces the statement's own lines (after re-indentation) instead of keeping them. */
  body?: string[];
}

/** Rewrites a statement as `header:` + the statement indented one level deeper. Null when unsafe to do. */
export function wrapStatement(program: PythonProgram, unit: PythonUnit, stmt: Node, options: WrapOptions): EditSpec | null {
  const indent = lineIndentOf(unit, stmt);
  if (indent === null || !endsLine(unit, stmt) || hasMultilineString(program, stmt)) return null;
  const iu = indentUnitOf(program);
  const eol = eolOf(unit);
  const first = unit.lines.lineOf(stmt.startIndex);
  const last = unit.lines.lineOf(stmt.endIndex);
  const innerByLine = new Map<number, string[]>();
  for (const ins of options.inner ?? []) {
    const ind = lineIndentOf(unit, ins.node);
    if (ind === null || !endsLine(unit, ins.node)) return null;
    const line = unit.lines.lineOf(ins.node.endIndex);
    innerByLine.set(line, [...(innerByLine.get(line) ?? []), ...ins.lines.map((l) => iu + ind + l)]);
  }
  const out: string[] = [];
  for (const b of options.before ?? []) out.push(indent + b);
  out.push(indent + options.header);
  for (const l of options.firstInside ?? []) out.push(indent + iu + l);
  if (options.body) for (const l of options.body) out.push(indent + iu + l);
  else
    for (let line = first; line <= last; line++) {
      const text = unit.lines.lineText(line);
      out.push(text.trim() ? iu + text : text);
      for (const l of innerByLine.get(line) ?? []) out.push(l);
    }
  for (const l of options.lastInside ?? []) out.push(indent + iu + l);
  for (const a of options.after ?? []) out.push(indent + a);
  return { unit, start: unit.lines.lineStart(first), end: unit.lines.lineEnd(last), newText: out.join(eol) };
}

/** Inserts lines after a statement, at its indentation (or `indent`). */
export function insertAfter(unit: PythonUnit, stmt: Node, lines: string[], indent?: string): EditSpec | null {
  const ind = indent ?? lineIndentOf(unit, stmt);
  if (ind === null || !endsLine(unit, stmt)) return null;
  const eol = eolOf(unit);
  const end = unit.lines.lineEnd(unit.lines.lineOf(stmt.endIndex));
  return { unit, start: end, end, newText: lines.map((l) => eol + ind + l).join('') };
}

/** Inserts lines before a statement, at its indentation. */
export function insertBefore(unit: PythonUnit, stmt: Node, lines: string[]): EditSpec | null {
  const ind = lineIndentOf(unit, stmt);
  if (ind === null) return null;
  const eol = eolOf(unit);
  const start = unit.lines.lineStart(unit.lines.lineOf(stmt.startIndex));
  return { unit, start, end: start, newText: lines.map((l) => ind + l + eol).join('') };
}

/**
 * Edits that add imports and the module-level definitions that need them. Imports go after the
 * leading imports of the program (its first code cell in a notebook), one edit per line so that
 * identical imports from other fixes merge; the definitions go before the first statement that
 * follows, so that every import, whichever fix adds it, comes before every definition. When no
 * line separates the imports from the code, both go in one self-contained edit instead.
 */
export function moduleBlock(program: PythonProgram, imports: string[], defs: string[]): EditSpec[] {
  if (!imports.length && !defs.length) return [];
  const unit = program.units[0];
  if (!unit) return [];
  const eol = eolOf(unit);
  const offset = importInsertionOffset(unit);
  const atEnd = offset >= unit.text.length && unit.text.length > 0 && !/[\r\n]$/.test(unit.text);
  const next = unit.root.namedChildren.find((c) => !!c && c.startIndex >= offset);
  const defsAt = next ? unit.lines.lineStart(unit.lines.lineOf(next.startIndex)) : unit.text.length;
  if (!atEnd && defsAt > offset) {
    const out: EditSpec[] = imports.map((i) => ({ unit, start: offset, end: offset, newText: i + eol }));
    if (defs.length) {
      // one blank line after plain definitions, two around functions and before a def or class
      const isDef = (n: Node | null | undefined) => !!n && /^(function_definition|class_definition|decorated_definition)$/.test(n.type);
      const hasFunction = defs.some((d) => /^(async\s+)?def\s/.test(d.trimStart()));
      const blank = hasFunction || isDef(next) ? eol + eol : eol;
      let blanksBefore = 0;
      for (let l = unit.lines.lineOf(defsAt) - 1; l >= 0 && unit.lines.lineText(l).trim() === ''; l--) blanksBefore++;
      const lead = hasFunction && next ? eol.repeat(Math.max(0, 2 - blanksBefore)) : '';
      const text = lead + defs.map((d) => d.replace(/\n/g, eol)).join(eol) + eol;
      out.push({ unit, start: defsAt, end: defsAt, newText: next ? text + blank : (/[\r\n]$/.test(unit.text) ? '' : eol) + text });
    }
    return out;
  }
  let text = atEnd ? eol : '';
  for (const i of imports) text += i + eol;
  if (defs.length) {
    if (offset > 0 || imports.length) text += eol;
    for (const d of defs) text += d.replace(/\n/g, eol) + eol;
    const rest = unit.text.slice(offset, unit.lines.lineEnd(unit.lines.lineOf(offset)));
    if (offset < unit.text.length && rest.trim() !== '') text += eol;
  }
  return [{ unit, start: offset, end: offset, newText: text }];
}

/** Replaces a statement's whole lines with `lines`, at the statement's indentation. */
export function rewriteStatement(program: PythonProgram, unit: PythonUnit, stmt: Node, lines: string[]): EditSpec | null {
  const indent = lineIndentOf(unit, stmt);
  if (indent === null || !endsLine(unit, stmt) || hasMultilineString(program, stmt)) return null;
  const first = unit.lines.lineOf(stmt.startIndex);
  const last = unit.lines.lineOf(stmt.endIndex);
  return { unit, start: unit.lines.lineStart(first), end: unit.lines.lineEnd(last), newText: lines.map((l) => indent + l).join(eolOf(unit)) };
}

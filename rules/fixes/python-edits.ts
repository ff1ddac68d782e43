import type { Node } from '../documents/python/syntax-tree';
import type { EditSpec } from '../core/rule';
import type { PythonProgram } from '../documents/python/program';
import { pythonStringLiteral } from '../documents/python/syntax';
import type { PythonUnit } from '../documents/python/unit';

/**
 * Edits that many fixes share: adding an import once, in the right place (after the module
 * docstring, `from __future__` imports and the leading import block of the first code unit: for
 * notebooks, the first code cell), and turning a literal into a setting read from the environment.
 */

/** The edit that adds `import module` (or `from module import name`), or null when it is already there. */
export function ensureImport(program: PythonProgram, module: string, name?: string): EditSpec | null {
  const existing = program.imports.bindings.find((b) => (name ? b.qualified === `${module}.${name}` && b.local === name : b.local === module && b.qualified === module));
  if (existing) return null;
  const unit = program.units[0];
  if (!unit) return null;
  const statement = name ? `from ${module} import ${name}` : `import ${module}`;
  const { offset, eol, atEnd } = importPlace(unit);
  return { unit, start: offset, end: offset, newText: atEnd ? `${eol}${statement}${eol}` : `${statement}${eol}` };
}

/** Where and how an import is inserted in a unit; asked once per fix that needs an import, answered once per unit. */
const importPlaces = new WeakMap<PythonUnit, { offset: number; eol: string; atEnd: boolean }>();

function importPlace(unit: PythonUnit): { offset: number; eol: string; atEnd: boolean } {
  let place = importPlaces.get(unit);
  if (!place) {
    const offset = importInsertionOffset(unit);
    const eol = unit.text.includes('\r\n') ? '\r\n' : '\n';
    const atEnd = offset >= unit.text.length && unit.text.length > 0 && !/[\r\n]$/.test(unit.text);
    importPlaces.set(unit, (place = { offset, eol, atEnd }));
  }
  return place;
}

/** Where a new top-level import goes: after the leading docstring, comments and imports. */
export function importInsertionOffset(unit: PythonUnit): number {
  let offset = 0;
  const children = unit.root.namedChildren.filter((c): c is Node => !!c);
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    const isDocstring = i === 0 && c.type === 'expression_statement' && c.namedChild(0)?.type === 'string';
    const isImport = c.type === 'import_statement' || c.type === 'import_from_statement' || c.type === 'future_import_statement';
    if (isDocstring || isImport) offset = lineAfter(unit, c.endIndex);
    else if (c.type === 'comment' && offset === c.startIndex) offset = lineAfter(unit, c.endIndex);
    else break;
  }
  return offset;
}

function lineAfter(unit: PythonUnit, offset: number): number {
  const line = unit.lines.lineOf(offset);
  return line + 1 < unit.lines.lineCount ? unit.lines.lineStart(line + 1) : unit.text.length;
}

/** Replaces a string literal with `os.environ.get("NAME", <literal>)`, keeping its value as the default. */
export function envBackedLiteral(program: PythonProgram, unit: PythonUnit, literal: Node, envName: string): EditSpec[] {
  const edits: EditSpec[] = [{ unit, start: literal.startIndex, end: literal.endIndex, newText: `os.environ.get(${pythonStringLiteral(envName)}, ${literal.text})` }];
  const imp = ensureImport(program, 'os');
  if (imp) edits.unshift(imp);
  return edits;
}

/** An environment variable name for a literal, from the variable or keyword it is bound to. */
export function envNameFor(literal: Node, fallback: string): string {
  const parent = literal.parent;
  let base: string | undefined;
  if (parent?.type === 'assignment' && parent.childForFieldName('right')?.id === literal.id) {
    const left = parent.childForFieldName('left');
    if (left?.type === 'identifier') base = left.text;
    else if (left?.type === 'attribute') base = left.childForFieldName('attribute')?.text;
  } else if (parent?.type === 'keyword_argument') {
    base = parent.childForFieldName('name')?.text;
  } else if (parent?.type === 'pair') {
    const key = parent.childForFieldName('key');
    if (key?.type === 'string') base = key.text.replace(/^[a-zA-Z]*['"]+|['"]+$/g, '');
  }
  return toEnvName(base ?? fallback);
}

/**
 * The words of a name joined by `_`, accents dropped, case kept: `Résumé path-2024` →
 * `Resume_path_2024`, `trainPath` → `train_Path`. Environment variables and Python identifiers
 * made from names start here.
 */
export function underscoredWords(s: string): string {
  // accents are taken apart only where there can be any (NFKD is costly, and most names are ASCII)
  const ascii = /^[\x00-\x7f]*$/.test(s) ? s : s.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''); // résumé → resume
  return ascii
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

export function toEnvName(s: string): string {
  const name = underscoredWords(s).toUpperCase();
  return /^[A-Z]/.test(name) ? name : `MLREADY_${name || 'SETTING'}`;
}

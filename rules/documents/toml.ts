import { parseTOML, type AST } from 'toml-eslint-parser';
import { TextUnit } from '../core/units';

/**
 * TOML (pyproject.toml) read with toml-eslint-parser, which keeps a source range on every key and
 * value. Parsing never throws: a syntax error becomes a problem with its offset, and the model
 * has no tree. Rules look values up by their resolved key path (`project.dependencies`,
 * `tool.poetry.dependencies.numpy`), however the file spells the tables: `[project]` +
 * `dependencies = …`, a dotted key `project.dependencies = …`, or an inline table.
 */

export interface TomlProblem {
  message: string;
  start: number;
  end: number;
}

export interface TomlEntry {
  /** The full key path: table keys, then the key's own dotted parts; array-of-tables add their index. */
  path: (string | number)[];
  /** The key-value that holds the value (its key carries the key's range). */
  keyValue: AST.TOMLKeyValue;
  value: AST.TOMLContentNode;
}

export interface TomlModel {
  unit: TextUnit;
  ast: AST.TOMLProgram | null;
  /** Every key-value of the document in source order, inline tables included. */
  entries: TomlEntry[];
  /** Table headers (`[project]`, `[[tool.x]]`) with their resolved key path. */
  tables: { path: (string | number)[]; node: AST.TOMLTable }[];
  problems: TomlProblem[];
}

export function parseToml(text: string): TomlModel {
  const unit = new TextUnit(text, undefined);
  const model: TomlModel = { unit, ast: null, entries: [], tables: [], problems: [] };
  let ast: AST.TOMLProgram;
  try {
    ast = parseTOML(text);
  } catch (e) {
    const err = e as { message?: string; index?: number };
    const at = typeof err.index === 'number' ? Math.max(0, Math.min(err.index, text.length)) : 0;
    model.problems.push({ message: `TOML could not be read: ${String(err.message ?? e).split('\n')[0]}`, start: at, end: Math.min(text.length, at + 1) });
    return model;
  }
  model.ast = ast;
  const top = ast.body[0];
  for (const item of top?.body ?? []) {
    if (item.type === 'TOMLTable') {
      model.tables.push({ path: item.resolvedKey, node: item });
      for (const kv of item.body) addEntries(model.entries, item.resolvedKey, kv, 0);
    } else addEntries(model.entries, [], item, 0);
  }
  return model;
}

/** Nesting of inline tables is bounded, like JSON and YAML elsewhere in the engine. */
const MAX_DEPTH = 64;

function addEntries(out: TomlEntry[], prefix: (string | number)[], kv: AST.TOMLKeyValue, depth: number): void {
  const path = [...prefix, ...kv.key.keys.map(keyName)];
  out.push({ path, keyValue: kv, value: kv.value });
  if (kv.value.type === 'TOMLInlineTable' && depth < MAX_DEPTH) {
    for (const inner of kv.value.body) addEntries(out, path, inner, depth + 1);
  }
}

function keyName(k: AST.TOMLBare | AST.TOMLQuoted): string {
  return k.type === 'TOMLBare' ? k.name : k.value;
}

function samePath(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The value at a key path, or undefined. */
export function tomlGet(model: TomlModel, path: readonly (string | number)[]): AST.TOMLContentNode | undefined {
  return model.entries.find((e) => samePath(e.path, path))?.value;
}

/** True when a table or a key exists at this path (`[build-system]`, `tool.poetry`). */
export function tomlHas(model: TomlModel, path: readonly (string | number)[]): boolean {
  const starts = (p: readonly (string | number)[]) => path.every((x, i) => p[i] === x);
  return model.tables.some((t) => starts(t.path)) || model.entries.some((e) => starts(e.path));
}

/** Entries whose path starts with `prefix` and has exactly one more part (the keys of a table). */
export function tomlChildren(model: TomlModel, prefix: readonly (string | number)[]): TomlEntry[] {
  return model.entries.filter((e) => e.path.length === prefix.length + 1 && prefix.every((x, i) => e.path[i] === x));
}

export function tomlString(node: AST.TOMLContentNode | undefined): string | undefined {
  return node?.type === 'TOMLValue' && node.kind === 'string' ? node.value : undefined;
}

export function tomlBoolean(node: AST.TOMLContentNode | undefined): boolean | undefined {
  return node?.type === 'TOMLValue' && node.kind === 'boolean' ? node.value : undefined;
}

/**
 * Offsets of a string value's content in the source, when the source spells the value
 * verbatim (no escapes): then a part of the value maps onto the source one to one.
 */
export function tomlStringContent(text: string, node: AST.TOMLStringValue): { start: number; end: number; exact: boolean } {
  const [s, e] = node.range;
  const quote = node.multiline ? 3 : 1;
  let start = s + quote;
  const end = e - quote;
  // a multi-line string drops the newline right after its opening quotes
  if (node.multiline && text[start] === '\r' && text[start + 1] === '\n') start += 2;
  else if (node.multiline && text[start] === '\n') start += 1;
  return { start, end, exact: text.slice(start, end) === node.value };
}

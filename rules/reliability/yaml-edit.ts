import { isMap, isPair, isScalar, isSeq, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { EditSpec } from '../core/rule';
import type { TextUnit } from '../core/units';

/**
 * Edits that insert keys into block YAML with the indentation of the surrounding file. Every edit
 * here adds whole lines after an existing entry (or replaces one scalar), so the result parses to
 * the same structure plus the inserted keys. Flow collections (`{…}`, `[…]`) are never edited:
 * the helpers return undefined and the finding carries no fix.
 */

/** A value to render as block YAML: maps become nested blocks, arrays of scalars flow lists. */
export type YamlValue = string | number | boolean | YamlValue[] | { [key: string]: YamlValue };

export function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Column of a node's first character, when only spaces and `- ` sequence markers precede it on its line. */
export function columnOf(unit: TextUnit, offset: number): number | undefined {
  const line = unit.lines.lineOf(offset);
  const before = unit.text.slice(unit.lines.lineStart(line), offset);
  return /^[ \-]*$/.test(before) ? before.length : undefined;
}

/** Column of a block map's keys. */
export function keyColumn(unit: TextUnit, map: YAMLMap): number | undefined {
  if (map.flow || !map.items.length) return undefined;
  const first = map.items[0];
  if (!isScalar(first.key) || !first.key.range) return undefined;
  return columnOf(unit, first.key.range[0]);
}

/** The indentation step of the file: how far a nested block map's keys sit right of their parent key. */
export function indentStep(unit: TextUnit, root: unknown): number {
  const stack: unknown[] = [root];
  let budget = 2000;
  while (stack.length && budget-- > 0) {
    const n = stack.pop();
    if (isMap(n)) {
      for (const p of n.items) {
        if (isMap(p.value) && !p.value.flow && isScalar(p.key) && p.key.range) {
          const parent = columnOf(unit, p.key.range[0]);
          const child = keyColumn(unit, p.value);
          if (parent !== undefined && child !== undefined && child > parent && unit.lines.lineOf(p.key.range[0]) !== unit.lines.lineOf(p.value.range?.[0] ?? 0)) return child - parent;
        }
        stack.push(p.value);
      }
    } else if (isSeq(n)) for (const i of n.items) stack.push(i);
  }
  return 2;
}

/** Offset of the end of the last line a pair occupies (its value's last non-blank character's line). */
export function pairLineEnd(unit: TextUnit, pair: Pair): number {
  const value = pair.value as { range?: [number, number, number] } | null;
  let end = value?.range ? value.range[1] : isScalar(pair.key) && pair.key.range ? pair.key.range[1] : 0;
  const text = unit.text;
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  return unit.lines.lineEnd(unit.lines.lineOf(Math.max(0, end - 1)));
}

const RESERVED = /^(true|false|yes|no|on|off|null|~|y|n)$/i;

export function scalarText(v: string | number | boolean): string {
  if (typeof v !== 'string') return String(v);
  if (v === '' || RESERVED.test(v) || /^[-+.\d]/.test(v) && !Number.isNaN(Number(v)) || /^[\s&*!|>'"%@`{[\]},?#-]|: | #|[\r\n\t]|\s$|:$/.test(v)) return JSON.stringify(v);
  return v;
}

/** Block lines for `value` at `column`, nested maps `step` further right. */
export function renderLines(value: { [key: string]: YamlValue }, column: number, step: number): string[] {
  const pad = ' '.repeat(column);
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (Array.isArray(v)) out.push(`${pad}${scalarText(k)}: [${v.map((x) => scalarText(x as string)).join(', ')}]`);
    else if (v !== null && typeof v === 'object') {
      out.push(`${pad}${scalarText(k)}:`);
      out.push(...renderLines(v, column + step, step));
    } else out.push(`${pad}${scalarText(k)}: ${scalarText(v)}`);
  }
  return out;
}

export interface InsertOptions {
  /** Insert after the first of these keys that the map has (in this order of preference); else after its last entry. */
  after?: string[];
  /** Else insert before the first of these keys that the map has, when that key starts its line (not after `- `). */
  before?: string[];
}

/** Adds entries to a block map, at its key column, after a chosen entry. */
export function insertIntoMap(unit: TextUnit, root: unknown, map: YAMLMap, entries: { [key: string]: YamlValue }, options: InsertOptions = {}): EditSpec | undefined {
  const column = keyColumn(unit, map);
  if (column === undefined) return undefined;
  const pairs = map.items.filter((p) => isPair(p) && isScalar(p.key));
  if (!pairs.length || pairs.length !== map.items.length) return undefined;
  let anchor: Pair | undefined;
  for (const k of options.after ?? []) {
    anchor = pairs.find((p) => String((p.key as Scalar).value) === k);
    if (anchor) break;
  }
  const eol = eolOf(unit.text);
  const lines = renderLines(entries, column, indentStep(unit, root));
  if (!anchor) {
    for (const k of options.before ?? []) {
      const next = pairs.find((p) => String((p.key as Scalar).value) === k);
      const at = next && isScalar(next.key) && next.key.range ? next.key.range[0] : undefined;
      if (at === undefined) continue;
      let line = unit.lines.lineOf(at);
      if (!/^ *$/.test(unit.text.slice(unit.lines.lineStart(line), at))) continue;
      // above the comments that introduce the key
      while (line > 0 && /^\s*#/.test(unit.lines.lineText(line - 1))) line--;
      const lineStart = unit.lines.lineStart(line);
      return { unit, start: lineStart, end: lineStart, newText: lines.map((l) => l + eol).join('') };
    }
  }
  anchor ??= pairs[pairs.length - 1];
  const offset = pairLineEnd(unit, anchor);
  return { unit, start: offset, end: offset, newText: lines.map((l) => eol + l).join('') };
}

/**
 * Gives a pair whose value is empty (`resources:`, `resources: {}`) a block value. Undefined when
 * the value is anything else.
 */
export function fillEmptyPair(unit: TextUnit, root: unknown, pair: Pair, entries: { [key: string]: YamlValue }): EditSpec | undefined {
  const key = pair.key;
  if (!isScalar(key) || !key.range) return undefined;
  const value = pair.value;
  const empty = value === null || (isScalar(value) && value.value === null) || ((isMap(value) || isSeq(value)) && value.flow && value.items.length === 0);
  if (!empty) return undefined;
  const column = columnOf(unit, key.range[0]);
  if (column === undefined) return undefined;
  const colon = unit.text.indexOf(':', key.range[1]);
  if (colon < 0) return undefined;
  const valueEnd = value && (value as { range?: [number, number, number] }).range ? (value as { range: [number, number, number] }).range[1] : colon + 1;
  const eol = eolOf(unit.text);
  const lines = renderLines(entries, column + indentStep(unit, root), indentStep(unit, root));
  return { unit, start: colon + 1, end: Math.max(colon + 1, valueEnd), newText: lines.map((l) => eol + l).join('') };
}

/**
 * Sets `path` (keys, from `map`) to `entries`, creating the maps on the way and adding only what
 * is missing. One edit, or undefined when a map on the way is a flow map, an alias or a scalar.
 */
export function ensureEntries(unit: TextUnit, root: unknown, map: YAMLMap, path: string[], entries: { [key: string]: YamlValue }, options: InsertOptions = {}): EditSpec | undefined {
  let cur: YAMLMap = map;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    const pair = cur.items.find((p) => isScalar(p.key) && String(p.key.value) === key) as Pair | undefined;
    if (!pair) {
      let value: { [key: string]: YamlValue } = entries;
      for (let j = path.length - 1; j > i; j--) value = { [path[j]]: value };
      return insertIntoMap(unit, root, cur, { [key]: value }, i === 0 ? options : {});
    }
    if (isMap(pair.value) && !pair.value.flow && pair.value.items.length) {
      cur = pair.value;
      continue;
    }
    let value: { [key: string]: YamlValue } = entries;
    for (let j = path.length - 1; j > i; j--) value = { [path[j]]: value };
    return fillEmptyPair(unit, root, pair, value);
  }
  const missing: { [key: string]: YamlValue } = {};
  for (const [k, v] of Object.entries(entries)) if (!cur.items.some((p) => isScalar(p.key) && String(p.key.value) === k)) missing[k] = v;
  if (!Object.keys(missing).length) return undefined;
  return insertIntoMap(unit, root, cur, missing);
}

/** Replaces a scalar's source text. */
export function replaceScalar(unit: TextUnit, scalar: Scalar, newText: string): EditSpec | undefined {
  if (!scalar.range) return undefined;
  return { unit, start: scalar.range[0], end: scalar.range[1], newText };
}

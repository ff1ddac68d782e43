import type { Node } from '../documents/python/syntax-tree';
import type { EditSpec } from '../core/rule';
import type { PythonUnit } from '../documents/python/unit';

/** Edits on a call's argument list that keep the rest of the call as written. */

function argumentList(call: Node): Node | null {
  const args = call.childForFieldName('arguments');
  return args?.type === 'argument_list' ? args : null;
}

/** Removes one argument and the comma that separates it from its neighbour. */
export function removeArgument(unit: PythonUnit, call: Node, arg: Node): EditSpec | null {
  const list = argumentList(call);
  return list ? removeItem(unit, list, arg) : null;
}

/** Removes one element of a bracketed sequence (argument list, list, tuple, set) with its separating comma. */
export function removeItem(unit: PythonUnit, list: Node, arg: Node): EditSpec | null {
  const items = list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  const i = items.findIndex((c) => c.id === arg.id);
  if (i < 0) return null;
  const text = unit.text;
  if (items.length === 1) {
    // `f(x=1)` → `f()`; keep a trailing comma's absence
    return { unit, start: list.startIndex + 1, end: list.endIndex - 1, newText: '' };
  }
  // one element per line: the element's whole line goes (its comma and trailing comment with it)
  const lineStart = text.lastIndexOf('\n', arg.startIndex - 1) + 1;
  const afterLine = text.indexOf('\n', arg.endIndex);
  const nextStart = i < items.length - 1 ? items[i + 1].startIndex : list.endIndex - 1;
  if (text.slice(lineStart, arg.startIndex).trim() === '' && afterLine >= 0 && afterLine < nextStart) {
    const rest = text.slice(arg.endIndex, afterLine).trim();
    if (rest === '' || rest === ',' || /^,?\s*#/.test(rest)) return { unit, start: lineStart, end: afterLine + 1, newText: '' };
  }
  if (i < items.length - 1) {
    // up to the next argument: `x=1, ` goes, the next argument keeps its position
    return { unit, start: arg.startIndex, end: items[i + 1].startIndex, newText: '' };
  }
  // the last argument: from the end of the previous one (its comma included), keeping a trailing comma if there was one
  const after = text.slice(arg.endIndex, list.endIndex - 1);
  const trailingComma = /^\s*,/.test(after);
  return { unit, start: items[i - 1].endIndex, end: trailingComma ? arg.endIndex + after.indexOf(',') : arg.endIndex, newText: trailingComma ? ',' : '' };
}

/** Adds `text` (e.g. `weights_only=True`) as the last argument. */
export function appendArgument(unit: PythonUnit, call: Node, newArg: string): EditSpec | null {
  const list = argumentList(call);
  return list ? appendItem(unit, list, newArg) : null;
}

/** Adds an element at the end of a bracketed sequence. */
export function appendItem(unit: PythonUnit, list: Node, newArg: string): EditSpec | null {
  const items = list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  const close = list.endIndex - 1;
  if (items.length === 0) return { unit, start: list.startIndex + 1, end: close, newText: newArg };
  const last = items[items.length - 1];
  const between = unit.text.slice(last.endIndex, close);
  if (/^\s*,/.test(between)) {
    // trailing comma, usually one argument per line: add a line with the same indentation
    const commaAt = last.endIndex + between.indexOf(',') + 1;
    const lineStart = unit.text.lastIndexOf('\n', last.startIndex) + 1;
    const indent = /^[ \t]*/.exec(unit.text.slice(lineStart))![0];
    if (between.includes('\n')) return { unit, start: commaAt, end: commaAt, newText: `\n${indent}${newArg},` };
    return { unit, start: commaAt, end: commaAt, newText: ` ${newArg},` };
  }
  return { unit, start: last.endIndex, end: last.endIndex, newText: `, ${newArg}` };
}

import type { Node } from '../documents/python/syntax-tree';
import { stringParts } from '../documents/python/syntax';
import type { PythonUnit } from '../documents/python/unit';
import { scopeOf, type ProgramIndex } from './python-index';

/**
 * Static values of simple Python expressions: the path a reader opens, the query a cursor runs,
 * the columns a frame is indexed with. Only what is certain is resolved: literals, their
 * concatenation, `os.path.join`/`Path(...) / "x"` of literals, the default of an environment
 * lookup, f-strings (their static text), and names bound once to such a value at module level or
 * earlier in the same function. Anything else is null.
 */

export interface StringValue {
  value: string;
  /** The string literal the value comes from when it is exactly one literal (for precise ranges). */
  literal?: Node;
  literalUnit?: PythonUnit;
  /** True when parts of the value are unknown (f-string fields): `value` holds the known text with `{…}`. */
  partial?: boolean;
  /** The path is relative to the file's own folder (`Path(__file__).parent / "x.csv"`). */
  fileRelative?: boolean;
}

const ENV_LOOKUPS = /^(os\.environ\.get|os\.getenv|os\.environ\.setdefault)$/;
const PATH_CTORS = /^(pathlib\.)?(Path|PurePath|PosixPath|PurePosixPath)$/;

export function stringValue(index: ProgramIndex, node: Node | null | undefined, depth = 0): StringValue | null {
  if (!node || depth > 6) return null;
  const unit = index.program.unitOf(node);
  switch (node.type) {
    case 'string': {
      const parts = stringParts(node);
      if (parts.value !== null) return { value: parts.value, literal: node, literalUnit: unit };
      // f-string: keep the static text, mark the fields
      let text = '';
      let last = parts.contentStart;
      for (const c of node.namedChildren) {
        if (c?.type !== 'interpolation') continue;
        text += node.text.slice(last - node.startIndex, c.startIndex - node.startIndex) + '{…}';
        last = c.endIndex;
      }
      text += node.text.slice(last - node.startIndex, parts.contentEnd - node.startIndex);
      return { value: text, partial: true, literal: node, literalUnit: unit };
    }
    case 'concatenated_string': {
      const parts = node.namedChildren.map((c) => stringValue(index, c, depth + 1));
      if (parts.some((p) => !p)) return null;
      return { value: parts.map((p) => p!.value).join(''), partial: parts.some((p) => p!.partial) };
    }
    case 'parenthesized_expression':
      return stringValue(index, node.namedChild(0), depth + 1);
    case 'binary_operator': {
      const op = node.childForFieldName('operator')?.text;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (op === '+') {
        const a = stringValue(index, left, depth + 1);
        const b = stringValue(index, right, depth + 1);
        if (!a || !b) return null;
        return { value: a.value + b.value, partial: a.partial || b.partial, fileRelative: a.fileRelative };
      }
      if (op === '/') {
        // pathlib: Path("data") / "raw.csv"
        const b = stringValue(index, right, depth + 1);
        if (!b) return null;
        if (isFileDir(index, left)) return { value: b.value, partial: b.partial, fileRelative: true };
        const a = stringValue(index, left, depth + 1);
        if (!a) return null;
        return { value: joinPath(a.value, b.value), partial: a.partial || b.partial, fileRelative: a.fileRelative };
      }
      if (op === '%') {
        const a = stringValue(index, left, depth + 1);
        return a ? { value: a.value.replace(/%[-#0 +]*\d*(?:\.\d+)?[sdifr]/g, '{…}'), partial: true } : null;
      }
      return null;
    }
    case 'call': {
      const site = index.callAt(node);
      if (!site) return null;
      const q = site.qualified ?? site.callee ?? '';
      if (ENV_LOOKUPS.test(q) || /(^|\.)environ\.get$/.test(site.callee ?? '')) {
        const def = site.keywords.get('default') ?? site.positional[1];
        return def ? stringValue(index, def, depth + 1) : null;
      }
      if (/^(os\.path\.join|posixpath\.join)$/.test(q)) {
        let fileRelative = false;
        const parts: string[] = [];
        for (const [i, a] of site.positional.entries()) {
          if (i === 0 && isFileDir(index, a)) {
            fileRelative = true;
            continue;
          }
          const v = stringValue(index, a, depth + 1);
          if (!v) return null;
          parts.push(v.value);
        }
        return { value: parts.reduce((acc, p) => (acc ? joinPath(acc, p) : p), ''), fileRelative };
      }
      if (PATH_CTORS.test(q) && site.positional.length >= 1) {
        let fileRelative = false;
        const parts: string[] = [];
        for (const [i, a] of site.positional.entries()) {
          if (i === 0 && isFileDir(index, a)) {
            fileRelative = true;
            continue;
          }
          const v = stringValue(index, a, depth + 1);
          if (!v) return null;
          parts.push(v.value);
        }
        return { value: parts.reduce((acc, p) => (acc ? joinPath(acc, p) : p), ''), fileRelative };
      }
      if (site.method === 'format' && site.receiver) {
        const base = stringValue(index, site.receiver, depth + 1);
        return base ? { value: base.value.replace(/\{[^{}]*\}/g, '{…}'), partial: true } : null;
      }
      if (site.method === 'text' && /(^|\.)sqlalchemy(\.sql)?\.text$|^text$/.test(q) && site.positional[0]) return stringValue(index, site.positional[0], depth + 1);
      if ((site.method === 'resolve' || site.method === 'absolute' || site.method === 'as_posix' || site.method === 'expanduser') && site.receiver) return stringValue(index, site.receiver, depth + 1);
      if (q === 'str' && site.positional[0]) return stringValue(index, site.positional[0], depth + 1);
      return null;
    }
    case 'identifier':
      return stringValue(index, bindingValue(index, node), depth + 1);
    case 'attribute': {
      // CONFIG.path-like chains are not resolved; `settings.DATA_PATH` stays unknown
      return null;
    }
    default:
      return null;
  }
}

/** `Path(__file__).parent`, `os.path.dirname(__file__)`, `HERE` bound to one of them. */
function isFileDir(index: ProgramIndex, node: Node | null, depth = 0): boolean {
  if (!node || depth > 4) return false;
  const t = node.text.replace(/\s+/g, '');
  if (/^(pathlib\.)?Path\(__file__\)(\.resolve\(\))?\.parent$/.test(t) || /^os\.path\.dirname\((os\.path\.abspath\()?__file__\)?\)$/.test(t)) return true;
  if (node.type === 'identifier') return isFileDir(index, bindingValue(index, node), depth + 1);
  return false;
}

/**
 * The expression a name was last bound to before `use`, in the same function or (when the
 * function never binds it) at module level; null when the binding is ambiguous or unknown.
 */
export function bindingValue(index: ProgramIndex, use: Node): Node | null {
  const name = use.text;
  const scope = scopeOf(use);
  if (scope) {
    let found: Node | null = null;
    let bound = false;
    for (const a of scope.descendantsOfType('assignment')) {
      if (!a || scopeOf(a)?.id !== scope.id) continue;
      const left = a.childForFieldName('left');
      if (left?.type === 'identifier' && left.text === name) {
        bound = true;
        if (a.endIndex <= use.startIndex) found = a.childForFieldName('right');
      }
    }
    if (bound) return found;
    for (const p of scope.childForFieldName('parameters')?.namedChildren ?? []) {
      if (!p) continue;
      const id = p.type === 'identifier' ? p : (p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier'));
      if (id?.text === name) return null; // a parameter: its value comes from the caller
    }
  }
  return index.moduleValue(name)?.node ?? null;
}

export function joinPath(a: string, b: string): string {
  if (/^([A-Za-z]:[\\/]|\/)/.test(b)) return b;
  if (!a) return b;
  return a.replace(/[\\/]+$/, '') + '/' + b.replace(/^\.\//, '');
}

/** String lists: `["a", "b"]`, `("a",)`, a name bound to one, `A + ["c"]`. */
export function stringList(index: ProgramIndex, node: Node | null | undefined, depth = 0): string[] | null {
  if (!node || depth > 6) return null;
  switch (node.type) {
    case 'list':
    case 'tuple':
    case 'set': {
      const out: string[] = [];
      for (const c of node.namedChildren) {
        if (!c || c.type === 'comment') continue;
        if (c.type === 'list_splat') {
          const inner = stringList(index, c.namedChild(0), depth + 1);
          if (!inner) return null;
          out.push(...inner);
          continue;
        }
        const v = stringValue(index, c, depth + 1);
        if (!v || v.partial) return null;
        out.push(v.value);
      }
      return out;
    }
    case 'parenthesized_expression':
      return stringList(index, node.namedChild(0), depth + 1);
    case 'binary_operator': {
      if (node.childForFieldName('operator')?.text !== '+') return null;
      const a = stringList(index, node.childForFieldName('left'), depth + 1);
      const b = stringList(index, node.childForFieldName('right'), depth + 1);
      return a && b ? [...a, ...b] : null;
    }
    case 'identifier':
      return stringList(index, bindingValue(index, node), depth + 1);
    default:
      return null;
  }
}

/** `{"a": "int64", "b": float}` → entries with the source text of each value; a name bound to a dict is followed. */
export function dictEntries(index: ProgramIndex, node: Node | null | undefined, depth = 0): { key: string; value: Node }[] | null {
  if (!node || depth > 4) return null;
  if (node.type === 'identifier') return dictEntries(index, bindingValue(index, node), depth + 1);
  if (node.type === 'call') {
    const site = index.callAt(node);
    if (site?.callee === 'dict' && site.positional.length === 0) {
      return [...site.keywords.entries()].map(([key, value]) => ({ key, value }));
    }
    return null;
  }
  if (node.type !== 'dictionary') return null;
  const out: { key: string; value: Node }[] = [];
  for (const pair of node.namedChildren) {
    if (!pair || pair.type === 'comment') continue;
    if (pair.type !== 'pair') return null;
    const k = stringValue(index, pair.childForFieldName('key'), depth + 1);
    const v = pair.childForFieldName('value');
    if (!k || k.partial || !v) return null;
    out.push({ key: k.value, value: v });
  }
  return out;
}


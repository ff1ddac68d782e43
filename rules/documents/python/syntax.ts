import type { Node } from './syntax-tree';

/** Small helpers over tree-sitter-python nodes, shared by every Python rule. */

/** `a.b.c` for identifiers and attribute chains; null for anything else (calls, subscripts …). */
export function dottedName(node: Node | null | undefined): string | null {
  if (!node) return null;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') {
    const object = dottedName(node.childForFieldName('object'));
    const attr = node.childForFieldName('attribute');
    return object && attr ? `${object}.${attr.text}` : null;
  }
  return null;
}

/** The position of `arg` among the positional arguments of an argument list (comments and keywords skipped), or -1. */
export function positionalIndex(list: Node, arg: Node): number {
  let index = 0;
  for (const c of list.namedChildren) {
    if (c.type === 'comment' || c.type === 'keyword_argument') continue;
    if (c.id === arg.id) return index;
    index++;
  }
  return -1;
}

/** The statement that contains a node (the node itself if it is one). */
export function statementOf(node: Node): Node {
  let n: Node | null = node;
  while (n && n.parent && !isBlockLike(n.parent)) n = n.parent;
  return n ?? node;
}

function isBlockLike(n: Node): boolean {
  return n.type === 'module' || n.type === 'block';
}

export function ancestors(node: Node): Node[] {
  const out: Node[] = [];
  for (let n = node.parent; n; n = n.parent) out.push(n);
  return out;
}

export function enclosing(node: Node, types: readonly string[]): Node | null {
  for (let n = node.parent; n; n = n.parent) if (types.includes(n.type)) return n;
  return null;
}

export function enclosingFunction(node: Node): Node | null {
  return enclosing(node, ['function_definition', 'lambda']);
}

/**
 * True for a string that is a statement on its own: a docstring, or a bare string used as a
 * comment. Its content is prose, not a value the program uses.
 */
export function isDocstring(stringNode: Node): boolean {
  const stmt = stringNode.parent;
  return !!stmt && stmt.type === 'expression_statement' && stmt.namedChildCount === 1;
}

/** True for `if __name__ == "__main__":` blocks. */
export function isMainGuard(ifNode: Node): boolean {
  if (ifNode.type !== 'if_statement') return false;
  const cond = ifNode.childForFieldName('condition');
  return !!cond && /^__name__\s*==\s*['"]__main__['"]$|^['"]__main__['"]\s*==\s*__name__$/.test(cond.text);
}

export interface StringParts {
  prefix: string;
  /** Offsets of the literal's content, without prefix and quotes. */
  contentStart: number;
  contentEnd: number;
  /** The decoded value; null when the literal interpolates (f-string with fields). */
  value: string | null;
}

export function stringParts(node: Node): StringParts {
  // read from the tree's arrays: asked of every string literal, and its children (string_start,
  // content, interpolations, string_end) need not become node objects for it
  const tree = node.tree;
  const source = tree.source;
  let first = -1;
  let last = -1;
  let interpolated = false;
  for (let c = node.order + 1; c <= node.last; c = tree.lasts[c] + 1) {
    if (first < 0) first = c;
    last = c;
    if (!interpolated && tree.typeAt(c) === 'interpolation') interpolated = true;
  }
  const opens = first >= 0 && tree.typeAt(first) === 'string_start';
  const contentStart = opens ? tree.ends[first] : node.startIndex;
  const contentEnd = last >= 0 && tree.typeAt(last) === 'string_end' ? tree.starts[last] : node.endIndex;
  let prefix = '';
  if (opens) {
    let quote = tree.starts[first];
    const stop = tree.ends[first];
    while (quote < stop && source[quote] !== '"' && source[quote] !== "'") quote++;
    prefix = source.slice(tree.starts[first], quote).toLowerCase();
  }
  if (interpolated) return { prefix, contentStart, contentEnd, value: null };
  const raw = source.slice(contentStart, contentEnd);
  const value = !prefix.includes('r') && raw.includes('\\') ? unescapePython(raw) : raw;
  return { prefix, contentStart, contentEnd, value };
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

function unescapePython(raw: string): string {
  return raw.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\s\S])/g, (whole, e: string) => {
    if (e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
    return SIMPLE_ESCAPES[e] ?? whole;
  });
}

/** Python source for a string literal holding `value`, using double quotes. */
export function pythonStringLiteral(value: string): string {
  return JSON.stringify(value).replace(/\\u([0-9a-f]{4})/g, (_m, h: string) => `\\u${h}`);
}

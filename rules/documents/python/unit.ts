import type { Node, Tree } from 'web-tree-sitter';
import { TextUnit } from '../../core/units';
import { maskMagics, type Magic, type MaskedSource } from './magics';
import { parsePython, pythonQuery } from './parser';
import { changedSpan } from '../../core/changed-span';

/**
 * The node kinds the rules look at, collected by one query that runs inside wasm: one pass per
 * unit serves every rule, instead of each rule walking the tree from JavaScript.
 */
const INDEX_QUERY = `
(call) @call
(string) @string
(import_statement) @import
(import_from_statement) @import
(function_definition) @function
(class_definition) @class
(assignment) @assignment
(augmented_assignment) @assignment
(with_statement) @with
(try_statement) @try
(except_clause) @except
(for_statement) @loop
(while_statement) @loop
(comment) @comment
(decorator) @decorator
(if_statement) @if
(ERROR) @error
(MISSING) @error
`;

export type IndexKind = 'call' | 'string' | 'import' | 'function' | 'class' | 'assignment' | 'with' | 'try' | 'except' | 'loop' | 'comment' | 'decorator' | 'if' | 'error';

/** A Python text unit: a .py file, or one code cell of a notebook. */
export class PythonUnit extends TextUnit {
  readonly tree: Tree;
  readonly magics: Magic[];
  /** Set when the cell is not Python at all (`%%bash` …). */
  readonly foreignCellMagic?: Magic;
  private index?: Map<IndexKind, Node[]>;

  constructor(
    text: string,
    cell: number | undefined,
    fileOffsets: ((offset: number) => number) | undefined,
    /** Position of this unit in its program (0 for a .py file, the code-cell ordinal in a notebook). */
    readonly ordinal: number,
    allowMagics: boolean,
  ) {
    super(text, cell, fileOffsets);
    const reused = activeCache?.take(text, cell, allowMagics);
    const masked = reused?.masked ?? mask(text, allowMagics);
    this.magics = masked.magics;
    this.foreignCellMagic = masked.foreignCellMagic;
    this.tree = reused?.tree ?? parsePython(masked.python);
  }

  get root(): Node {
    return this.tree.rootNode;
  }

  nodes(kind: IndexKind): Node[] {
    if (!this.index) {
      const index = new Map<IndexKind, Node[]>();
      for (const capture of pythonQuery(INDEX_QUERY).captures(this.tree.rootNode)) {
        const kind = capture.name as IndexKind;
        let list = index.get(kind);
        if (!list) index.set(kind, (list = []));
        list.push(capture.node);
      }
      this.index = index;
    }
    return this.index.get(kind) ?? [];
  }

  get hasSyntaxError(): boolean {
    return this.tree.rootNode.hasError;
  }

  dispose(): void {
    this.tree.delete();
  }
}

function mask(text: string, allowMagics: boolean): MaskedSource {
  return allowMagics ? maskMagics(text) : { python: text, magics: [] };
}

let activeCache: ParseCache | undefined;

/**
 * Loads a document with `cache` supplying the trees of its Python units (see ParseCache). Loading
 * is synchronous, so the cache is in effect exactly for the units `load` creates.
 */
export function withParseCache<T>(cache: ParseCache | undefined, load: () => T): T {
  if (!cache) return load();
  const previous = activeCache;
  activeCache = cache;
  try {
    return load();
  } finally {
    activeCache = previous;
    cache.commit();
  }
}

interface CachedParse {
  cell: number | undefined;
  source: string;
  allowMagics: boolean;
  masked: MaskedSource;
  /** A copy owned by the cache; units get copies of it (trees are reference-counted in wasm). */
  tree: Tree;
}

/**
 * The parses of one open document, kept between lints by the language server: a unit whose text
 * did not change (most cells of a notebook, on each keystroke) gets a copy of its previous tree
 * without parsing; a changed unit is re-parsed incrementally from its previous tree, edited by the
 * span that differs (common prefix and suffix). tree-sitter's error recovery can differ between an
 * incremental and a fresh parse, so a re-parse that has errors is redone from scratch: findings
 * never depend on the editing history.
 */
export class ParseCache {
  private entries: CachedParse[] = [];
  private next: CachedParse[] = [];
  private consumed = new Set<CachedParse>();
  /** Units parsed, reused as they were, and re-parsed incrementally (for tests and logs). */
  readonly stats = { fresh: 0, reused: 0, incremental: 0 };

  take(source: string, cell: number | undefined, allowMagics: boolean): { masked: MaskedSource; tree: Tree } {
    let same: CachedParse | undefined;
    let base: CachedParse | undefined;
    for (const e of this.entries) {
      if (this.consumed.has(e) || e.allowMagics !== allowMagics) continue;
      if (e.source === source) {
        same = e;
        break;
      }
      if (e.cell === cell && !base) base = e;
    }
    if (same) {
      this.consumed.add(same);
      this.next.push(same);
      this.stats.reused++;
      return { masked: same.masked, tree: same.tree.copy() };
    }
    const masked = mask(source, allowMagics);
    let tree: Tree | undefined;
    if (base) {
      this.consumed.add(base);
      base.tree.edit(diffEdit(base.masked.python, masked.python));
      tree = parsePython(masked.python, base.tree);
      if (tree.rootNode.hasError) {
        tree.delete();
        tree = undefined;
      } else this.stats.incremental++;
    }
    if (!tree) {
      tree = parsePython(masked.python);
      this.stats.fresh++;
    }
    this.next.push({ cell, source, allowMagics, masked, tree: tree.copy() });
    return { masked, tree };
  }

  /** After a load: keeps the parses it used, frees the others. */
  commit(): void {
    const kept = new Set(this.next);
    for (const e of this.entries) if (!kept.has(e)) e.tree.delete();
    this.entries = this.next;
    this.next = [];
    this.consumed.clear();
  }

  dispose(): void {
    this.commit();
    for (const e of this.entries) e.tree.delete();
    this.entries = [];
  }
}

/** The edit that turns `before` into `after`: the span between their common prefix and suffix. */
function diffEdit(before: string, after: string) {
  const { start, oldEnd, newEnd } = changedSpan(before, after);
  return {
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: pointAt(before, start),
    oldEndPosition: pointAt(before, oldEnd),
    newEndPosition: pointAt(after, newEnd),
  };
}

/** Row and column (UTF-16 code units, as web-tree-sitter counts them) of an offset. */
function pointAt(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

import type { Tree } from 'web-tree-sitter';
import { TextUnit } from '../../core/units';
import { maskMagics, type Magic, type MaskedSource } from './magics';
import { mirrorPython, parsePython } from './parser';
import { changedSpan } from '../../core/changed-span';
import type { SyntaxNode, SyntaxTree } from './syntax-tree';

/**
 * The node kinds rules look up, and the grammar types behind each. The tree's copy (syntax-tree.ts)
 * lists every node by type as it is made, so these lists cost no walk of their own.
 */
const INDEX_TYPES = {
  call: ['call'],
  string: ['string'],
  import: ['import_statement', 'import_from_statement'],
  function: ['function_definition'],
  class: ['class_definition'],
  assignment: ['assignment', 'augmented_assignment'],
  with: ['with_statement'],
  try: ['try_statement'],
  except: ['except_clause'],
  loop: ['for_statement', 'while_statement'],
  comment: ['comment'],
  decorator: ['decorator'],
  if: ['if_statement'],
  error: ['ERROR'],
} as const;

export type IndexKind = keyof typeof INDEX_TYPES;

/** SyntaxTree memo key of a unit's node lists by kind. */
const UNIT_INDEX = {};

/** A Python text unit: a .py file, or one code cell of a notebook. */
export class PythonUnit extends TextUnit {
  readonly tree: SyntaxTree;
  readonly magics: Magic[];
  /** Set when the cell is not Python at all (`%%bash` …). */
  readonly foreignCellMagic?: Magic;
  private index?: Map<IndexKind, SyntaxNode[]>;

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
    this.tree = reused?.tree ?? parseAndMirror(masked.python);
  }

  get root(): SyntaxNode {
    return this.tree.rootNode;
  }

  /** Nodes of an indexed kind, in document order (named nodes only, as a query would match). */
  nodes(kind: IndexKind): SyntaxNode[] {
    // kept with the tree, which an editor shares between the loads of unchanged cells
    this.index ??= this.tree.memo(UNIT_INDEX, () => new Map<IndexKind, SyntaxNode[]>());
    let list = this.index.get(kind);
    if (!list) {
      const types = INDEX_TYPES[kind];
      list = types.length === 1 ? this.tree.ofType(types[0]) : types.flatMap((t) => this.tree.ofType(t)).sort((a, b) => a.order - b.order);
      list = list.filter((n) => n.isNamed);
      if (kind === 'error') list = [...list, ...this.tree.missing()].sort((a, b) => a.order - b.order);
      this.index.set(kind, list);
    }
    return list;
  }

  get hasSyntaxError(): boolean {
    return this.tree.rootNode.hasError;
  }

  /** Nothing to free: the wasm tree was freed once copied (or belongs to a ParseCache). */
  dispose(): void {}

  /** Drops the node index and the links between the tree's nodes (PythonProgram.release). */
  release(): void {
    this.tree.release();
    this.index = undefined;
  }
}

function parseAndMirror(python: string): SyntaxTree {
  const tree = parsePython(python);
  try {
    return mirrorPython(python, tree);
  } finally {
    tree.delete();
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
  cache.beginLoad();
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
  /** The wasm tree, kept for the next incremental parse. */
  parsed: Tree;
  /** Its copy, which units share (a tree's copy is never changed once made). */
  tree: SyntaxTree;
}

/**
 * The parses of one open document, kept between lints by the language server: a unit whose text
 * did not change (most cells of a notebook, on each keystroke) gets its previous tree without
 * parsing; a changed unit is re-parsed incrementally from its previous tree, edited by the span
 * that differs (common prefix and suffix). tree-sitter's error recovery can differ between an
 * incremental and a fresh parse, so a re-parse that has errors is redone from scratch: findings
 * never depend on the editing history.
 */
export class ParseCache {
  private entries: CachedParse[] = [];
  private next: CachedParse[] = [];
  private consumed = new Set<CachedParse>();
  /** Units parsed, reused as they were, and re-parsed incrementally (for tests and logs). */
  readonly stats = { fresh: 0, reused: 0, incremental: 0 };

  take(source: string, cell: number | undefined, allowMagics: boolean): { masked: MaskedSource; tree: SyntaxTree } {
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
      return { masked: same.masked, tree: same.tree };
    }
    const masked = mask(source, allowMagics);
    let parsed: Tree | undefined;
    if (base) {
      this.consumed.add(base);
      base.parsed.edit(diffEdit(base.masked.python, masked.python));
      parsed = parsePython(masked.python, base.parsed);
      if (parsed.rootNode.hasError) {
        parsed.delete();
        parsed = undefined;
      } else this.stats.incremental++;
    }
    if (!parsed) {
      parsed = parsePython(masked.python);
      this.stats.fresh++;
    }
    const tree = mirrorPython(masked.python, parsed);
    this.next.push({ cell, source, allowMagics, masked, parsed, tree });
    this.made.push(tree);
    return { masked, tree };
  }

  /** Trees parsed (not reused) by the last load. */
  private made: SyntaxTree[] = [];

  beginLoad(): void {
    this.made = [];
  }

  /**
   * After the lint of a load: the trees that load parsed forget the node objects the lint made.
   * A unit being edited gets a new tree on the next keystroke, so its nodes are garbage from now
   * on; dropped here they die young instead of surviving into the old generation while the cache
   * holds the tree. Trees reused as they were keep theirs (already old, and asked again).
   */
  forgetNewNodes(): void {
    for (const tree of this.made.splice(0)) tree.forgetNodes();
  }

  /** After a load: keeps the parses it used, frees the others. */
  commit(): void {
    const kept = new Set(this.next);
    for (const e of this.entries) if (!kept.has(e)) e.parsed.delete();
    this.entries = this.next;
    this.next = [];
    this.consumed.clear();
  }

  dispose(): void {
    this.commit();
    for (const e of this.entries) e.parsed.delete();
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

import type { Language, Tree } from 'web-tree-sitter';

/**
 * A parsed Python unit as plain JavaScript objects, copied out of tree-sitter in one walk.
 *
 * Rules ask many questions of many nodes (type, text, parent, fields, descendants). Asked of
 * web-tree-sitter's `Node`, each question crosses into wasm and allocates a fresh wrapper, and
 * `parent` re-walks from the root; that made the rules cost ten times the parse. Here the tree is
 * walked once with a tree cursor driven through the raw wasm exports (no wrapper per step), every
 * node becomes one `SyntaxNode`, and from then on every question is a property read. The wasm tree
 * can be freed as soon as the copy exists, so nothing a rule keeps pins wasm memory.
 *
 * `SyntaxNode` offers the part of web-tree-sitter's `Node` interface mlready uses, with the same
 * meaning (offsets in UTF-16 code units, `descendantsOfType` including the node itself, fields by
 * grammar field name), so rules read the same either way.
 */

/** The raw exports of web-tree-sitter's Emscripten module that the walk needs (see parser.ts). */
export interface TreeSitterExports {
  _ts_init(): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
  HEAP32: Int32Array;
}

const ERROR_SYMBOL = 65535;
const NO_CHILDREN: SyntaxNode[] = [];

let nextId = 1;

/** What the walk needs to know about a grammar, computed once per language. */
class GrammarTables {
  readonly types: string[];
  readonly named: boolean[];
  readonly fieldNames: (string | null)[];
  readonly fieldIds = new Map<string, number>();

  constructor(language: Language) {
    this.types = language.types.map((t) => t ?? 'ERROR');
    this.named = this.types.map((_t, id) => language.nodeTypeIsNamed(id));
    this.fieldNames = language.fields;
    language.fields.forEach((name, id) => {
      if (name && !this.fieldIds.has(name)) this.fieldIds.set(name, id);
    });
  }

  type(id: number): string {
    return id === ERROR_SYMBOL ? 'ERROR' : (this.types[id] ?? 'ERROR');
  }

  isNamed(id: number): boolean {
    return id === ERROR_SYMBOL || this.named[id] === true;
  }
}

const tablesByLanguage = new WeakMap<Language, GrammarTables>();

export class SyntaxNode {
  readonly id: number;
  /** Position in the tree's pre-order, and the last pre-order position inside this node. */
  readonly order: number;
  last: number;
  parent: SyntaxNode | null;
  children: SyntaxNode[] = NO_CHILDREN;
  /** Grammar field id under the parent (0: none). */
  readonly fieldId: number;
  /** This node is an error, a missing token, or contains one. */
  hasError: boolean;
  private cachedText: string | undefined = undefined;
  private cachedNamed: SyntaxNode[] | undefined = undefined;

  constructor(
    readonly tree: SyntaxTree,
    readonly type: string,
    readonly isNamed: boolean,
    readonly isMissing: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
    parent: SyntaxNode | null,
    fieldId: number,
    order: number,
  ) {
    this.id = nextId++;
    this.parent = parent;
    this.fieldId = fieldId;
    this.order = order;
    this.last = order;
    this.hasError = isMissing || type === 'ERROR';
  }

  /** Forgets the other nodes (SyntaxTree.release). */
  detach(): void {
    this.children = NO_CHILDREN;
    this.cachedNamed = undefined;
    this.parent = null;
  }

  get isError(): boolean {
    return this.type === 'ERROR';
  }

  get text(): string {
    return (this.cachedText ??= this.tree.source.slice(this.startIndex, this.endIndex));
  }

  get namedChildren(): SyntaxNode[] {
    return (this.cachedNamed ??= this.children.length ? this.children.filter((c) => c.isNamed) : NO_CHILDREN);
  }

  get childCount(): number {
    return this.children.length;
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  child(index: number): SyntaxNode | null {
    return this.children[index] ?? null;
  }

  namedChild(index: number): SyntaxNode | null {
    return this.namedChildren[index] ?? null;
  }

  get firstChild(): SyntaxNode | null {
    return this.children[0] ?? null;
  }

  get lastChild(): SyntaxNode | null {
    return this.children[this.children.length - 1] ?? null;
  }

  childForFieldName(name: string): SyntaxNode | null {
    const id = this.tree.fieldId(name);
    if (id === 0) return null;
    for (const c of this.children) if (c.fieldId === id) return c;
    return null;
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    const id = this.tree.fieldId(name);
    return id === 0 ? [] : this.children.filter((c) => c.fieldId === id);
  }

  fieldNameForChild(index: number): string | null {
    const c = this.children[index];
    return c ? this.tree.fieldName(c.fieldId) : null;
  }

  get nextSibling(): SyntaxNode | null {
    return this.sibling(1, false);
  }

  get previousSibling(): SyntaxNode | null {
    return this.sibling(-1, false);
  }

  get nextNamedSibling(): SyntaxNode | null {
    return this.sibling(1, true);
  }

  get previousNamedSibling(): SyntaxNode | null {
    return this.sibling(-1, true);
  }

  private sibling(step: 1 | -1, named: boolean): SyntaxNode | null {
    const siblings = this.parent?.children;
    if (!siblings) return null;
    for (let i = siblings.indexOf(this) + step; i >= 0 && i < siblings.length; i += step) {
      if (!named || siblings[i].isNamed) return siblings[i];
    }
    return null;
  }

  /** Nodes of these types in this subtree, the node itself included, in document order. */
  descendantsOfType(types: string | readonly string[]): SyntaxNode[] {
    if (typeof types === 'string') return this.tree.ofTypeWithin(types, this);
    if (types.length === 1) return this.tree.ofTypeWithin(types[0], this);
    const out = types.flatMap((t) => this.tree.ofTypeWithin(t, this));
    return out.sort((a, b) => a.order - b.order);
  }

  /** The smallest node in this subtree that spans [start, end] (offsets). */
  descendantForIndex(start: number, end = start): SyntaxNode {
    let node: SyntaxNode = this;
    for (;;) {
      const inner: SyntaxNode | undefined = node.children.find((c) => c.startIndex <= start && end <= c.endIndex && (c.endIndex > c.startIndex || start === end));
      if (!inner) return node;
      node = inner;
    }
  }

  /** True when `other` is this node or inside it. */
  contains(other: SyntaxNode): boolean {
    return other.tree === this.tree && other.order >= this.order && other.order <= this.last;
  }

  get startPosition(): { row: number; column: number } {
    return this.tree.pointAt(this.startIndex);
  }

  get endPosition(): { row: number; column: number } {
    return this.tree.pointAt(this.endIndex);
  }

  equals(other: SyntaxNode): boolean {
    return other === this;
  }

  toString(): string {
    return `(${this.type} ${this.startIndex}-${this.endIndex})`;
  }
}

/** Nodes inside `node` among a type's nodes (pre-order): a binary search for the first, then a run. */
function within(list: SyntaxNode[], node: SyntaxNode): SyntaxNode[] {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].order < node.order) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < list.length && list[end].order <= node.last) end++;
  return lo === 0 && end === list.length ? list : list.slice(lo, end);
}

export class SyntaxTree {
  rootNode: SyntaxNode;
  private byType = new Map<string, SyntaxNode[]>();
  private lineStarts: number[] | undefined;
  private readonly tables: GrammarTables;
  readonly nodeCount: number;

  constructor(
    /** The text that was parsed (for notebooks and magics: the masked Python). */
    readonly source: string,
    tree: Tree,
    exports: TreeSitterExports,
    transferBuffer: number,
  ) {
    const language = tree.language;
    let tables = tablesByLanguage.get(language);
    if (!tables) tablesByLanguage.set(language, (tables = new GrammarTables(language)));
    this.tables = tables;
    const { root, count } = this.copy(tree, exports, transferBuffer, tables);
    this.rootNode = root;
    this.nodeCount = count;
  }

  /** Every node of a type in the tree, in document order (do not mutate). */
  ofType(type: string): SyntaxNode[] {
    return this.byType.get(type) ?? NO_CHILDREN;
  }

  ofTypeWithin(type: string, node: SyntaxNode): SyntaxNode[] {
    const list = this.byType.get(type);
    if (!list) return NO_CHILDREN;
    return node === this.rootNode ? list : within(list, node);
  }

  /** Every missing token (inserted by error recovery), in document order. */
  missing(): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    // iterative: error recovery can nest thousands deep
    const stack = this.rootNode.hasError ? [this.rootNode] : [];
    while (stack.length) {
      const n = stack.pop()!;
      if (n.isMissing) out.push(n);
      for (let i = n.children.length - 1; i >= 0; i--) if (n.children[i].hasError) stack.push(n.children[i]);
    }
    return out;
  }

  fieldId(name: string): number {
    return this.tables.fieldIds.get(name) ?? 0;
  }

  fieldName(id: number): string | null {
    return id ? (this.tables.fieldNames[id] ?? null) : null;
  }

  pointAt(offset: number): { row: number; column: number } {
    const starts = (this.lineStarts ??= lineStartsOf(this.source));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { row: lo, column: offset - starts[lo] };
  }

  /**
   * Drops the links between nodes, for a tree whose analysis is over but whose nodes closures may
   * still hold (a scan's pending conditions): each node then keeps only its own fields and text.
   */
  release(): void {
    for (const list of this.byType.values()) {
      for (const n of list) n.detach();
    }
    this.byType = new Map();
    this.lineStarts = undefined;
  }

  /**
   * One pre-order walk with a cursor kept in web-tree-sitter's transfer buffer: each step is one
   * call into wasm, with no JavaScript wrapper for the cursor or the node in between.
   */
  private copy(tree: Tree, C: TreeSitterExports, buffer: number, tables: GrammarTables): { root: SyntaxNode; count: number } {
    const withErrors = tree.rootNode.hasError;
    // leaves the cursor's state in the transfer buffer: nothing else may use the buffer until the end
    const cursor = tree.walk();
    const t = (tree as unknown as { [0]: number })[0];
    const byType = this.byType;
    const add = (node: SyntaxNode) => {
      let list = byType.get(node.type);
      if (!list) byType.set(node.type, (list = []));
      list.push(node);
    };
    const stack: SyntaxNode[] = [];
    let order = 0;
    let root: SyntaxNode | undefined;
    try {
      for (;;) {
        const typeId = C._ts_tree_cursor_current_node_type_id_wasm(t);
        const parent = stack.length ? stack[stack.length - 1] : null;
        const type = tables.type(typeId);
        const node = new SyntaxNode(
          this,
          type,
          tables.isNamed(typeId),
          withErrors && C._ts_tree_cursor_current_node_is_missing_wasm(t) === 1,
          C._ts_tree_cursor_start_index_wasm(t),
          C._ts_tree_cursor_end_index_wasm(t),
          parent,
          parent ? C._ts_tree_cursor_current_field_id_wasm(t) : 0,
          order++,
        );
        if (parent) {
          if (parent.children === NO_CHILDREN) parent.children = [];
          parent.children.push(node);
        } else root = node;
        add(node);
        if (C._ts_tree_cursor_goto_first_child_wasm(t)) {
          stack.push(node);
          continue;
        }
        let done = false;
        while (!C._ts_tree_cursor_goto_next_sibling_wasm(t)) {
          const finished = stack.pop();
          if (!finished || !C._ts_tree_cursor_goto_parent_wasm(t)) {
            done = true;
            break;
          }
          finished.last = order - 1;
          for (const c of finished.children) if (c.hasError) finished.hasError = true;
        }
        if (done) break;
      }
    } finally {
      // the cursor's state (its stack may have been reallocated) is in the buffer, not the wrapper
      const raw = cursor as unknown as Record<number, number>;
      const heap = C.HEAP32;
      for (let i = 0; i < 4; i++) raw[i] = heap[(buffer >> 2) + i];
      cursor.delete();
    }
    if (!root) throw new Error('mlready: tree-sitter returned an empty tree');
    root.last = order - 1;
    for (const c of root.children) if (c.hasError) root.hasError = true;
    return { root, count: order };
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The node type rules import: a mirrored tree-sitter node. */
export type Node = SyntaxNode;

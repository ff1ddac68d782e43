import type { Language, Tree } from 'web-tree-sitter';
import { firstAtOrAfter } from '../../core/sorted';

/**
 * A parsed Python unit in JavaScript, copied out of tree-sitter in one walk.
 *
 * Rules ask many questions of many nodes (type, text, parent, fields, descendants). Asked of
 * web-tree-sitter's `Node`, each question crosses into wasm and allocates a fresh wrapper, and
 * `parent` re-walks from the root; that made the rules cost ten times the parse. Here the tree is
 * walked once with a tree cursor driven through the raw wasm exports (no wrapper per step) into
 * parallel typed arrays in pre-order; a `SyntaxNode` object is made for a node when a rule first
 * reaches it, and every question is then an array or property read. The wasm tree can be freed as
 * soon as the copy exists, so nothing a rule keeps pins wasm memory.
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
const NO_INDEX = new Int32Array(0);

/** Bits of `SyntaxTree.flags`. */
const NAMED = 1;
const MISSING = 2;
/** The node is an error, a missing token, or contains one. */
const HAS_ERROR = 4;

let nextId = 1;

/** What the walk needs to know about a grammar, computed once per language. */
class GrammarTables {
  readonly fieldNames: (string | null)[];
  readonly fieldIds = new Map<string, number>();
  /** Type name of each kind; kinds that share a name (aliases) share one kind. */
  readonly kindNames: string[] = [];
  private readonly kindOfName = new Map<string, number>();
  /** Kind of each grammar symbol. */
  private readonly kinds: Uint16Array;
  private readonly named: Uint8Array;
  readonly errorKind: number;

  constructor(language: Language) {
    const types = language.types.map((t) => t ?? 'ERROR');
    this.kinds = new Uint16Array(types.length);
    this.named = new Uint8Array(types.length);
    types.forEach((name, id) => {
      this.kinds[id] = this.kindFor(name);
      this.named[id] = language.nodeTypeIsNamed(id) ? 1 : 0;
    });
    this.errorKind = this.kindFor('ERROR');
    this.fieldNames = language.fields;
    language.fields.forEach((name, id) => {
      if (name && !this.fieldIds.has(name)) this.fieldIds.set(name, id);
    });
  }

  private kindFor(name: string): number {
    let kind = this.kindOfName.get(name);
    if (kind === undefined) {
      kind = this.kindNames.length;
      this.kindNames.push(name);
      this.kindOfName.set(name, kind);
    }
    return kind;
  }

  /** The kind of a grammar symbol (an unknown symbol is an error, as in tree-sitter). */
  kind(symbol: number): number {
    return symbol === ERROR_SYMBOL || symbol >= this.kinds.length ? this.errorKind : this.kinds[symbol];
  }

  kindOf(name: string): number | undefined {
    return this.kindOfName.get(name);
  }

  isNamed(symbol: number): boolean {
    return symbol === ERROR_SYMBOL || this.named[symbol] === 1;
  }
}

const tablesByLanguage = new WeakMap<Language, GrammarTables>();

/**
 * One node of a SyntaxTree. Nodes are made when a rule first reaches them (a list of a type, a
 * parent, a child), once each, so identity holds; their links to other nodes are answered from
 * the tree's arrays.
 */
export class SyntaxNode {
  readonly id: number;
  readonly type: string;
  readonly isNamed: boolean;
  readonly isMissing: boolean;
  /** This node is an error, a missing token, or contains one. */
  readonly hasError: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  /** Grammar field id under the parent (0: none). */
  readonly fieldId: number;
  /** The last pre-order position inside this node. */
  readonly last: number;
  private cachedText: string | undefined = undefined;
  private cachedParent: SyntaxNode | null | undefined = undefined;
  private cachedChildren: SyntaxNode[] | undefined = undefined;
  private cachedNamed: SyntaxNode[] | undefined = undefined;

  constructor(
    readonly tree: SyntaxTree,
    /** Position in the tree's pre-order. */
    readonly order: number,
  ) {
    this.id = nextId++;
    const flags = tree.flags[order];
    this.type = tree.typeAt(order);
    this.isNamed = (flags & NAMED) !== 0;
    this.isMissing = (flags & MISSING) !== 0;
    this.hasError = (flags & HAS_ERROR) !== 0;
    this.startIndex = tree.starts[order];
    this.endIndex = tree.ends[order];
    this.fieldId = tree.fields[order];
    this.last = tree.lasts[order];
  }

  /** Forgets the other nodes (SyntaxTree.release). */
  detach(): void {
    this.cachedParent = null;
    this.cachedChildren = NO_CHILDREN;
    this.cachedNamed = NO_CHILDREN;
  }

  get parent(): SyntaxNode | null {
    // rules walk up a great deal: after the first step, a field read
    if (this.cachedParent === undefined) this.cachedParent = this.tree.parentOf(this.order);
    return this.cachedParent;
  }

  get isError(): boolean {
    return this.type === 'ERROR';
  }

  get text(): string {
    return (this.cachedText ??= this.tree.source.slice(this.startIndex, this.endIndex));
  }

  get children(): SyntaxNode[] {
    return (this.cachedChildren ??= this.tree.childrenOf(this.order, false));
  }

  get namedChildren(): SyntaxNode[] {
    return (this.cachedNamed ??= this.tree.childrenOf(this.order, true));
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
    return this.tree.childWithField(this.order, this.tree.fieldId(name));
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
    return this.tree.siblingOf(this.order, 1, false);
  }

  get previousSibling(): SyntaxNode | null {
    return this.tree.siblingOf(this.order, -1, false);
  }

  get nextNamedSibling(): SyntaxNode | null {
    return this.tree.siblingOf(this.order, 1, true);
  }

  get previousNamedSibling(): SyntaxNode | null {
    return this.tree.siblingOf(this.order, -1, true);
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
    const inner = this.tree.innermostAt(this.order, start, end);
    return inner === this.order ? this : this.tree.node(inner);
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

/**
 * The nodes inside `node` (itself included) of a list in pre-order of one tree: a binary search for
 * the first, then a run. The list itself when all are inside (do not mutate the answer).
 */
export function within(list: readonly SyntaxNode[], node: SyntaxNode): SyntaxNode[] {
  const lo = firstAtOrAfter(list, node.order, (n) => n.order);
  let end = lo;
  while (end < list.length && list[end].order <= node.last) end++;
  return lo === 0 && end === list.length ? (list as SyntaxNode[]) : list.slice(lo, end);
}

/**
 * The tree as parallel arrays indexed by pre-order position, filled by one walk. The children of
 * node i are i + 1 and, after each child c, lasts[c] + 1, up to lasts[i]: no child lists are stored.
 * Typed arrays live outside the JavaScript heap, so a large tree costs the garbage collector
 * nothing to keep while its file is linted; node objects exist only for the nodes rules reach.
 */
export class SyntaxTree {
  readonly nodeCount: number;
  kinds: Uint16Array = new Uint16Array(0);
  starts: Int32Array = NO_INDEX;
  ends: Int32Array = NO_INDEX;
  parents: Int32Array = NO_INDEX;
  lasts: Int32Array = NO_INDEX;
  fields: Uint16Array = new Uint16Array(0);
  flags: Uint8Array = new Uint8Array(0);
  private nodes: (SyntaxNode | undefined)[];
  /** Nodes of each kind, in pre-order, made on first use. */
  private byKind: (SyntaxNode[] | undefined)[] = [];
  /** Pre-order positions grouped by kind (a counting sort), made on the first type list asked. */
  private kindIndex: { positions: Int32Array; startOf: Int32Array } | undefined;
  private released = false;
  private lineStarts: number[] | undefined;
  private readonly tables: GrammarTables;

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
    this.nodeCount = this.copy(tree, exports, transferBuffer, tables);
    this.nodes = new Array<SyntaxNode | undefined>(this.nodeCount);
    this.root = this.node(0);
  }

  /** The root, kept apart from `nodes` so that it stays answerable after `release`. */
  private root: SyntaxNode;

  get rootNode(): SyntaxNode {
    return this.root;
  }

  private memos?: Map<object, unknown>;

  /** An answer about this tree's nodes, computed once per set of node objects (see forgetNodes). */
  memo<T>(key: object, compute: () => T): T {
    this.memos ??= new Map();
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const value = compute();
    this.memos.set(key, value);
    return value;
  }

  /** A memo's answer if it was computed (and the nodes not forgotten since). */
  memoized<T>(key: object): T | undefined {
    return this.memos?.get(key) as T | undefined;
  }

  /**
   * Drops the node objects made so far, and every memo about them; the arrays stay, and nodes are
   * made again when next reached (other objects). For a tree an editor keeps between lints: the
   * nodes one lint made then die young instead of being kept, promoted and collected later.
   */
  forgetNodes(): void {
    if (this.released) return;
    this.nodes = new Array<SyntaxNode | undefined>(this.nodeCount);
    this.byKind = [];
    this.memos = undefined;
    this.root = this.node(0);
  }

  /** The node at a pre-order position (made once). */
  node(order: number): SyntaxNode {
    return (this.nodes[order] ??= new SyntaxNode(this, order));
  }

  typeAt(order: number): string {
    return this.tables.kindNames[this.kinds[order]];
  }

  parentOf(order: number): SyntaxNode | null {
    if (this.released || order === 0) return null;
    return this.node(this.parents[order]);
  }

  childrenOf(order: number, namedOnly: boolean): SyntaxNode[] {
    if (this.released) return NO_CHILDREN;
    const last = this.lasts[order];
    if (last === order) return NO_CHILDREN;
    const out: SyntaxNode[] = [];
    for (let c = order + 1; c <= last; c = this.lasts[c] + 1) if (!namedOnly || this.flags[c] & NAMED) out.push(this.node(c));
    return out.length ? out : NO_CHILDREN;
  }

  childWithField(order: number, fieldId: number): SyntaxNode | null {
    if (fieldId === 0 || this.released) return null;
    const last = this.lasts[order];
    for (let c = order + 1; c <= last; c = this.lasts[c] + 1) if (this.fields[c] === fieldId) return this.node(c);
    return null;
  }

  siblingOf(order: number, step: 1 | -1, namedOnly: boolean): SyntaxNode | null {
    if (this.released || order === 0) return null;
    const parent = this.parents[order];
    const end = this.lasts[parent];
    if (step === 1) {
      for (let c = this.lasts[order] + 1; c <= end; c = this.lasts[c] + 1) if (!namedOnly || this.flags[c] & NAMED) return this.node(c);
      return null;
    }
    let found = -1;
    for (let c = parent + 1; c < order; c = this.lasts[c] + 1) if (!namedOnly || this.flags[c] & NAMED) found = c;
    return found < 0 ? null : this.node(found);
  }

  /** The innermost position under `order` whose span holds [start, end] (descendantForIndex). */
  innermostAt(order: number, start: number, end: number): number {
    if (this.released) return order;
    let node = order;
    for (;;) {
      const last = this.lasts[node];
      let inner = -1;
      for (let c = node + 1; c <= last; c = this.lasts[c] + 1) {
        const s = this.starts[c];
        const e = this.ends[c];
        if (s <= start && end <= e && (e > s || start === end)) {
          inner = c;
          break;
        }
      }
      if (inner < 0) return node;
      node = inner;
    }
  }

  /** Every node of a type in the tree, in document order (do not mutate). */
  ofType(type: string): SyntaxNode[] {
    const kind = this.tables.kindOf(type);
    if (kind === undefined || this.released) return NO_CHILDREN;
    let list = this.byKind[kind];
    if (!list) {
      const { positions, startOf } = (this.kindIndex ??= this.indexKinds());
      const from = startOf[kind];
      const to = startOf[kind + 1];
      list = from === to ? NO_CHILDREN : new Array<SyntaxNode>(to - from);
      for (let i = from; i < to; i++) list[i - from] = this.node(positions[i]);
      this.byKind[kind] = list;
    }
    return list;
  }

  ofTypeWithin(type: string, node: SyntaxNode): SyntaxNode[] {
    const list = this.ofType(type);
    return node === this.rootNode || list.length === 0 ? list : within(list, node);
  }

  /** Positions grouped by kind, each group in pre-order: one counting sort over the tree. */
  private indexKinds(): { positions: Int32Array; startOf: Int32Array } {
    const kinds = this.kinds;
    const startOf = new Int32Array(this.tables.kindNames.length + 1);
    for (let i = 0; i < this.nodeCount; i++) startOf[kinds[i] + 1]++;
    for (let k = 1; k < startOf.length; k++) startOf[k] += startOf[k - 1];
    const next = startOf.slice(0, -1);
    const positions = new Int32Array(this.nodeCount);
    for (let i = 0; i < this.nodeCount; i++) positions[next[kinds[i]]++] = i;
    return { positions, startOf };
  }

  /** Every missing token (inserted by error recovery), in document order. */
  missing(): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    if (this.released) return out;
    // iterative: error recovery can nest thousands deep
    const stack = this.flags[0] & HAS_ERROR ? [0] : [];
    while (stack.length) {
      const n = stack.pop()!;
      if (this.flags[n] & MISSING) out.push(this.node(n));
      const children: number[] = [];
      for (let c = n + 1; c <= this.lasts[n]; c = this.lasts[c] + 1) if (this.flags[c] & HAS_ERROR) children.push(c);
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
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
    for (const n of this.nodes) n?.detach();
    this.released = true;
    this.memos = undefined;
    this.nodes = [];
    this.byKind = [];
    this.kindIndex = undefined;
    this.lineStarts = undefined;
    this.kinds = new Uint16Array(0);
    this.starts = this.ends = this.parents = this.lasts = NO_INDEX;
    this.fields = new Uint16Array(0);
    this.flags = new Uint8Array(0);
  }

  /**
   * One pre-order walk with a cursor kept in web-tree-sitter's transfer buffer: each step is one
   * call into wasm, with no JavaScript wrapper for the cursor or the node in between. Returns the
   * number of nodes.
   */
  private copy(tree: Tree, C: TreeSitterExports, buffer: number, tables: GrammarTables): number {
    const withErrors = tree.rootNode.hasError;
    // about one node per three characters of Python; the arrays grow if that is short
    this.allocate(Math.max(64, this.source.length >> 1));
    // leaves the cursor's state in the transfer buffer: nothing else may use the buffer until the end
    const cursor = tree.walk();
    const t = (tree as unknown as { [0]: number })[0];
    const stack: number[] = [];
    let count = 0;
    const errorKind = tables.errorKind;
    try {
      for (;;) {
        if (count === this.kinds.length) this.allocate(count * 2);
        const symbol = C._ts_tree_cursor_current_node_type_id_wasm(t);
        const kind = tables.kind(symbol);
        const missing = withErrors && C._ts_tree_cursor_current_node_is_missing_wasm(t) === 1;
        const i = count++;
        this.kinds[i] = kind;
        this.starts[i] = C._ts_tree_cursor_start_index_wasm(t);
        this.ends[i] = C._ts_tree_cursor_end_index_wasm(t);
        this.lasts[i] = i;
        this.flags[i] = (tables.isNamed(symbol) ? NAMED : 0) | (missing ? MISSING : 0) | (missing || kind === errorKind ? HAS_ERROR : 0);
        if (stack.length) {
          this.parents[i] = stack[stack.length - 1];
          this.fields[i] = C._ts_tree_cursor_current_field_id_wasm(t);
        } else {
          this.parents[i] = -1;
          this.fields[i] = 0;
        }
        if (C._ts_tree_cursor_goto_first_child_wasm(t)) {
          stack.push(i);
          continue;
        }
        let done = false;
        while (!C._ts_tree_cursor_goto_next_sibling_wasm(t)) {
          const finished = stack.pop();
          if (finished === undefined || !C._ts_tree_cursor_goto_parent_wasm(t)) {
            done = true;
            break;
          }
          this.lasts[finished] = count - 1;
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
    if (count === 0) throw new Error('mlready: tree-sitter returned an empty tree');
    this.lasts[0] = count - 1;
    // an error anywhere marks its ancestors: parents come before children in pre-order
    for (let i = count - 1; i > 0; i--) if (this.flags[i] & HAS_ERROR) this.flags[this.parents[i]] |= HAS_ERROR;
    return count;
  }

  /** Grows the arrays to `capacity` nodes, keeping what they hold. */
  private allocate(capacity: number): void {
    const grow = <A extends Uint8Array | Uint16Array | Int32Array>(old: A, make: (n: number) => A): A => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.kinds = grow(this.kinds, (n) => new Uint16Array(n));
    this.starts = grow(this.starts, (n) => new Int32Array(n));
    this.ends = grow(this.ends, (n) => new Int32Array(n));
    this.parents = grow(this.parents, (n) => new Int32Array(n));
    this.lasts = grow(this.lasts, (n) => new Int32Array(n));
    this.fields = grow(this.fields, (n) => new Uint16Array(n));
    this.flags = grow(this.flags, (n) => new Uint8Array(n));
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The node type rules import: a mirrored tree-sitter node. */
export type Node = SyntaxNode;

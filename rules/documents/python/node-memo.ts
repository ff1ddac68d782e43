import { Node, Tree, type Query } from 'web-tree-sitter';

/**
 * Memoises web-tree-sitter node properties per tree and node id.
 *
 * Every property of a web-tree-sitter `Node` crosses into wasm: `type`, `endIndex`, `text`,
 * `childForFieldName`, and above all `parent`, which in 0.25 re-walks from the root (cost: depth ×
 * siblings, so hundreds of steps under a long module). Rules ask the same questions about the same
 * nodes again and again (each rule walks up from its calls to the statement, the function …), and
 * each ask allocates a fresh `Node`. A tree never changes once parsed (until `Tree.edit`, which
 * resets the memo of that tree), so the answers are cached here: one `Memo` per (tree, node id),
 * shared by every `Node` object that denotes that node. Children learn their parent for free.
 *
 * The patch is installed once, on the prototypes, so that every rule benefits without being
 * rewritten; results are the values the library returns (the same objects for repeated asks).
 * Not supported (unused by mlready): `Tree.rootNodeWithOffset`, whose nodes share ids with the
 * unshifted ones. A `Node.edit` detaches that node object from the shared memo.
 */

class Memo {
  type: string | undefined = undefined;
  end = -1;
  text: string | undefined = undefined;
  parent: Node | null | undefined = undefined;
  children: (Node | null)[] | undefined = undefined;
  named: (Node | null)[] | undefined = undefined;
  fields: Map<string, Node | null> | undefined = undefined;
  descendants: Map<string, (Node | null)[]> | undefined = undefined;
  childCount = -1;
  namedChildCount = -1;
  hasError = -1;
  isNamed = -1;
  endPosition: { row: number; column: number } | undefined = undefined;
}

const MEMO = Symbol('mlready.memo');
const NODES = Symbol('mlready.nodes');
const ROOT = Symbol('mlready.root');
const SEEDED = Symbol('mlready.seeded');

type MemoNode = Node & { [MEMO]?: Memo };
type MemoTree = Tree & { [NODES]?: Map<number, Memo>; [ROOT]?: Node; [SEEDED]?: Set<Query> };

function memoOf(node: Node): Memo {
  const n = node as MemoNode;
  const own = n[MEMO];
  if (own !== undefined) return own;
  const tree = node.tree as MemoTree;
  let map = tree[NODES];
  if (map === undefined) tree[NODES] = map = new Map();
  let m = map.get(node.id);
  if (m === undefined) map.set(node.id, (m = new Memo()));
  n[MEMO] = m;
  return m;
}

/**
 * Records the parents of a query's `@child` captures (`@parent` in the same match) in one pass
 * inside wasm, once per tree and query: asking `parent` of every identifier costs depth² steps in a
 * deeply nested tree (each `parent` descends from the root).
 */
export function seedParents(tree: Tree, query: Query): void {
  const t = tree as MemoTree;
  const done = (t[SEEDED] ??= new Set());
  if (done.has(query)) return;
  done.add(query);
  for (const match of query.matches(tree.rootNode)) {
    let parent: Node | undefined;
    let child: Node | undefined;
    for (const c of match.captures) {
      if (c.name === 'parent') parent = c.node;
      else if (c.name === 'child') child = c.node;
    }
    if (parent && child) memoOf(child).parent ??= parent;
  }
}

let installed = false;

export function installNodeMemo(): void {
  if (installed) return;
  installed = true;
  const proto = Node.prototype;
  const get = (name: string) => {
    const d = Object.getOwnPropertyDescriptor(proto, name);
    if (!d?.get) throw new Error(`mlready: web-tree-sitter Node has no getter ${name}`);
    return d.get as (this: Node) => any;
  };
  const define = (name: string, fn: (this: Node) => unknown) =>
    Object.defineProperty(proto, name, { get: fn, configurable: true, enumerable: false });

  const type = get('type');
  define('type', function () {
    const m = memoOf(this);
    return m.type ?? (m.type = type.call(this));
  });
  const endIndex = get('endIndex');
  define('endIndex', function () {
    const m = memoOf(this);
    return m.end >= 0 ? m.end : (m.end = endIndex.call(this));
  });
  const text = get('text');
  define('text', function () {
    const m = memoOf(this);
    return m.text ?? (m.text = text.call(this));
  });
  const endPosition = get('endPosition');
  define('endPosition', function () {
    const m = memoOf(this);
    return m.endPosition ?? (m.endPosition = endPosition.call(this));
  });
  const childCount = get('childCount');
  define('childCount', function () {
    const m = memoOf(this);
    return m.childCount >= 0 ? m.childCount : (m.childCount = childCount.call(this));
  });
  const namedChildCount = get('namedChildCount');
  define('namedChildCount', function () {
    const m = memoOf(this);
    return m.namedChildCount >= 0 ? m.namedChildCount : (m.namedChildCount = namedChildCount.call(this));
  });
  const hasError = get('hasError');
  define('hasError', function () {
    const m = memoOf(this);
    if (m.hasError < 0) m.hasError = hasError.call(this) ? 1 : 0;
    return m.hasError === 1;
  });
  const isNamed = get('isNamed');
  define('isNamed', function () {
    const m = memoOf(this);
    if (m.isNamed < 0) m.isNamed = isNamed.call(this) ? 1 : 0;
    return m.isNamed === 1;
  });
  const parent = get('parent');
  define('parent', function () {
    const m = memoOf(this);
    if (m.parent === undefined) m.parent = parent.call(this) as Node | null;
    return m.parent;
  });
  const adopt = (self: Node, list: (Node | null)[]) => {
    for (const c of list) if (c) memoOf(c).parent ??= self;
  };
  const children = get('children');
  define('children', function () {
    const m = memoOf(this);
    if (m.children === undefined) adopt(this, (m.children = children.call(this)));
    return m.children;
  });
  const namedChildren = get('namedChildren');
  define('namedChildren', function () {
    const m = memoOf(this);
    if (m.named === undefined) adopt(this, (m.named = namedChildren.call(this)));
    return m.named;
  });
  const childForFieldName = proto.childForFieldName;
  proto.childForFieldName = function (this: Node, name: string) {
    const m = memoOf(this);
    const fields = (m.fields ??= new Map());
    let c = fields.get(name);
    if (c === undefined) {
      c = childForFieldName.call(this, name);
      fields.set(name, c);
      if (c) memoOf(c).parent ??= this;
    }
    return c;
  };
  const child = proto.child;
  proto.child = function (this: Node, index: number) {
    const m = memoOf(this);
    if (m.children !== undefined) return index >= 0 && index < m.children.length ? m.children[index] : null;
    const c = child.call(this, index);
    if (c) memoOf(c).parent ??= this;
    return c;
  };
  // rules look for every identifier (string …) under a scope, again and again: one list per type
  const descendantsOfType = proto.descendantsOfType;
  proto.descendantsOfType = function (this: Node, types: string | string[], ...range: unknown[]) {
    if (range.length) return (descendantsOfType as (...a: unknown[]) => (Node | null)[]).call(this, types, ...range);
    const m = memoOf(this);
    const key = typeof types === 'string' ? types : types.join('\0');
    const cache = (m.descendants ??= new Map());
    let list = cache.get(key);
    if (list === undefined) cache.set(key, (list = descendantsOfType.call(this, types)));
    return list;
  };

  const namedChild = proto.namedChild;
  proto.namedChild = function (this: Node, index: number) {
    const m = memoOf(this);
    if (m.named !== undefined) return index >= 0 && index < m.named.length ? m.named[index] : null;
    const c = namedChild.call(this, index);
    if (c) memoOf(c).parent ??= this;
    return c;
  };

  const nodeEdit = proto.edit;
  proto.edit = function (this: MemoNode, ...args: Parameters<Node['edit']>) {
    this[MEMO] = new Memo();
    return nodeEdit.apply(this, args);
  };

  const tproto = Tree.prototype;
  const rootDesc = Object.getOwnPropertyDescriptor(tproto, 'rootNode');
  const rootNode = rootDesc?.get as ((this: Tree) => Node) | undefined;
  if (!rootNode) throw new Error('mlready: web-tree-sitter Tree has no rootNode getter');
  Object.defineProperty(tproto, 'rootNode', {
    configurable: true,
    enumerable: false,
    get(this: MemoTree) {
      let root = this[ROOT];
      if (root === undefined) {
        root = rootNode.call(this);
        memoOf(root).parent = null;
        this[ROOT] = root;
      }
      return root;
    },
  });
  // An edited tree's nodes move: forget what was memoised about them.
  const edit = tproto.edit;
  tproto.edit = function (this: MemoTree, ...args: Parameters<Tree['edit']>) {
    const map = this[NODES];
    if (map) for (const m of map.values()) Object.assign(m, new Memo());
    this[NODES] = undefined;
    this[ROOT] = undefined;
    this[SEEDED] = undefined;
    return edit.apply(this, args);
  };
}

import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Node as TsNode } from 'web-tree-sitter';
import { initPython } from '../../rules';
import { mirrorPython, parsePython } from '../../rules/documents/python/parser';
import type { SyntaxNode } from '../../rules/documents/python/syntax-tree';

/**
 * The engine's syntax tree is a copy of tree-sitter's, made in one walk (syntax-tree.ts). Rules
 * read it as they would read web-tree-sitter's nodes, so every answer must be the library's:
 * compared here node by node on every Python fixture, on broken code and on non-ASCII text.
 */

const FIXTURES = path.join(__dirname, '..', 'fixtures');

function pythonFixtures(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.py')) out.push(p);
    }
  };
  walk(FIXTURES);
  return out.sort();
}

const FIELDS = ['function', 'arguments', 'name', 'value', 'left', 'right', 'body', 'object', 'attribute', 'condition', 'alternative', 'parameters', 'module_name', 'key', 'type', 'operator', 'return_type', 'subscript', 'alias', 'consequence'];

/** Compares a mirrored node with tree-sitter's, recursively; returns the nodes compared. */
function compare(mine: SyntaxNode, theirs: TsNode, where: string): number {
  const at = `${where} ${theirs.type}@${theirs.startIndex}`;
  assert.equal(mine.type, theirs.type, `type at ${at}`);
  assert.equal(mine.startIndex, theirs.startIndex, `start at ${at}`);
  assert.equal(mine.endIndex, theirs.endIndex, `end at ${at}`);
  assert.equal(mine.text, theirs.text, `text at ${at}`);
  assert.equal(mine.isNamed, theirs.isNamed, `isNamed at ${at}`);
  assert.equal(mine.isMissing, theirs.isMissing, `isMissing at ${at}`);
  assert.equal(mine.hasError, theirs.hasError, `hasError at ${at}`);
  assert.deepEqual(mine.startPosition, theirs.startPosition, `startPosition at ${at}`);
  assert.deepEqual(mine.endPosition, theirs.endPosition, `endPosition at ${at}`);
  assert.equal(mine.childCount, theirs.childCount, `childCount at ${at}`);
  assert.equal(mine.namedChildCount, theirs.namedChildCount, `namedChildCount at ${at}`);
  for (const field of FIELDS) {
    const a = mine.childForFieldName(field);
    const b = theirs.childForFieldName(field);
    // tree-sitter also answers with a grandchild, through a hidden rule aliased to a visible one
    // (`match_statement` → `alternative` → a `case_clause` inside its block); fields here are
    // those of direct children only
    if (b && !b.parent?.equals(theirs)) continue;
    assert.equal(a ? `${a.type}@${a.startIndex}-${a.endIndex}` : null, b ? `${b.type}@${b.startIndex}-${b.endIndex}` : null, `field ${field} at ${at}`);
  }
  const next = theirs.nextSibling;
  // in error recovery, tree-sitter's sibling steps skip zero-width missing tokens
  if (!theirs.tree.rootNode.hasError) assert.equal(mine.nextSibling ? `${mine.nextSibling.type}@${mine.nextSibling.startIndex}` : null, next ? `${next.type}@${next.startIndex}` : null, `nextSibling at ${at}`);
  let count = 1;
  theirs.children.forEach((child, i) => {
    assert.ok(child);
    assert.equal(mine.children[i].parent, mine, `parent of child ${i} at ${at}`);
    count += compare(mine.children[i], child, where);
  });
  return count;
}

function mirrorAndCompare(text: string, where: string): number {
  const tree = parsePython(text);
  try {
    const mirror = mirrorPython(text, tree);
    const compared = compare(mirror.rootNode, tree.rootNode, where);
    assert.equal(mirror.nodeCount, compared, `node count of ${where}`);
    // descendantsOfType: same nodes in the same order, from the root and from inner nodes
    for (const type of ['identifier', 'call', 'string', 'ERROR', 'block']) {
      const spans = (nodes: ({ startIndex: number; endIndex: number } | null)[]) => nodes.map((n) => `${n?.startIndex}-${n?.endIndex}`);
      assert.deepEqual(spans(mirror.rootNode.descendantsOfType(type)), spans(tree.rootNode.descendantsOfType(type)), `${type} in ${where}`);
      const inner = mirror.rootNode.namedChildren.at(-1);
      const innerTs = tree.rootNode.namedChildren.at(-1);
      if (inner && innerTs) assert.deepEqual(spans(inner.descendantsOfType(type)), spans(innerTs.descendantsOfType(type)), `${type} in the last statement of ${where}`);
    }
    return compared;
  } finally {
    tree.delete();
  }
}

describe('syntax tree: the engine\'s copy of the tree-sitter tree', () => {
  before(initPython);

  it('answers as web-tree-sitter does on every Python fixture', () => {
    const files = pythonFixtures();
    assert.ok(files.length > 100, `found ${files.length} Python fixtures`);
    let nodes = 0;
    for (const file of files) nodes += mirrorAndCompare(fs.readFileSync(file, 'utf8'), path.relative(FIXTURES, file));
    assert.ok(nodes > 50_000, `compared ${nodes} nodes`);
  });

  it('answers as web-tree-sitter does on broken code, missing tokens and non-ASCII text', () => {
    const samples = [
      'def f(:\n    return 1\n',
      'x = (1, 2\ny = 3\n',
      'print "hello"\n',
      'if x\n    pass\n',
      's = "unterminated\n',
      'name = "Ünïcödé — 名前 🚀"\nvalue = f"{name!r:>10} 🚀 {1 + 2}"\n',
      'class A:\n\tdef m(self):\n\t\treturn [i for i in range(3) if i]\n',
      '',
      '\n\n\n',
      '('.repeat(300) + ')'.repeat(300) + '\n',
    ];
    samples.forEach((text, i) => mirrorAndCompare(text, `sample ${i}`));
  });

  it('lists missing tokens, and drops every link between nodes on release', () => {
    const text = 'x = (1, 2\n';
    const tree = parsePython(text);
    const mirror = mirrorPython(text, tree);
    tree.delete();
    assert.ok(mirror.rootNode.hasError);
    const call = mirror.rootNode.descendantsOfType('integer')[0];
    assert.equal(call.text, '1');
    mirror.release();
    assert.equal(call.parent, null);
    assert.equal(mirror.rootNode.children.length, 0);
    assert.equal(call.text, '1', 'a released node keeps its own text');
    assert.deepEqual(mirror.ofType('integer'), []);
  });

  it('makes node objects anew after forgetNodes, answering as before, and drops its memos', () => {
    const text = 'def f(a):\n    return g(a, b=1)\n';
    const tree = parsePython(text);
    const mirror = mirrorPython(text, tree);
    tree.delete();
    const describe = (n: SyntaxNode): string => `(${n.type} ${n.startIndex}-${n.endIndex}${n.children.map(describe).join('')})`;
    const before = describe(mirror.rootNode);
    const call = mirror.ofType('call')[0];
    const key = {};
    assert.equal(mirror.memo(key, () => 'answer'), 'answer');
    mirror.forgetNodes();
    assert.equal(mirror.memoized(key), undefined);
    const again = mirror.ofType('call')[0];
    assert.notEqual(again, call, 'a new object');
    assert.equal(again, mirror.ofType('call')[0], 'made once');
    assert.equal(`${again.startIndex}-${again.endIndex}`, `${call.startIndex}-${call.endIndex}`);
    assert.equal(again.parent?.parent?.type, 'block');
    assert.equal(describe(mirror.rootNode), before);
  });
});

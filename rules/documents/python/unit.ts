import type { Node, Tree } from 'web-tree-sitter';
import { TextUnit } from '../../core/units';
import { maskMagics, type Magic } from './magics';
import { parsePython, pythonQuery } from './parser';

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
    const masked = allowMagics ? maskMagics(text) : { python: text, magics: [] };
    this.magics = masked.magics;
    this.foreignCellMagic = masked.foreignCellMagic;
    this.tree = parsePython(masked.python);
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

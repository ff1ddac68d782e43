import type { Node } from './syntax-tree';
import { bindingsOf, ImportTable } from './imports';
import { dottedName, isDocstring, stringParts, type StringParts } from './syntax';
import type { PythonUnit } from './unit';

const NO_NODES: Node[] = [];
const NO_KEYWORDS = new Map<string, Node>();

export interface CallSite {
  node: Node;
  unit: PythonUnit;
  /** Source spelling of the callee when it is a name or attribute chain: `pd.read_csv`. */
  callee: string | null;
  /** The callee resolved through imports: `pandas.read_csv`; null when its root is not imported. */
  qualified: string | null;
  /** The last name of the callee: `read_csv`, `fit`, `print`. */
  method: string | null;
  /** For `x.fit(...)`, the node of `x`. */
  receiver: Node | null;
  /** Do not change: calls without such arguments share one empty list and map. */
  positional: Node[];
  keywords: Map<string, Node>;
  /** `*args` or `**kwargs` present: the call may pass more than we see. */
  hasSplat: boolean;
}

export interface StringLiteral extends StringParts {
  node: Node;
  unit: PythonUnit;
  docstring: boolean;
}

/**
 * Python code as one program: a .py file (one unit) or a notebook's code cells in order, so that
 * an import in cell 1 resolves a call in cell 5. Each fact keeps the unit it came from, so a
 * finding points at its own cell.
 */
export class PythonProgram {
  imports = new ImportTable();
  private callCache?: CallSite[];
  private stringCache?: StringLiteral[];

  constructor(
    readonly units: PythonUnit[],
    readonly isNotebook: boolean,
  ) {
    units.forEach((unit, i) => {
      for (const node of unit.nodes('import')) for (const b of bindingsOf(node, i)) this.imports.add(b);
    });
  }

  private byTree?: Map<unknown, PythonUnit>;

  unitOf(node: Node): PythonUnit {
    if (this.units.length < 4) return this.units.find((u) => u.tree === node.tree) ?? this.units[0];
    this.byTree ??= new Map(this.units.map((u) => [u.tree, u]));
    return this.byTree.get(node.tree) ?? this.units[0];
  }

  private nodeCache = new Map<string, { node: Node; unit: PythonUnit }[]>();

  /** Indexed nodes of a kind across the units, in program order (computed once; do not mutate). */
  nodes(kind: Parameters<PythonUnit['nodes']>[0]): { node: Node; unit: PythonUnit }[] {
    let list = this.nodeCache.get(kind);
    if (!list) this.nodeCache.set(kind, (list = this.units.flatMap((unit) => unit.nodes(kind).map((node) => ({ node, unit })))));
    return list;
  }

  calls(): CallSite[] {
    this.callCache ??= this.units.flatMap((unit) => unit.nodes('call').map((node) => this.callSite(node, unit)));
    return this.callCache;
  }

  strings(): StringLiteral[] {
    this.stringCache ??= this.units.flatMap((unit) =>
      unit.nodes('string').map((node) => ({ node, unit, docstring: isDocstring(node), ...stringParts(node) })),
    );
    return this.stringCache;
  }

  /** Qualified name of a name or attribute chain, through the import table. */
  resolve(node: Node | null): string | null {
    const dotted = dottedName(node);
    return dotted ? this.imports.resolve(dotted) : null;
  }

  private callSite(node: Node, unit: PythonUnit): CallSite {
    const fn = node.childForFieldName('function');
    const callee = dottedName(fn);
    let method: string | null = null;
    let receiver: Node | null = null;
    if (fn?.type === 'identifier') method = fn.text;
    else if (fn?.type === 'attribute') {
      method = fn.childForFieldName('attribute')?.text ?? null;
      receiver = fn.childForFieldName('object');
    }
    // most calls have no keyword or no positional argument: they share one empty, never-changed collection
    let positional: Node[] = NO_NODES;
    let keywords: Map<string, Node> = NO_KEYWORDS;
    let hasSplat = false;
    const args = node.childForFieldName('arguments');
    if (args?.type === 'argument_list') {
      for (const arg of args.namedChildren) {
        if (!arg || arg.type === 'comment') continue;
        if (arg.type === 'keyword_argument') {
          const name = arg.childForFieldName('name')?.text;
          const value = arg.childForFieldName('value');
          if (name && value) {
            if (keywords === NO_KEYWORDS) keywords = new Map();
            keywords.set(name, value);
          }
        } else if (arg.type === 'list_splat' || arg.type === 'dictionary_splat') hasSplat = true;
        else {
          if (positional === NO_NODES) positional = [];
          positional.push(arg);
        }
      }
    } else if (args) positional = [args]; // generator argument: f(x for x in y)
    const qualified = callee ? this.imports.resolve(callee) : null;
    return { node, unit, callee, qualified, method, receiver, positional, keywords, hasSplat };
  }

  dispose(): void {
    for (const u of this.units) u.dispose();
  }

  /** Answers of ProgramCaches about this program (see ProgramCache); dropped by `release`. */
  memos?: Map<object, unknown>;

  /**
   * Forgets everything derived from the syntax trees once the document's analysis is over (a
   * scan's pending results only need offsets and text): call sites, strings, node lists, imports,
   * memos. Asking the program anything afterwards is an error of the caller.
   */
  release(): void {
    this.callCache = undefined;
    this.stringCache = undefined;
    this.nodeCache = new Map();
    this.byTree = undefined;
    this.memos = undefined;
    this.imports = new ImportTable();
    for (const unit of this.units) unit.release();
    (this as { units: PythonUnit[] }).units = [];
  }
}

/** The argument passed by keyword `name` or at `position`. */
export function argument(call: CallSite, name: string, position?: number): Node | undefined {
  return call.keywords.get(name) ?? (position !== undefined ? call.positional[position] : undefined);
}

/**
 * A family's per-program answers (an analysis, an index), as a WeakMap keyed by the program would
 * keep them, but stored in the program itself so that `PythonProgram.release` drops them: a scan's
 * pending conditions are closures that may keep the program object alive until the workspace is
 * complete, and a WeakMap would keep every answer about it (call sites, scopes, nodes) as long.
 */
export class ProgramCache<V> {
  get(program: PythonProgram): V | undefined {
    return program.memos?.get(this) as V | undefined;
  }

  has(program: PythonProgram): boolean {
    return program.memos?.has(this) ?? false;
  }

  set(program: PythonProgram, value: V): this {
    (program.memos ??= new Map()).set(this, value);
    return this;
  }

  /** The program's value, computed on first use (a pure function of the program). */
  of(program: PythonProgram, compute: () => V): V {
    const memos = (program.memos ??= new Map());
    if (memos.has(this)) return memos.get(this) as V;
    const value = compute();
    memos.set(this, value);
    return value;
  }
}

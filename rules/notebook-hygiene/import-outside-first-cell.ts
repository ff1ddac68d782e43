import type { Node } from '../documents/python/syntax-tree';
import { defineRule, type EditSpec, type FixSpec } from '../core/rule';
import type { Applicability } from '../core/types';
import type { NotebookCell, NotebookModel } from '../documents/notebook';
import type { PythonProgram } from '../documents/python/program';
import type { PythonUnit } from '../documents/python/unit';
import { isParametersCell, isSetupOnly } from './cells';
import { globalBindings } from './scope';

/** Magics that cannot change what an import does: they may sit between the first cell and an import that moves up. */
const HARMLESS_MAGICS = new Set(['matplotlib', 'time', 'timeit', 'config', 'load_ext', 'reload_ext', 'autoreload', 'aimport', 'who', 'whos', 'who_ls', 'ls', 'pwd', 'history', 'precision', 'pprint', 'xmode', 'prun', 'debug', 'capture', 'pdb', 'lsmagic', 'page', 'pinfo', 'pinfo2', 'psearch', 'recall', 'rerun', 'reset_selective', 'tb', 'colors', 'notebook', 'qtconsole', 'memit', 'mprun', 'lprun', 'skip']);

/** Calls that change how later imports behave: the import path, the environment, the working directory, matplotlib's backend. */
const ENVIRONMENT_CALL = /^(sys\.path\.\w+|sys\.modules\.\w+|os\.chdir|os\.environ\.\w+|os\.putenv|os\.unsetenv|os\.system|site\.addsitedir|matplotlib\.use|importlib\.\w+(\.\w+)*|subprocess\.\w+|dotenv\.load_dotenv|findspark\.init|pyximport\.install|warnings\.(filterwarnings|simplefilter)|multiprocessing\.set_start_method|torch\.multiprocessing\.set_start_method)$/;
const ENVIRONMENT_ASSIGNMENT = /^(os\.environ\b|sys\.path\b|sys\.modules\b|environ\[)/;

/** Whether the unit's Python (what its nodes' text is cut from) holds a literal part of ENVIRONMENT_ASSIGNMENT. */
function mayAssignEnvironment(unit: PythonUnit): boolean {
  const source = unit.tree.source;
  return source.includes('environ') || source.includes('sys.');
}

/** Modules whose import patches other libraries or the interpreter: moving them earlier changes behaviour. */
const PATCHING_MODULES = /^(gevent|eventlet|pandarallel|modin|nest_asyncio|pyximport|findspark|this|antigravity|__main__|builtins)(\.|$)/;

interface LateImport {
  unit: PythonUnit;
  node: Node;
  /** The statement and its trailing comment, as written. */
  text: string;
  /** The lines it occupies in its cell. */
  firstLine: number;
  lastLine: number;
  movable: boolean;
}

export default defineRule({
  code: 'N105',
  name: 'import-outside-first-cell',
  category: 'notebook-hygiene',
  severity: 'info',
  appliesTo: ['notebook'],
  fixable: 'safe',
  docs: {
    summary:
      'A top-level `import` sits in a later code cell instead of the notebook\'s first code cell (the first one with Python in it, after cells of magics such as `%load_ext` and after a papermill `parameters` cell). Imports nested in functions, `if` or `try` blocks are left alone.',
    why:
      'Imports spread over the notebook hide its dependencies: a reader cannot see what it needs, a missing package fails a scheduled run halfway after the expensive cells already ran, and moving the code to a module or pipeline step means hunting the imports down. One imports cell at the top is also where `ensureImport`-style fixes of other rules add theirs.',
    example: '# cell 1\nimport pandas as pd\n# cell 5\nimport seaborn as sns\nsns.histplot(df["amount"])',
    useInstead: '# cell 1\nimport pandas as pd\nimport seaborn as sns\n# cell 5\nsns.histplot(df["amount"])',
    fixSafety:
      'The fix moves every late top-level import of the notebook to the end of the first code cell\'s import block, in cell order (an import already there is only deleted); a cell left empty stays, to be deleted by hand. It is safe when nothing between the first cell and the import can change what the import does: no shell command or magic other than display and timing ones (`%pip`, `!…`, `%cd`, `%env`, `%run`, `%%writefile` …), no change to `sys.path`, `os.environ`, the working directory, `matplotlib.use`, `load_dotenv()`, no other binding of the imported names, and no wildcard, relative or patching import (`gevent`, `pandarallel` …). Otherwise it is offered as unsafe. Imports that share a line with other statements are not moved.',
    language: 'python',
  },
  check(ctx) {
    const nb = ctx.doc.notebook;
    const program = ctx.doc.python;
    if (!nb || nb.problem || !program?.units.length) return;
    const target = firstCodeCell(nb);
    if (!target) return;
    const targetUnit = target.unit as PythonUnit;
    const late: LateImport[] = [];
    // the cell of a unit is looked up only for units with an import, through one map (not a search per unit)
    let cellOf: Map<unknown, NotebookCell> | undefined;
    for (const unit of program.units) {
      if (unit.ordinal <= targetUnit.ordinal || unit.foreignCellMagic) continue;
      const imports = unit.nodes('import');
      if (!imports.length) continue;
      cellOf ??= new Map(nb.cells.map((c) => [c.unit, c]));
      const cell = cellOf.get(unit);
      if (cell && isParametersCell(cell)) continue;
      for (const node of imports) {
        if (node.parent?.type !== 'module') continue;
        late.push(describe(unit, node));
      }
    }
    if (!late.length) return;
    const fix = moveFix(program, targetUnit, late);
    for (const imp of late) {
      const shown = imp.node.text.replace(/#[^\n]*/g, '').replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/,? \)/g, ')').trim();
      ctx.reportNode(imp.unit, imp.node, `\`${shown.length > 60 ? `${shown.slice(0, 57)}…` : shown}\` is imported halfway through the notebook: its dependencies are hidden from readers, and a missing package fails a run after the cells before it have done their work.`, {
        fixes: fix ? [fix] : [],
      });
    }
  },
});

/** The cell imports belong in: the first code cell with Python in it, skipping magics-only cells and a papermill parameters cell. */
export function firstCodeCell(nb: NotebookModel): NotebookCell | undefined {
  for (const cell of nb.cells) {
    if (cell.type !== 'code' || !('tree' in cell.unit)) continue;
    if (isParametersCell(cell) || isSetupOnly(cell)) continue;
    return cell;
  }
  return undefined;
}

function describe(unit: PythonUnit, node: Node): LateImport {
  const lines = unit.lines;
  const first = lines.lineOf(node.startIndex);
  const last = lines.lineOf(node.endIndex);
  const before = unit.text.slice(lines.lineStart(first), node.startIndex);
  const after = unit.text.slice(node.endIndex, lines.lineEnd(last));
  // alone on its lines: nothing before it, and after it at most a comment
  const movable = before.trim() === '' && /^\s*(#.*)?$/.test(after);
  const text = unit.text.slice(node.startIndex, lines.lineEnd(last)).trimEnd();
  return { unit, node, text, firstLine: first, lastLine: last, movable };
}

/** One deletion per run of consecutive lines, so that the edits of a cell never overlap. */
function deletions(unit: PythonUnit, imports: LateImport[]): EditSpec[] {
  const lines = unit.lines;
  const blocks: [number, number][] = [];
  for (const imp of [...imports].sort((a, b) => a.firstLine - b.firstLine)) {
    const last = blocks[blocks.length - 1];
    if (last && imp.firstLine <= last[1] + 1) last[1] = Math.max(last[1], imp.lastLine);
    else blocks.push([imp.firstLine, imp.lastLine]);
  }
  return blocks.map(([first, last]) => {
    let start = lines.lineStart(first);
    const end = last + 1 < lines.lineCount ? lines.lineStart(last + 1) : unit.text.length;
    // the last line of a cell with no final line break: take the line break before it instead
    if (last + 1 >= lines.lineCount && first > 0) start = lines.lineEnd(first - 1);
    return { unit, start, end, newText: '' };
  });
}

/** Where imports go in the first cell: after its leading docstring, comments, magics and imports. */
function insertionOffset(unit: PythonUnit): number {
  const magicStarts = new Set(unit.magics.map((m) => m.start));
  let offset = 0;
  const children = unit.root.namedChildren.filter((c): c is Node => !!c);
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    const lead =
      (i === 0 && c.type === 'expression_statement' && c.namedChild(0)?.type === 'string') ||
      c.type === 'import_statement' ||
      c.type === 'import_from_statement' ||
      c.type === 'future_import_statement' ||
      (c.type === 'expression_statement' && magicStarts.has(c.startIndex)) ||
      (c.type === 'comment' && offset === unit.lines.lineStart(unit.lines.lineOf(c.startIndex)));
    if (!lead) break;
    const line = unit.lines.lineOf(c.endIndex);
    offset = line + 1 < unit.lines.lineCount ? unit.lines.lineStart(line + 1) : unit.text.length;
  }
  return offset;
}

const normalize = (s: string) => s.replace(/#.*$/, '').replace(/\s+/g, ' ').trim();

/** One fix for the whole notebook: every movable late import goes to the first cell, in cell order. */
function moveFix(program: PythonProgram, target: PythonUnit, late: LateImport[]): FixSpec | undefined {
  const movable = late.filter((l) => l.movable);
  if (!movable.length) return undefined;
  const present = new Set(target.nodes('import').filter((n) => n.parent?.type === 'module').map((n) => normalize(n.text)));
  const moved: string[] = [];
  const edits: EditSpec[] = [];
  // grouped by cell in one pass, cells in the order of their first import
  const byUnit = new Map<PythonUnit, LateImport[]>();
  for (const m of movable) {
    const list = byUnit.get(m.unit);
    if (list) list.push(m);
    else byUnit.set(m.unit, [m]);
  }
  for (const [unit, imports] of byUnit) edits.push(...deletions(unit, imports));
  for (const imp of movable) {
    const key = normalize(imp.node.text);
    if (present.has(key)) continue;
    present.add(key);
    moved.push(imp.text);
  }
  if (moved.length) {
    const offset = insertionOffset(target);
    const eol = target.text.includes('\r\n') ? '\r\n' : '\n';
    const atEnd = offset >= target.text.length && target.text.length > 0 && !/[\r\n]$/.test(target.text);
    const block = moved.join(eol);
    edits.unshift({ unit: target, start: offset, end: offset, newText: atEnd ? `${eol}${block}` : `${block}${eol}` });
  }
  return {
    title: `Move ${movable.length === 1 ? 'the import' : `the ${movable.length} imports`} to the first code cell`,
    applicability: applicability(program, target, movable),
    edits,
  };
}

function applicability(program: PythonProgram, target: PythonUnit, moved: LateImport[]): Applicability {
  const last = Math.max(...moved.map((m) => m.unit.ordinal));
  for (const m of moved) if (m.node.text.includes('*') || /^from\s+\./.test(m.node.text)) return 'unsafe';
  // the bindings of the moved statements, in the order of the import table (one pass over it)
  const movedNodes = new Set(moved.map((m) => m.node.id));
  const movedNames = new Map<string, string>();
  for (const b of program.imports.bindings) {
    if (!movedNodes.has(b.node.id)) continue;
    if (PATCHING_MODULES.test(b.module || b.qualified)) return 'unsafe';
    movedNames.set(b.local, b.qualified);
  }
  const first = target.ordinal;
  for (const call of program.calls()) {
    const at = call.unit.ordinal;
    if (at >= first && at <= last && ENVIRONMENT_CALL.test(call.qualified ?? call.callee ?? '')) return 'unsafe';
  }
  for (const unit of program.units) {
    if (unit.ordinal < first || unit.ordinal > last) continue;
    if (unit.foreignCellMagic) return 'unsafe';
    for (const m of unit.magics) {
      if (m.kind === 'help') continue;
      if (m.kind === 'shell' || (m.kind === 'cell' ? !['time', 'timeit', 'capture'].includes(m.command) : !HARMLESS_MAGICS.has(m.command))) return 'unsafe';
    }
    // every match of ENVIRONMENT_ASSIGNMENT holds `environ` or `sys.`: cells without them have no such assignment
    if (mayAssignEnvironment(unit)) for (const a of unit.nodes('assignment')) if (ENVIRONMENT_ASSIGNMENT.test(a.childForFieldName('left')?.text ?? '')) return 'unsafe';
    // another binding of an imported name between the two places would now be shadowed, or shadow it
    const bound = globalBindings(program, unit);
    for (const [name, qualified] of movedNames) {
      if (!bound.has(name)) continue;
      // the same import again (`import pandas as pd` in both cells) is no conflict
      const sameImport = program.imports.bindings.some((b) => b.unitIndex === unit.ordinal && b.local === name && b.qualified === qualified);
      if (!sameImport) return 'unsafe';
    }
  }
  return 'safe';
}

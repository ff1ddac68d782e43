import type { Node } from '../documents/python/syntax-tree';
import type { EditSpec } from '../core/rule';
import type { CallSite, PythonProgram } from '../documents/python/program';
import { stringParts } from '../documents/python/syntax';
import type { PythonUnit } from '../documents/python/unit';
import { ensureImport } from '../fixes/python-edits';
import { appendArgument } from '../security/call-edits';

/**
 * Airflow DAG files: each DAG (`DAG(…)`, `with DAG(…) as dag:`, `@dag(…)`), its `default_args`
 * (a dict literal, `dict(…)`, or a module-level name bound to one), and its tasks: operator and
 * sensor calls, and `@task`-decorated functions. A task belongs to a DAG when it is created inside
 * the DAG's `with` block or `@dag` function, or passes `dag=<the DAG's variable>`; in a file with a
 * single DAG every task belongs to it. `default_args` that come from elsewhere (an import, a
 * function call) are unknown, and the DAG is not judged.
 */

export interface AirflowTask {
  /** The operator call, or the decorator call of a `@task` function. */
  node: Node;
  unit: PythonUnit;
  keywords: Set<string>;
  /** The call to append keywords to, when there is one (`@task` with no parentheses has none). */
  call?: Node;
  decorator?: Node;
  sensor: boolean;
  label: string;
}

export interface AirflowDag {
  /** Where DAG-level findings go: the `DAG`/`dag` name in the call or decorator. */
  anchor: Node;
  unit: PythonUnit;
  call: Node;
  keywords: Map<string, Node>;
  /** Keys of default_args; undefined when they cannot be read. */
  defaultKeys?: Set<string>;
  /** The dict literal of default_args, for a fix; undefined when there is none to edit. */
  defaultDict?: Node;
  tasks: AirflowTask[];
  name: string;
}

const DAG_CLASS = /^airflow\.(models\.(dag\.)?|sdk\.(definitions\.dag\.)?)?DAG$/;
const DAG_DECORATOR = /^airflow\.(decorators\.|sdk\.)?dag$/;
const TASK_DECORATOR = /^airflow\.(decorators\.|sdk\.)?task(\.\w+)?$/;
/** Operators that do no work of their own. */
const NO_WORK = /^(EmptyOperator|DummyOperator|LatestOnlyOperator|ShortCircuitOperator|BranchPythonOperator|TriggerDagRunOperator)$/;

function dictKeys(node: Node | null | undefined): { keys: Set<string>; dict?: Node } | undefined {
  if (!node) return undefined;
  if (node.type === 'dictionary') {
    const keys = new Set<string>();
    for (const pair of node.namedChildren) {
      if (!pair) continue;
      if (pair.type === 'dictionary_splat') return undefined;
      if (pair.type !== 'pair') continue;
      const k = pair.childForFieldName('key');
      if (k?.type !== 'string') return undefined;
      const v = stringParts(k).value;
      if (v === null) return undefined;
      keys.add(v);
    }
    return { keys, dict: node };
  }
  if (node.type === 'call' && node.childForFieldName('function')?.text === 'dict') {
    const keys = new Set<string>();
    for (const a of node.childForFieldName('arguments')?.namedChildren ?? []) {
      if (!a) continue;
      if (a.type !== 'keyword_argument') return undefined;
      keys.add(a.childForFieldName('name')?.text ?? '');
    }
    return { keys };
  }
  return undefined;
}

function resolveDefaultArgs(program: PythonProgram, node: Node | undefined): { keys?: Set<string>; dict?: Node } {
  if (!node) return { keys: new Set() };
  if (node.type === 'identifier') {
    let found: { keys: Set<string>; dict?: Node } | undefined;
    let count = 0;
    for (const { node: a } of program.nodes('assignment')) {
      if (a.childForFieldName('left')?.text !== node.text) continue;
      count++;
      found = dictKeys(a.childForFieldName('right'));
    }
    // `default_args["retries"] = 2` later on, or several bindings: unknown
    const subscripted = program.units.some((u) => u.root.descendantsOfType('subscript').some((s) => s?.childForFieldName('value')?.text === node.text && s.parent?.type === 'assignment'));
    if (count !== 1 || !found || subscripted) return {};
    return found;
  }
  const direct = dictKeys(node);
  return direct ?? {};
}

function within(node: Node, container: Node): boolean {
  return node.tree === container.tree && node.startIndex >= container.startIndex && node.endIndex <= container.endIndex;
}

export function airflowDags(program: PythonProgram): AirflowDag[] {
  if (!program.imports.imports('airflow')) return [];
  const dags: (AirflowDag & { scope?: Node; variable?: string })[] = [];
  for (const call of program.calls()) {
    if (!call.qualified || !DAG_CLASS.test(call.qualified)) continue;
    const fn = call.node.childForFieldName('function')!;
    const anchor = fn.type === 'attribute' ? (fn.childForFieldName('attribute') ?? fn) : fn;
    const da = resolveDefaultArgs(program, call.keywords.get('default_args'));
    // `with DAG(…) as dag:` or `dag = DAG(…)`
    let scope: Node | undefined;
    let variable: string | undefined;
    const withItem = call.node.parent?.type === 'as_pattern' ? call.node.parent : undefined;
    if (withItem || call.node.parent?.type === 'with_item') {
      let w: Node | null = call.node.parent;
      while (w && w.type !== 'with_statement') w = w.parent;
      if (w) scope = w.childForFieldName('body') ?? w;
      const alias = withItem?.childForFieldName('alias')?.text;
      if (alias) variable = alias;
    } else if (call.node.parent?.type === 'assignment' && call.node.parent.childForFieldName('left')?.type === 'identifier') {
      variable = call.node.parent.childForFieldName('left')!.text;
    }
    const name = dagName(call);
    dags.push({ anchor, unit: call.unit, call: call.node, keywords: call.keywords, defaultKeys: da.keys, defaultDict: da.dict, tasks: [], name, scope, variable });
  }
  for (const { node, unit } of program.nodes('decorator')) {
    const expr = node.namedChildren.find((c) => c && c.type !== 'comment');
    const fn = expr?.type === 'call' ? expr.childForFieldName('function') : expr;
    if (!DAG_DECORATOR.test(program.resolve(fn ?? null) ?? '')) continue;
    const call = expr?.type === 'call' ? program.calls().find((c) => c.node.id === expr.id) : undefined;
    const def = node.parent?.childForFieldName('definition');
    const da = resolveDefaultArgs(program, call?.keywords.get('default_args'));
    const name = (call && dagName(call)) || def?.childForFieldName('name')?.text || 'dag';
    dags.push({ anchor: fn ?? node, unit, call: expr ?? node, keywords: call?.keywords ?? new Map(), defaultKeys: da.keys, defaultDict: da.dict, tasks: [], name, scope: def ?? undefined });
  }
  if (!dags.length) return [];
  const owner = (node: Node, call?: CallSite): (typeof dags)[number] | undefined => {
    const dagKw = call?.keywords.get('dag');
    if (dagKw?.type === 'identifier') return dags.find((d) => d.variable === dagKw.text);
    const scoped = dags.filter((d) => d.scope && within(node, d.scope));
    if (scoped.length) return scoped.sort((a, b) => a.scope!.endIndex - a.scope!.startIndex - (b.scope!.endIndex - b.scope!.startIndex))[0];
    return dags.length === 1 ? dags[0] : undefined;
  };
  for (const call of program.calls()) {
    if (!call.qualified?.startsWith('airflow.') || !call.method || !/(Operator|Sensor)$/.test(call.method) || NO_WORK.test(call.method)) continue;
    if (call.hasSplat) continue;
    // a decorator's call, or an operator class referenced in a partial/expand chain, is still a task
    const dag = owner(call.node, call);
    if (!dag) continue;
    const taskId = call.keywords.get('task_id');
    const label = taskId?.type === 'string' ? (stringParts(taskId).value ?? call.method) : call.method;
    dag.tasks.push({ node: call.node, unit: call.unit, keywords: new Set(call.keywords.keys()), call: call.node, sensor: /Sensor$/.test(call.method), label });
  }
  for (const { node, unit } of program.nodes('decorator')) {
    const expr = node.namedChildren.find((c) => c && c.type !== 'comment');
    const fn = expr?.type === 'call' ? expr.childForFieldName('function') : expr;
    const q = program.resolve(fn ?? null) ?? '';
    if (!TASK_DECORATOR.test(q) || /\.(branch|short_circuit)$/.test(q)) continue;
    const dag = owner(node);
    if (!dag) continue;
    const call = expr?.type === 'call' ? program.calls().find((c) => c.node.id === expr.id) : undefined;
    if (call?.hasSplat) continue;
    const def = node.parent?.childForFieldName('definition');
    const label = def?.childForFieldName('name')?.text ?? 'task';
    dag.tasks.push({ node, unit, keywords: new Set(call?.keywords.keys() ?? []), call: call?.node, decorator: expr ?? undefined, sensor: /sensor/.test(q), label });
  }
  return dags.map(({ scope: _s, variable: _v, ...d }) => d);
}

function dagName(call: CallSite): string {
  const id = call.keywords.get('dag_id') ?? call.positional[0];
  return id?.type === 'string' ? (stringParts(id).value ?? 'dag') : 'dag';
}

/** Adds `"key": value` to a dict literal, after its last entry. */
export function dictEntryEdit(unit: PythonUnit, dict: Node, entry: string): EditSpec | null {
  const items = dict.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  const close = dict.endIndex - 1;
  if (!items.length) return { unit, start: dict.startIndex + 1, end: close, newText: entry };
  const last = items[items.length - 1];
  const between = unit.text.slice(last.endIndex, close);
  if (/^\s*,/.test(between)) {
    const commaAt = last.endIndex + between.indexOf(',') + 1;
    const lineStart = unit.text.lastIndexOf('\n', last.startIndex) + 1;
    const indent = /^[ \t]*/.exec(unit.text.slice(lineStart))![0];
    if (between.includes('\n')) return { unit, start: commaAt, end: commaAt, newText: `\n${indent}${entry},` };
    return { unit, start: commaAt, end: commaAt, newText: ` ${entry},` };
  }
  if (unit.text.slice(dict.startIndex, last.startIndex).includes('\n')) {
    const lineStart = unit.text.lastIndexOf('\n', last.startIndex) + 1;
    const indent = /^[ \t]*/.exec(unit.text.slice(lineStart))![0];
    return { unit, start: last.endIndex, end: last.endIndex, newText: `,\n${indent}${entry}` };
  }
  return { unit, start: last.endIndex, end: last.endIndex, newText: `, ${entry}` };
}

/**
 * Edits that give every listed task (or the DAG's default_args) a setting: one entry in the
 * default_args dict literal when there is one, else a keyword on each task.
 */
export function settingEdits(program: PythonProgram, dag: AirflowDag, tasks: AirflowTask[], key: string, value: (p: PythonProgram) => { text: string; edits: EditSpec[] } | null): EditSpec[] | null {
  const v = value(program);
  if (!v) return null;
  if (dag.defaultDict) {
    const e = dictEntryEdit(dag.unit, dag.defaultDict, `${JSON.stringify(key)}: ${v.text}`);
    return e ? [...v.edits, e] : null;
  }
  const edits: EditSpec[] = [...v.edits];
  for (const t of tasks) {
    if (t.call) {
      const e = appendArgument(t.unit, t.call, `${key}=${v.text}`);
      if (!e) return null;
      edits.push(e);
    } else if (t.decorator) {
      edits.push({ unit: t.unit, start: t.decorator.endIndex, end: t.decorator.endIndex, newText: `(${key}=${v.text})` });
    } else return null;
  }
  return edits;
}

/** `timedelta(hours=N)` spelled with what the file imports, adding `from datetime import timedelta` when needed. */
export function timedeltaExpr(program: PythonProgram, args: string): { text: string; edits: EditSpec[] } | null {
  for (const b of program.imports.bindings) {
    if (b.qualified === 'datetime.timedelta' && b.local !== '*') return { text: `${b.local}(${args})`, edits: [] };
  }
  for (const b of program.imports.bindings) {
    if (b.qualified === 'datetime' && b.local !== '*') return { text: `${b.local}.timedelta(${args})`, edits: [] };
  }
  if (program.imports.binding('timedelta')) return null;
  const edit = ensureImport(program, 'datetime', 'timedelta');
  return { text: `timedelta(${args})`, edits: edit ? [edit] : [] };
}

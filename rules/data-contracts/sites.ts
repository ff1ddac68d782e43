import type { Node } from '../documents/python/syntax-tree';
import type { CallSite, PythonProgram } from '../documents/python/program';
import type { PythonUnit } from '../documents/python/unit';
import { importPlan, type ContractSite, type ImportPlan } from './contract-fix';
import { datasetName } from './datasets';
import { callersOf, follow, type FlowPoint, type FlowResult, type SinkTest } from './flow';
import { scopeOf, type ProgramIndex } from './python-index';
import type { DataRead } from './readers';
import { validationDecorators, type ValidationOptions } from './validation';

/** Shared by the read and write rules: judging a value's flow, describing places, capturing fix sites. */

const FIT = /^(fit|fit_transform|fit_predict|partial_fit|train|train_on_batch|predict|predict_proba|predict_log_proba|decision_function|evaluate|score)$/;
const TENSOR = /^(xgboost\.DMatrix|lightgbm\.Dataset|catboost\.Pool|torch\.(tensor|from_numpy|as_tensor|Tensor)|torch\.utils\.data\.(DataLoader|TensorDataset)|tensorflow\.(convert_to_tensor|constant)|tensorflow\.data\.Dataset\.from_tensor_slices|sklearn\.model_selection\.(cross_val_score|cross_validate))$/;
export const WRITE_METHODS = /^(to_parquet|to_csv|to_sql|to_json|to_feather|to_excel|to_orc|to_hdf|to_delta|to_gbq|write_parquet|write_csv|write_database|write_delta|write_ndjson|write_json|write_ipc|write_excel|sink_parquet|sink_csv|sink_ipc|saveAsTable|insertInto)$/;
export const SPARK_WRITE_METHODS = new Set(['parquet', 'csv', 'json', 'orc', 'save', 'saveAsTable', 'insertInto', 'jdbc', 'avro', 'text']);

export function isWriteCall(call: CallSite): boolean {
  const m = call.method ?? '';
  if (!call.receiver) return false;
  if (WRITE_METHODS.test(m)) return true;
  return SPARK_WRITE_METHODS.has(m) && /\.write(Stream)?\b/.test(call.receiver.text.replace(/\s+/g, ''));
}

/** Training, tensors and writes: the places where unchecked data does its damage. */
export const trainingSink: SinkTest = (call, via) => {
  const label = call.callee ?? call.method ?? 'call';
  if (via === 'argument') {
    if (call.method && FIT.test(call.method) && call.receiver) return label;
    if (call.qualified && TENSOR.test(call.qualified)) return label;
    return null;
  }
  return isWriteCall(call) ? (call.method ?? label) : null;
};

export interface Verdict {
  ok: boolean;
  flow: FlowResult;
  /** Why it is not ok: never validated, used before validation, or returned to callers that do not validate. */
  reason?: 'never' | 'used-before' | 'returned' | 'returned-unvalidated-by-callers';
  function?: string;
}

/** Whether the value of an expression (a read, or a call returning one) reaches a validation in time. */
export function judgeValue(index: ProgramIndex, node: Node, unit: PythonUnit, validation: ValidationOptions, sink: SinkTest, depth = 0): Verdict {
  const scope = scopeOf(node);
  const flow = follow(index, { source: { node, unit }, scope, validation, sink, collectColumns: depth === 0 });
  if (flow.validated) {
    if (flow.firstUse && flow.firstUse.order < flow.validated.order) return { ok: false, flow, reason: 'used-before' };
    return { ok: true, flow };
  }
  if (flow.firstUse) return { ok: false, flow, reason: 'never' };
  const fn = scope ? index.functionOf(scope) : undefined;
  if (flow.returned && fn) {
    if (validationDecorators(fn, validation.allow).output) return { ok: true, flow };
    const callers = depth < 3 ? callersOf(index, fn) : [];
    if (!callers.length) return { ok: false, flow, reason: 'returned', function: fn.name };
    const all = callers.every((c) => judgeValue(index, c.node, c.unit, validation, sink, depth + 1).ok);
    return all ? { ok: true, flow } : { ok: false, flow, reason: 'returned-unvalidated-by-callers', function: fn.name };
  }
  return { ok: false, flow, reason: 'never' };
}

export function where(p: FlowPoint, from: PythonUnit): string {
  const line = p.unit.lines.lineOf(p.node.startIndex) + 1;
  return p.unit.cell !== undefined && p.unit.cell !== from.cell ? `cell ${p.unit.cell}, line ${line}` : `line ${line}`;
}

/** The name a read is assigned to: `customers = pd.read_csv(...)` → customers. */
export function assignedName(node: Node): string | null {
  let cur: Node = node;
  for (let p = cur.parent; p; cur = p, p = p.parent) {
    if (p.type === 'assignment') {
      const left = p.childForFieldName('left');
      if (!left || left.id === cur.id) return null;
      return left.type === 'identifier' ? left.text : left.type === 'attribute' ? (left.childForFieldName('attribute')?.text ?? null) : null;
    }
    if (!/^(call|attribute|argument_list|await|parenthesized_expression)$/.test(p.type)) return null;
  }
  return null;
}

/** Dataset name of a read: the file or table it reads, else the variable it lands in. */
export function readDataset(read: DataRead): string | null {
  const variable = assignedName(read.call.node);
  const v = read.path?.value ?? null;
  if (v && read.format === 'sql') {
    const m = /\bfrom\s+([`"[]?[\w.$]+[`"\]]?)/i.exec(v);
    const table = m ? m[1].replace(/[`"[\]]/g, '').split('.').pop() : null;
    return datasetName(null, table ?? variable) ?? datasetName(null, variable);
  }
  if (v && read.format === 'table' && !/[\\/]/.test(v)) return datasetName(null, v.split('.').pop() ?? v) ?? datasetName(null, variable);
  return datasetName(v, variable);
}

const namesCache = new WeakMap<ProgramIndex, Set<string>>();

/** Names bound at module level: functions, classes, assigned names (a copy, callers may add to it). */
export function moduleNames(program: PythonProgram, index: ProgramIndex): Set<string> {
  return new Set(sharedModuleNames(program, index));
}

/** The cached set itself, for readers that never add to it (one copy per read site was quadratic). */
function sharedModuleNames(program: PythonProgram, index: ProgramIndex): ReadonlySet<string> {
  const cached = namesCache.get(index);
  if (cached) return cached;
  const names = new Set<string>();
  for (const f of index.allFunctions()) if (!f.className && !scopeOf(f.node)) names.add(f.name);
  for (const { node } of program.nodes('class')) {
    const n = node.childForFieldName('name')?.text;
    if (n) names.add(n);
  }
  for (const { node } of program.nodes('assignment')) {
    if (node.type !== 'assignment' || scopeOf(node)) continue;
    const left = node.childForFieldName('left');
    if (left?.type === 'identifier') names.add(left.text);
  }
  namesCache.set(index, names);
  return names;
}

const planCache = new WeakMap<ProgramIndex, ImportPlan | null>();

/** One import plan per program, shared by its sites (fixes only read it): planning scans the whole text. */
function sharedImportPlan(program: PythonProgram, index: ProgramIndex): ImportPlan | null {
  let plan = planCache.get(index);
  if (plan === undefined) planCache.set(index, (plan = importPlan(program, sharedModuleNames(program, index))));
  return plan;
}

/** Captures what a contract fix needs while the tree is alive. */
export function contractSite(path: string, program: PythonProgram, index: ProgramIndex, node: Node, unit: PythonUnit, read: Pick<DataRead, 'family' | 'path' | 'options'>, dataset: string | null, columns: string[], schemaDir?: string): ContractSite | null {
  const imports = sharedImportPlan(program, index);
  if (!imports) return null;
  return {
    path,
    unit,
    start: node.startIndex,
    end: node.endIndex,
    imports,
    family: read.family,
    dataset,
    readPath: read.path && !read.path.partial ? read.path.value : read.path?.value ?? null,
    fileRelative: !!read.path?.fileRelative,
    columns,
    options: read.options,
    schemaDir,
    order: { cell: unit.cell ?? 0, line: unit.lines.lineOf(node.startIndex) },
  };
}

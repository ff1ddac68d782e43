import type { Node } from '../documents/python/syntax-tree';
import { isTestPath, type ResolvedConfig } from '../core/config';
import { type CallSite, type PythonProgram, ProgramCache } from '../documents/python/program';
import { isMetricFunction, isTextMetric, TRACKER_ROOTS } from './catalog';
import { isBuiltinPrint } from './logging';
import { contains, nodesWithin, scopeOf, scopesOf } from './scopes';
import { trackingOf } from './tracking';

/**
 * Evaluation metrics whose only destination is `print`. A metric is a value computed by a metric
 * function (`accuracy_score`, `classification_report` …), a model's `score`/`evaluate`, or the
 * loss of a training loop (what `.backward()` is called on). Its value is followed through the
 * syntax tree: through arithmetic, `round`/`float`/`.item()`, f-strings and `%`/`.format`, and
 * through the variables it is assigned to. It "only reaches print" when every use of it ends in
 * a `print(...)` argument: a use in anything else (a tracker, a logger, a return, a comparison, a
 * dict) means it goes somewhere and the rule stays silent.
 */

export interface MetricUse {
  /** The expression inside the print that carries the metric: an argument or an f-string field. */
  expr: Node;
  /** A name for it: the variable, or the metric function (`accuracy` for `accuracy_score`). */
  name: string;
  /** A report or a matrix rather than a number. */
  text: boolean;
  /** The metric is a call made inside the print itself, cheap to compute again (sklearn.metrics). */
  recomputable: boolean;
  /** The value is computed by a call inside the print that is costly to repeat (cross-validation, evaluate). */
  costly: boolean;
  /** A sklearn metric (recorded by MLflow autolog when it is on). */
  sklearn: boolean;
  /** The metric function, when the metric is one (`classification_report`). */
  fn: string | null;
  origin: Node;
}

export interface MetricPrint {
  print: CallSite;
  uses: MetricUse[];
}

type Dest = { kind: 'print'; print: Node; expr: Node } | { kind: 'var'; names: string[]; stmt: Node } | { kind: 'other' } | { kind: 'neutral' };

const TRANSPARENT_CALLS = /^(round|float|int|str|abs|format|repr|min|max|sum|len|np\.\w+|numpy\.\w+|math\.\w+|statistics\.\w+|torch\.(mean|sum|stack|tensor))$/;
const TRANSPARENT_METHODS = /^(item|mean|sum|cpu|detach|numpy|tolist|round|std|avg|compute|float|to)$/;

const cache = new ProgramCache<MetricPrint[]>();

export function metricPrints(program: PythonProgram, path: string): MetricPrint[] {
  const cached = cache.get(program);
  if (cached) return cached;
  const scopes = scopesOf(program);
  const tracking = trackingOf(program, path);
  const byPrint = new Map<number, MetricPrint>();
  const origins: { node: Node; name: string; text: boolean; call: CallSite | null; sklearn: boolean; cheap: boolean; isLoss?: boolean }[] = [];

  // A value computed in a function reaches only prints inside that function (its uses are looked up
  // there): metrics of functions without a print are not followed. The functions around each print:
  const printing = new Set<number>();
  for (const call of program.calls()) if (call.callee === 'print' && isBuiltinPrint(program, call)) for (const fn of scopes.functionsOf(call.node)) printing.add(fn.id);
  const mayReachPrint = (node: Node) => {
    const fn = scopeOf(node);
    return !fn || printing.has(fn.id);
  };

  for (const call of program.calls()) {
    if (isMetricFunction(call.qualified)) {
      if (!mayReachPrint(call.node)) continue;
      origins.push({ node: call.node, name: metricName(call.method!), text: isTextMetric(call.qualified), call, sklearn: /^sklearn\.metrics\./.test(call.qualified ?? ''), cheap: /^sklearn\.metrics\./.test(call.qualified ?? '') });
    } else if ((call.method === 'score' && call.positional.length >= 2) || call.method === 'evaluate') {
      if (!call.receiver || !mayReachPrint(call.node)) continue;
      const origin = tracking.originKind(call.receiver, call.node, true, 0);
      if (origin?.kind !== 'model' && origin?.kind !== 'hf-trainer') continue;
      origins.push({ node: call.node, name: call.method === 'score' ? 'score' : 'eval', text: call.method === 'evaluate', call, sklearn: false, cheap: false });
    }
  }
  // losses: what `.backward()` is called on inside a loop
  for (const site of tracking.trainingSites()) {
    if (site.kind !== 'loop' || !site.loss || !mayReachPrint(site.statement)) continue;
    const loop = site.statement;
    const assign = nodesWithin(site.unit.nodes('assignment'), loop).find((node) => node.childForFieldName('left')?.text === site.loss);
    if (assign) origins.push({ node: assign.childForFieldName('right')!, name: site.loss, text: false, call: null, sklearn: false, cheap: false, isLoss: true });
  }

  const recordedTexts = new Set<string>();
  const pending: { print: Node; expr: Node; origin: (typeof origins)[number]; name: string | null; direct: boolean }[] = [];
  for (const o of origins) {
    const result = follow(o.node, o.name, 0, new Set());
    if (!result) {
      if (o.call) recordedTexts.add(`${scopeOf(o.node)?.id ?? -1}:${o.node.text}`);
      continue;
    }
    for (const p of result) pending.push({ ...p, origin: o, direct: p.name === null });
  }
  for (const p of pending) {
    // the same metric expression recorded elsewhere in the scope (e.g. by `mlflow.log_metric(…)`)
    if (p.direct && recordedTexts.has(`${scopeOf(p.origin.node)?.id ?? -1}:${p.origin.node.text}`)) continue;
    const call = scopes.callOf(p.print);
    if (!call) continue;
    let mp = byPrint.get(p.print.id);
    if (!mp) byPrint.set(p.print.id, (mp = { print: call, uses: [] }));
    if (mp.uses.some((u) => u.expr.id === p.expr.id)) continue;
    mp.uses.push({
      expr: p.expr,
      name: p.origin.isLoss && p.name && !/loss/i.test(p.name) ? 'loss' : (p.name ?? p.origin.name),
      text: p.origin.text,
      recomputable: p.direct && p.origin.cheap,
      costly: p.direct && !p.origin.cheap,
      sklearn: p.origin.sklearn,
      fn: p.origin.call?.method ?? null,
      origin: p.origin.node,
    });
  }
  const out = [...byPrint.values()].sort((a, b) => scopes.pos(a.print.node) - scopes.pos(b.print.node));
  cache.set(program, out);
  return out;

  /**
   * Where a value goes. Returns the prints it reaches (with the name it reaches them under, null
   * for the expression itself), or null when it also goes anywhere else.
   */
  function follow(node: Node, name: string, depth: number, seen: Set<string>): { print: Node; expr: Node; name: string | null }[] | null {
    const dest = destinationOf(node);
    if (dest.kind === 'other') return null;
    if (dest.kind === 'neutral') return [];
    if (dest.kind === 'print') return [{ print: dest.print, expr: dest.expr, name: null }];
    if (depth > 3) return null;
    const out: { print: Node; expr: Node; name: string | null }[] = [];
    for (const v of dest.names) {
      const key = `${scopeOf(dest.stmt)?.id ?? -1}:${v}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const uses = usesOf(v, dest.stmt);
      if (uses === null) return null;
      for (const u of uses) {
        const r = follow(u, v, depth + 1, seen);
        if (r === null) return null;
        out.push(...r.map((x) => ({ ...x, name: x.name ?? v })));
      }
    }
    return out;
  }

  /** Where a value flows: climbs through arithmetic and formatting; `value` is the last node that still is the value. */
  function destinationOf(start: Node): Dest {
    let node = start;
    let value = start;
    let formatting = false;
    for (let i = 0; i < 30; i++) {
      const p = node.parent;
      if (!p) return { kind: 'other' };
      let keepsValue = !formatting;
      switch (p.type) {
        case 'parenthesized_expression':
        case 'unary_operator':
        case 'conditional_expression':
        case 'boolean_operator':
          break;
        case 'binary_operator': {
          const op = p.childForFieldName('operator')?.text;
          const other = p.childForFieldName('left')?.id === node.id ? p.childForFieldName('right') : p.childForFieldName('left');
          if (op === '%' || (op === '+' && (other?.type === 'string' || other?.type === 'concatenated_string'))) keepsValue = false;
          if (op === '%' && p.childForFieldName('left')?.type !== 'string') keepsValue = !formatting;
          break;
        }
        case 'tuple':
        case 'interpolation':
        case 'format_expression':
        case 'string':
        case 'concatenated_string':
          keepsValue = false;
          break;
        case 'subscript':
          if (p.childForFieldName('value')?.id !== node.id) return { kind: 'other' };
          break;
        case 'attribute': {
          const call = p.parent;
          const method = p.childForFieldName('attribute')?.text ?? '';
          if (call?.type === 'call' && call.childForFieldName('function')?.id === p.id) {
            if (method === 'backward' || method === 'zero_grad') return { kind: 'neutral' };
            if (TRANSPARENT_METHODS.test(method)) {
              node = call;
              if (!formatting) value = call;
              continue;
            }
          }
          return { kind: 'other' };
        }
        case 'argument_list': {
          const call = p.parent;
          if (call?.type !== 'call') return { kind: 'other' };
          const site = scopes.callOf(call);
          if (!site) return { kind: 'other' };
          if (isBuiltinPrint(program, site)) return { kind: 'print', print: call, expr: value };
          const fn = call.childForFieldName('function');
          const isFormat = site.method === 'format' && fn?.type === 'attribute' && fn.childForFieldName('object')?.type === 'string';
          if (isFormat || (fn && /^(str|repr|format)$/.test(fn.text))) {
            formatting = true;
            node = call;
            continue;
          }
          if (fn && TRANSPARENT_CALLS.test(fn.text)) {
            node = call;
            if (!formatting) value = call;
            continue;
          }
          if (site.method === 'backward') return { kind: 'neutral' };
          return { kind: 'other' };
        }
        case 'assignment':
        case 'augmented_assignment': {
          if (p.childForFieldName('right')?.id !== node.id) return { kind: 'other' };
          const left = p.childForFieldName('left');
          if (left?.type === 'identifier') return { kind: 'var', names: [left.text], stmt: p };
          if (left?.type === 'pattern_list' || left?.type === 'tuple_pattern') {
            const names = left.namedChildren.filter((c) => c?.type === 'identifier').map((c) => c!.text);
            return names.length ? { kind: 'var', names, stmt: p } : { kind: 'other' };
          }
          return { kind: 'other' };
        }
        default:
          return { kind: 'other' };
      }
      node = p;
      if (keepsValue) value = p;
      else formatting = true;
    }
    return { kind: 'other' };
  }

  /** The uses of a variable after it is bound (in its scope), or null when it is used as something unknowable. */
  function usesOf(name: string, stmt: Node): Node[] | null {
    const scope = scopeOf(stmt);
    const target = stmt.childForFieldName('left');
    const out: Node[] = [];
    // in a function, its own identifiers; at module level, the program's (found from the name's places in the text)
    const ids = scope ? scopes.identifiersWithin(scope, name) : scopes.identifiersNamed(name);
    for (const id of ids) {
      if (target && contains(target, id)) continue;
      const p = id.parent;
      if (!p) continue;
      if (p.type === 'attribute' && p.childForFieldName('attribute')?.id === id.id) continue;
      if (p.type === 'keyword_argument' && p.childForFieldName('name')?.id === id.id) continue;
      if (/^(parameters|default_parameter|typed_parameter|typed_default_parameter|function_definition|class_definition|lambda_parameters)$/.test(p.type)) continue;
      if (p.type === 'global_statement' || p.type === 'nonlocal_statement') return null;
      // a new value (`acc = …`), or the variable updating itself (`total += …`)
      if ((p.type === 'assignment' || p.type === 'augmented_assignment') && p.childForFieldName('left')?.id === id.id) continue;
      if (!scopes.before(stmt, id) && !inSameLoop(stmt, id)) continue;
      out.push(id);
    }
    return out;
  }
}

function inSameLoop(a: Node, b: Node): boolean {
  for (let n = a.parent; n; n = n.parent) {
    if (n.type === 'function_definition') return false;
    if ((n.type === 'for_statement' || n.type === 'while_statement') && contains(n, b)) return true;
  }
  return false;
}

/** `accuracy` for `accuracy_score`, `mse` for `mean_squared_error`, `report` for `classification_report`. */
export function metricName(fn: string): string {
  const known: Record<string, string> = {
    mean_squared_error: 'mse',
    root_mean_squared_error: 'rmse',
    mean_absolute_error: 'mae',
    mean_absolute_percentage_error: 'mape',
    classification_report: 'classification_report',
    confusion_matrix: 'confusion_matrix',
    cross_val_score: 'cv_score',
    precision_recall_fscore_support: 'precision_recall_fscore',
  };
  return known[fn] ?? fn.replace(/_score$/, '');
}

/** A metric name usable as a tracker key. */
export function metricKey(name: string): string {
  return name.replace(/[^A-Za-z0-9_./ -]/g, '_');
}

/** The metric prints M102 reports (M103 leaves them to it). */
const reportedCache = new ProgramCache<{ path: string; config: ResolvedConfig; prints: MetricPrint[] }>();

/** The metric prints M102 reports and P-rules skip; computed once per program and config (two rules read it). */
export function reportedMetricPrints(program: PythonProgram, path: string, config: ResolvedConfig): MetricPrint[] {
  const cached = reportedCache.get(program);
  if (cached && cached.path === path && cached.config === config) return cached.prints;
  const prints = computeReportedMetricPrints(program, path, config);
  reportedCache.set(program, { path, config, prints });
  return prints;
}

function computeReportedMetricPrints(program: PythonProgram, path: string, config: ResolvedConfig): MetricPrint[] {
  if (isTestPath(config, path)) return [];
  // a notebook with no tracker at all gets M101 once, not one finding per printed number
  if (program.isNotebook && !TRACKER_ROOTS.some((r) => program.imports.imports(r)) && !config.allow.tracking.some((r) => program.imports.imports(r))) return [];
  const tracking = trackingOf(program, path);
  return metricPrints(program, path)
    .map((mp) => ({ ...mp, uses: mp.uses.filter((u) => !(u.sklearn && tracking.autologActive(u.origin))) }))
    .filter((mp) => mp.uses.length > 0);
}

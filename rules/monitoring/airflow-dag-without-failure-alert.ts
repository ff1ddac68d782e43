import type { Node } from '../documents/python/syntax-tree';
import { isTestPath } from '../core/config';
import { defineRule, type EditSpec, type FixSpec } from '../core/rule';
import type { PythonProgram } from '../documents/python/program';
import type { PythonUnit } from '../documents/python/unit';
import { failureSignalIn, hasFailureSignal, TAG } from './collector';
import { eolOf, indentUnitOf, lineIndentOf, moduleBlock } from './edits';
import { moduleLogger } from './logging';
import { absoluteName, decoratorCallee, decoratorsOf, keywordArgs, literalString, positionalArgs, sameQualified, scopesOf } from './scopes';

const DAG_CLASS = /^airflow(\.models(\.dag)?|\.sdk(\.definitions\.dag)?)?\.DAG$/;
const DAG_DECORATOR = /^airflow(\.decorators|\.sdk(\.definitions\.decorators)?)?\.dag$/;

interface DagSite {
  /** The `DAG(...)` call or the `@dag(...)` decorator expression. */
  node: Node;
  /** The part reported: the callee. */
  callee: Node;
  call: Node | null;
  unit: PythonUnit;
  dagId: string | null;
}

export default defineRule({
  code: 'M106',
  name: 'airflow-dag-without-failure-alert',
  category: 'monitoring',
  severity: 'warning',
  appliesTo: ['python'],
  fixable: 'unsafe',
  docs: {
    summary: 'An Airflow DAG (`DAG(...)`, `with DAG(...)`, `@dag`) has no failure signal: no `on_failure_callback`, no e-mail on failure, no SLA, neither on the DAG, in its `default_args`, nor on its tasks.',
    why:
      'A training or scoring DAG that fails at 3 a.m. and tells nobody leaves downstream models quietly stale: features stop updating, the model is not retrained, the batch predictions are yesterday\'s. The scheduler knows the task failed; without a callback, e-mail or SLA nobody else does until a user notices. Shared `default_args` imported from another module of the project and Airflow cluster policies (`airflow_local_settings.py`) are taken into account.',
    example: 'with DAG("churn_training", schedule="@daily", default_args={"retries": 2}) as dag:\n    train = PythonOperator(task_id="train", python_callable=train_model)',
    useInstead:
      'def notify_failure(context):\n    ti = context["task_instance"]\n    log.error("Airflow task failed: dag=%s task=%s run=%s log=%s", ti.dag_id, ti.task_id, context["run_id"], ti.log_url)\n    # send to Slack / PagerDuty / e-mail here\n\n\nwith DAG("churn_training", schedule="@daily", default_args={"retries": 2, "on_failure_callback": notify_failure}) as dag:\n    train = PythonOperator(task_id="train", python_callable=train_model)',
    fixSafety:
      'Unsafe: the fix adds a `notify_failure(context)` callback that logs the failed task at ERROR level (with DAG, task, run and log URL) and wires it as `on_failure_callback` in the DAG\'s `default_args` (or on the DAG). Logging is the first step only: route the callback to the team\'s alerting (Slack, PagerDuty, e-mail).',
    language: 'python',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (!program || !program.imports.imports('airflow') || isTestPath(ctx.config, ctx.doc.path)) return;
    const sites = dagSites(program);
    if (!sites.length) return;
    if (taskLevelSignal(program)) return;
    const scopes = scopesOf(program);
    const path = ctx.doc.path;
    for (const site of sites) {
      const kw = site.call ? keywordArgs(site.call) : new Map<string, Node>();
      if (hasFailureSignal(kw)) continue;
      let defaults: Node | null | undefined = kw.get('default_args');
      let importedDefaults: string | null = null;
      if (defaults?.type === 'identifier') {
        const binding = program.imports.binding(defaults.text);
        if (binding) importedDefaults = absoluteName(binding.qualified, path);
        else defaults = scopes.valueOf(defaults.text, site.node);
        if (!defaults && !importedDefaults) continue; // built somewhere we cannot see
      }
      if (defaults && !importedDefaults) {
        if (defaults.type !== 'dictionary' && !(defaults.type === 'call' && defaults.childForFieldName('function')?.text === 'dict')) continue;
        if (defaults.namedChildren.some((c) => c?.type === 'dictionary_splat') || failureSignalIn(defaults)) continue;
      }
      const fix = importedDefaults ? null : fixFor(program, site, defaults ?? null);
      ctx.report({
        unit: site.unit,
        start: site.callee.startIndex,
        end: site.callee.endIndex,
        message: `DAG${site.dagId ? ` \`${site.dagId}\`` : ''} has no failure signal (no \`on_failure_callback\`, e-mail on failure or SLA): when a run fails nobody is told, and the models and data it feeds quietly go stale.`,
        when: (facts) => !facts.hasTag(TAG.failurePolicy) && !(importedDefaults && [...facts.files.values()].some((f) => [...f.tags.keys()].some((t) => t.startsWith(TAG.failureArgs) && sameQualified(t.slice(TAG.failureArgs.length), importedDefaults!)))),
        fixes: fix ? [fix] : [],
      });
    }
  },
});

function dagSites(program: PythonProgram): DagSite[] {
  const out: DagSite[] = [];
  for (const call of program.calls()) {
    if (!call.qualified || !DAG_CLASS.test(call.qualified)) continue;
    const fn = call.node.childForFieldName('function')!;
    const id = literalString(call.keywords.get('dag_id') ?? call.positional[0]);
    out.push({ node: call.node, callee: fn, call: call.node, unit: call.unit, dagId: id });
  }
  for (const { node: fn, unit } of program.nodes('function')) {
    for (const d of decoratorsOf(fn)) {
      if (!DAG_DECORATOR.test(program.resolve(decoratorCallee(d)) ?? '')) continue;
      const call = d.type === 'call' ? d : null;
      const id = literalString(call ? (keywordArgs(call).get('dag_id') ?? positionalArgs(call)[0]) : null) ?? fn.childForFieldName('name')?.text ?? null;
      out.push({ node: d, callee: decoratorCallee(d)!, call, unit, dagId: id });
    }
  }
  return out;
}

/** Tasks that alert on their own: `on_failure_callback=` on an operator or `@task`, or set on the DAG object. */
function taskLevelSignal(program: PythonProgram): boolean {
  for (const call of program.calls()) {
    const cb = call.keywords.get('on_failure_callback') ?? call.keywords.get('sla_miss_callback');
    if (cb && cb.type !== 'none') return true;
  }
  for (const { node } of program.nodes('assignment')) {
    const left = node.childForFieldName('left');
    if (left?.type === 'attribute' && /^(on_failure_callback|sla_miss_callback)$/.test(left.childForFieldName('attribute')?.text ?? '')) return true;
  }
  return false;
}

/** Adds `on_failure_callback` to a dict literal, `dict(...)` or call's arguments. */
function addEntry(program: PythonProgram, unit: PythonUnit, container: Node, entry: string): EditSpec | null {
  const isDict = container.type === 'dictionary';
  const list = isDict ? container : container.childForFieldName('arguments');
  if (!list || (list.type !== 'dictionary' && list.type !== 'argument_list')) return null;
  const items = list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  const open = list.startIndex + 1;
  if (!items.length) return { unit, start: open, end: open, newText: entry };
  const last = items[items.length - 1];
  const after = last.nextSibling;
  const multiline = unit.lines.lineOf(list.startIndex) !== unit.lines.lineOf(last.startIndex);
  if (!multiline) return { unit, start: last.endIndex, end: last.endIndex, newText: `, ${entry}` };
  const indent = lineIndentOf(unit, last) ?? (lineIndentOf(unit, list) ?? '') + indentUnitOf(program);
  const eol = eolOf(unit);
  if (after?.type === ',') return { unit, start: after.endIndex, end: after.endIndex, newText: `${eol}${indent}${entry},` };
  return { unit, start: last.endIndex, end: last.endIndex, newText: `,${eol}${indent}${entry}` };
}

function fixFor(program: PythonProgram, site: DagSite, defaults: Node | null): FixSpec | null {
  const scopes = scopesOf(program);
  const callback = scopes.freshName('notify_failure', 'on_dag_failure', 'alert_on_failure');
  const logger = moduleLogger(program);
  let wire: EditSpec | null;
  if (defaults) {
    const unit = scopes.unitOf(defaults);
    wire = addEntry(program, unit, defaults, defaults.type === 'dictionary' ? `"on_failure_callback": ${callback}` : `on_failure_callback=${callback}`);
  } else if (site.call) {
    wire = addEntry(program, site.unit, site.call, `on_failure_callback=${callback}`);
  } else {
    wire = { unit: site.unit, start: site.node.startIndex, end: site.node.endIndex, newText: `${site.node.text}(on_failure_callback=${callback})` };
  }
  if (!wire) return null;
  const iu = indentUnitOf(program);
  const def = [
    `def ${callback}(context):`,
    `${iu}"""Called by Airflow when a task fails: route this to the on-call channel (Slack, PagerDuty, e-mail)."""`,
    `${iu}ti = context["task_instance"]`,
    `${iu}${logger.name}.error("Airflow task failed: dag=%s task=%s run=%s log=%s", ti.dag_id, ti.task_id, context["run_id"], ti.log_url)`,
  ].join('\n');
  return {
    title: `Add an \`on_failure_callback\` that logs the failed task (then route it to your alerting)`,
    applicability: 'unsafe',
    edits: [wire, ...logger.block, ...moduleBlock(program, [], [def])],
  };
}

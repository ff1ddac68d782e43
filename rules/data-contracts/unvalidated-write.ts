import type { Node } from '../documents/python/syntax-tree';
import { isTestPath } from '../core/config';
import type { WorkspaceFacts } from '../core/facts';
import { defineRule } from '../core/rule';
import type { CallSite, PythonProgram } from '../documents/python/program';
import { contractFixes } from './contract-fix';
import { datasetName, FACT_PIPELINE_SCRIPT } from './datasets';
import { firstAtOrAfter, programIndex, scopeOf, type FunctionInfo, type ProgramIndex } from './python-index';
import { callChain, type ReaderFamily } from './readers';
import { contractSite, isWriteCall } from './sites';
import { isValidationCall } from './validation';
import { stringValue } from './values';

/**
 * Frames written by pipeline code with no output validation. Pipeline code is a file in a
 * pipeline folder (`pipelines/`, `steps/`, `dags/`, `etl/` …), a Kedro `nodes.py`, a step
 * function of an orchestrator (Airflow, Prefect, Dagster, Kubeflow, ZenML, Metaflow, Flyte), or a
 * script a DVC stage runs. The written frame is validated when the expression written is (or
 * contains) a validation call, when the name written was last bound to a validation's result, or
 * when a validation call receives it between that binding and the write.
 */

const PIPELINE_DIR = /(^|\/)(pipelines?|steps?|jobs?|etl|elt|dags?|flows?|tasks?|workflows?|components?|ingestion|stages?)\//i;
const PIPELINE_FILE = /(^|\/)(nodes|pipeline|etl|ingest|prepare|preprocess|preprocessing|featurize|build_features|make_dataset|transform|process_data)\.py$/i;
const STEP_DECORATOR = /^(airflow(\.\w+)*\.(task|dag)|prefect\.(task|flow)|dagster\.(op|asset|multi_asset|graph_asset)|kfp(\.\w+)*\.(component|container_component)|zenml(\.\w+)*\.step|metaflow\.step|flytekit\.(task|workflow))$/;

function stepFunction(index: ProgramIndex, node: Node): FunctionInfo | null {
  for (let scope = scopeOf(node); scope; scope = scopeOf(scope)) {
    const fn = index.functionOf(scope);
    if (fn?.decorators.some((d) => STEP_DECORATOR.test(d.qualified ?? '') || (d.qualified ?? '').startsWith('airflow.decorators.task'))) return fn;
  }
  return null;
}

function containsValidation(index: ProgramIndex, node: Node, allow: string[]): boolean {
  const calls = node.type === 'call' ? [node, ...node.descendantsOfType('call').filter((c): c is Node => !!c)] : node.descendantsOfType('call').filter((c): c is Node => !!c);
  return calls.some((c) => {
    const site = index.callAt(c);
    return !!site && (isValidationCall(index, site, 'argument', { allow }) || isValidationCall(index, site, 'receiver', { allow }));
  });
}

/** Whether the frame this write receives was validated in its scope before the write. */
function writtenFrameValidated(program: PythonProgram, index: ProgramIndex, call: CallSite, allow: string[]): { ok: boolean; root: Node | null } {
  const receiver = call.receiver!;
  if (containsValidation(index, receiver, allow)) return { ok: true, root: null };
  const chain = callChain(receiver);
  const root = chain.root;
  const name = root?.type === 'identifier' ? root.text : root?.type === 'attribute' && /^self\./.test(root.text) ? root.text : null;
  if (!root || !name) return { ok: false, root: null };
  const scope = scopeOf(call.node);
  const before = call.node.startIndex;
  const sameScope = (n: Node) => (scopeOf(n)?.id ?? -1) === (scope?.id ?? -1) && program.unitOf(n) === call.unit;
  // candidates start inside the write's scope and before the write: a run of the unit's lists, sorted by start
  const lower = (from: number) => (scope ? Math.max(from, scope.startIndex) : from);
  let lastBinding: Node | null = null;
  const assignments = call.unit.nodes('assignment');
  for (let i = firstAtOrAfter(assignments, lower(0), (n) => n.startIndex); i < assignments.length && assignments[i].startIndex <= before; i++) {
    const node = assignments[i];
    if (node.type !== 'assignment' || node.endIndex > before || node.childForFieldName('left')?.text !== name || !sameScope(node)) continue;
    if (!lastBinding || node.startIndex > lastBinding.startIndex) lastBinding = node;
  }
  if (lastBinding) {
    const right = lastBinding.childForFieldName('right');
    if (right && containsValidation(index, right, allow)) return { ok: true, root };
  }
  const from = lastBinding?.endIndex ?? (scope ? scope.startIndex : 0);
  const calls = index.unitCalls(call.unit);
  for (let i = firstAtOrAfter(calls, lower(from), (c) => c.node.startIndex); i < calls.length && calls[i].node.startIndex <= before; i++) {
    const c = calls[i];
    // the text test first: a call whose source does not hold the name cannot pass it
    if (c.node.endIndex > before || !c.node.text.includes(name) || !sameScope(c.node)) continue;
    if (passesName(c, name) && isValidationCall(index, c, 'argument', { allow })) return { ok: true, root };
  }
  return { ok: false, root };
}

function passesName(call: CallSite, name: string): boolean {
  if (call.positional.some((a) => mentions(a, name))) return true;
  for (const a of call.keywords.values()) if (mentions(a, name)) return true;
  return false;
}

/** The argument is the name, or holds it as an identifier or attribute chain (`f(df)`, `f(x=self.df)`). */
function mentions(arg: Node, name: string): boolean {
  if (arg.text === name) return true;
  // a part's text is a slice of the argument's: no occurrence in the text, no such part
  if (!arg.text.includes(name)) return false;
  // one type at a time: each is a run of the tree's list, while two would be merged and sorted
  return hasNodeWithText(arg, 'identifier', name) || hasNodeWithText(arg, 'attribute', name);
}

function hasNodeWithText(node: Node, type: string, text: string): boolean {
  for (const n of node.descendantsOfType(type)) if (n.text === text) return true;
  return false;
}

const TEMP_PATH = /^(\/tmp\/|\/var\/tmp\/|\/dev\/)/;

/**
 * Writes that do not publish a dataset: no target (`df.to_csv()` returns text), an in-memory
 * buffer, a temporary file or folder (`/tmp/…`, a `tempfile` name).
 */
function isScratchWrite(program: PythonProgram, index: ProgramIndex, call: CallSite): boolean {
  const m = call.method ?? '';
  const target = call.positional[0] ?? call.keywords.get('path') ?? call.keywords.get('path_or_buf') ?? call.keywords.get('file') ?? call.keywords.get('name');
  if (!target) return /^(to_csv|to_json|to_string|to_html|to_markdown|to_dict|to_latex|write_csv|write_json|write_ndjson)$/.test(m);
  const value = stringValue(index, target);
  if (value && TEMP_PATH.test(value.value)) return true;
  const names = new Set(target.type === 'identifier' ? [target.text] : target.descendantsOfType('identifier').map((i) => i?.text ?? ''));
  const scope = scopeOf(call.node);
  for (const { node } of program.nodes('with')) {
    if ((scopeOf(node)?.id ?? -1) !== (scope?.id ?? -1) || !/\btempfile\.|\b(StringIO|BytesIO|TemporaryDirectory|NamedTemporaryFile|mkdtemp)\(/.test(node.text.slice(0, 200))) continue;
    for (const alias of node.descendantsOfType('as_pattern_target')) if (alias && names.has(alias.text)) return true;
  }
  for (const name of names) {
    const v = index.moduleValue(name)?.node.text ?? '';
    if (/\b(StringIO|BytesIO|mkdtemp|gettempdir)\(/.test(v)) return true;
  }
  return /\b(tempfile\.|gettempdir\(|mkdtemp\(|StringIO\(|BytesIO\()/.test(target.text);
}

/** Scripts DVC stages run, asked per finding: one set per workspace state. */
function pipelineScripts(facts: WorkspaceFacts): ReadonlySet<string> {
  return facts.cached('data-contracts:pipeline-scripts', () => new Set(facts.values<string>(FACT_PIPELINE_SCRIPT).map((v) => v.value)));
}

function familyOf(call: CallSite): ReaderFamily {
  const m = call.method ?? '';
  if (/^(write_|sink_)/.test(m)) return 'polars';
  if (/\.write(Stream)?\b/.test(call.receiver?.text ?? '') || m === 'saveAsTable' || m === 'insertInto') return 'pyspark';
  return 'pandas';
}

export default defineRule({
  code: 'D104',
  name: 'unvalidated-write',
  category: 'data-contracts',
  severity: 'info',
  // advice about pipeline outputs, not a defect: production does not raise it
  stageSeverity: { production: 'info' },
  appliesTo: ['python'],
  fixable: 'unsafe',
  docs: {
    summary: 'A pipeline step writes a frame to storage (`to_parquet`, `to_csv`, `write_parquet`, `df.write.parquet`, `saveAsTable` …) without validating it first.',
    why:
      'What one step writes, the next one (or another team) reads as truth. Validating the output where it is produced stops a bad join, an empty filter or a type drift at the step that caused it, instead of three steps later or in production scoring. Validation is recognised as for reads: pandera, Great Expectations, pydantic, Soda, or a function listed under `allow.validation`.',
    example: 'def build_features(customers):\n    features = customers.assign(tenure_years=customers.tenure_months / 12)\n    features.to_parquet("data/features.parquet")',
    useInstead:
      'def build_features(customers):\n    features = customers.assign(tenure_years=customers.tenure_months / 12)\n    FEATURES_SCHEMA.validate(features).to_parquet("data/features.parquet")',
    fixSafety:
      'Unsafe, offered when the project already has a pandera schema named after the written dataset: the frame is wrapped in `SCHEMA.validate(...)` before it is written, so a frame that breaks the schema is no longer written.',
  },
  check(ctx) {
    const program = ctx.doc.python;
    if (!program || ctx.doc.notebook || isTestPath(ctx.config, ctx.doc.path)) return;
    const writes = program.calls().filter(isWriteCall);
    if (!writes.length) return;
    const index = programIndex(program);
    const pipelineFile = PIPELINE_DIR.test(ctx.doc.path) || PIPELINE_FILE.test(ctx.doc.path);
    const path = ctx.doc.path;
    const allow = ctx.config.allow.validation;
    for (const call of writes) {
      if (isScratchWrite(program, index, call)) continue;
      const step = stepFunction(index, call.node);
      const { ok, root } = writtenFrameValidated(program, index, call, allow);
      if (ok) continue;
      const target = stringValue(index, call.positional[0] ?? call.keywords.get('path') ?? call.keywords.get('name') ?? call.keywords.get('file'));
      const dataset = datasetName(target && !target.partial ? target.value : null, root?.type === 'identifier' ? root.text : null);
      const family = familyOf(call);
      // wrap only the frame itself: `df.to_parquet`, `df.write.mode(…).parquet`
      const links = callChain(call.receiver!).links;
      const frameRoot = root && (call.receiver!.type === 'identifier' || call.receiver!.type === 'attribute' && /^self\./.test(call.receiver!.text) || links[0]?.name === 'write' || links[0]?.name === 'writeStream');
      const site = root && frameRoot ? contractSite(path, program, index, root, call.unit, { family, path: target, options: {} }, dataset, []) : null;
      const where = step ? ` in pipeline step \`${step.name}\`` : '';
      const when = pipelineFile || step ? undefined : (facts: WorkspaceFacts) => pipelineScripts(facts).has(path);
      ctx.report({
        unit: call.unit,
        start: call.node.startIndex,
        end: call.node.endIndex,
        message: `\`${call.callee ?? `${root?.text ?? ''}….${call.method}`}\` writes ${target ? `\`${target.value}\`` : 'a frame'}${where} that nothing validated: downstream steps will read whatever this step produced. Validate the frame before writing it.`,
        when,
        deferredFixes: site ? (facts) => contractFixes(site, facts, 'write') : undefined,
      });
    }
  },
});

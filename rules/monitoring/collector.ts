import type { SyntaxNode } from '../documents/python/syntax-tree';
import { isMap, isScalar, isSeq } from 'yaml';
import { addTag, type FileFacts, type WorkspaceFacts } from '../core/facts';
import type { FindingLocation } from '../core/rule';
import type { AnalyzedDocument } from '../documents/document';
import type { PythonUnit } from '../documents/python/unit';
import { yscalars } from '../documents/yaml-nodes';
import { DRIFT_PACKAGES, isDriftCall, isDriftModule, trackerName, trackerRoot } from './catalog';
import { absoluteName, keywordArgs, modulePath, nameOf, sameQualified, scopesOf } from './scopes';
import { servingOf } from './serving';
import { trackingOf } from './tracking';

/**
 * Facts the monitoring rules need from the rest of the project. Tags (all but the first four are
 * the family's own, prefixed `monitoring.`):
 * - `tracks-experiments`: the file calls an experiment tracker (location: the first call);
 * - `serves-model`: the file serves a model (location: each prediction handler);
 * - `serving-instrumented`: every prediction handler of the file logs or records metrics;
 * - `monitors-drift`: the file (or a dependency list, or a monitoring config) sets up drift or
 *   data-quality monitoring;
 * - `monitoring.tracker:<mlflow|wandb|…>`: which trackers the project uses (for fixes);
 * - `monitoring.tracker-wrapper:<module.name>`: a project function or class that calls a tracker;
 * - `monitoring.tracked-call:<module.name>`: a project function called inside a tracked run;
 * - `monitoring.app-instrumented`: a web app instrumented as a whole (middleware, exporter);
 * - `monitoring.airflow-failure-args:<module.NAME>`: a dict of DAG default args with a failure signal;
 * - `monitoring.airflow-failure-policy`: cluster policies or local settings that add failure callbacks.
 */
export const TAG = {
  tracks: 'tracks-experiments',
  serves: 'serves-model',
  instrumented: 'serving-instrumented',
  drift: 'monitors-drift',
  tracker: 'monitoring.tracker:',
  wrapper: 'monitoring.tracker-wrapper:',
  trackedCall: 'monitoring.tracked-call:',
  appInstrumented: 'monitoring.app-instrumented',
  failureArgs: 'monitoring.airflow-failure-args:',
  failurePolicy: 'monitoring.airflow-failure-policy',
} as const;

export function locationOf(doc: AnalyzedDocument, unit: PythonUnit | AnalyzedDocument['file'], start: number, end: number): FindingLocation {
  const loc: FindingLocation = { path: doc.path, range: unit.lines.rangeOf(start, end), fileRange: { start: unit.toFileOffset(start), end: unit.toFileOffset(end) } };
  if (unit.cell !== undefined) loc.cell = unit.cell;
  return loc;
}

export function collectMonitoringFacts(doc: AnalyzedDocument, facts: FileFacts): void {
  if (doc.python && !doc.notebook?.problem) collectPython(doc, facts);
  if (doc.requirements) {
    for (const r of doc.requirements.requirements) {
      if (DRIFT_PACKAGES.has(r.name.toLowerCase().replace(/_/g, '-'))) addTag(facts, TAG.drift, locationOf(doc, doc.file, r.nameStart, r.nameEnd));
    }
  }
  if (doc.yaml) collectYaml(doc, facts);
  if (doc.toml) {
    for (const e of doc.toml.entries) {
      const names: string[] = [];
      if (e.path[0] === 'project' && (e.path[1] === 'dependencies' || e.path[1] === 'optional-dependencies') && e.value.type === 'TOMLArray') {
        for (const el of e.value.elements) if (el.type === 'TOMLValue' && el.kind === 'string') names.push(String(el.value));
      } else if (e.path[0] === 'tool' && e.path[1] === 'poetry' && e.path.includes('dependencies') && typeof e.path[e.path.length - 1] === 'string') {
        names.push(String(e.path[e.path.length - 1]));
      }
      for (const n of names) if (DRIFT_PACKAGES.has(n.split(/[<>=!~\s[;]/)[0].toLowerCase().replace(/_/g, '-'))) addTag(facts, TAG.drift);
    }
  }
}

function collectPython(doc: AnalyzedDocument, facts: FileFacts): void {
  const program = doc.python!;
  const tracking = trackingOf(program, doc.path);
  const trackerCalls = tracking.trackerCalls();
  if (trackerCalls.length) {
    const first = trackerCalls[0];
    addTag(facts, TAG.tracks, locationOf(doc, first.unit, first.node.startIndex, first.node.endIndex));
  }
  for (const m of program.imports.modules) {
    const root = trackerRoot(m);
    if (root) addTag(facts, TAG.tracker + trackerName(root) + (trackerName(root) === 'other' ? `:${root}` : ''));
  }
  const mod = modulePath(doc.path);
  if (mod) for (const name of tracking.exportedWrappers()) addTag(facts, `${TAG.wrapper}${mod}.${name}`);

  // project functions called inside a tracked run: their training is tracked by the caller
  const seen = new Set<string>();
  const calls = program.calls();
  for (let i = 0; i < calls.length; i++) {
    const call = calls[i];
    const dotted = call.callee;
    if (!dotted || !call.qualified || !program.imports.binding(rootName(dotted))) continue;
    const q = absoluteName(call.qualified, doc.path);
    if (seen.has(q) || trackerRoot(q)) continue;
    if (tracking.isCallTracked(i)) {
      seen.add(q);
      addTag(facts, TAG.trackedCall + q);
    }
  }

  // serving
  const serving = servingOf(program);
  for (const h of serving.handlers()) {
    const name = h.fn.childForFieldName('name')!;
    addTag(facts, TAG.serves, locationOf(doc, h.unit, name.startIndex, name.endIndex));
  }
  if (serving.appInstrumented()) addTag(facts, TAG.appInstrumented);
  const handlers = serving.handlers();
  if (handlers.length && handlers.every((h) => h.observed)) addTag(facts, TAG.instrumented);

  // drift and data-quality monitoring
  for (const m of program.imports.modules) {
    if (isDriftModule(m)) {
      const b = program.imports.bindings.find((x) => isDriftModule(x.module || x.qualified));
      const unit = b ? program.units[b.unitIndex] : undefined;
      addTag(facts, TAG.drift, b && unit ? locationOf(doc, unit, b.node.startIndex, b.node.endIndex) : undefined);
      break;
    }
  }
  for (const call of program.calls()) {
    if (call.qualified && isDriftCall(call.qualified)) addTag(facts, TAG.drift, locationOf(doc, call.unit, call.node.startIndex, call.node.endIndex));
    else if (call.method === 'run_checkpoint' || (call.method === 'run' && call.receiver && /checkpoint/i.test(call.receiver.text) && program.imports.imports('great_expectations'))) {
      addTag(facts, TAG.drift, locationOf(doc, call.unit, call.node.startIndex, call.node.endIndex));
    }
  }

  // Airflow: shared default args with a failure signal (any module may hold them), and cluster policies
  if (mod) {
    for (const node of scopesOf(program).moduleAssignments()) {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left?.type === 'identifier' && right && failureSignalIn(right)) addTag(facts, `${TAG.failureArgs}${mod}.${left.text}`);
    }
  }
  if (program.imports.imports('airflow') || /(^|\/)airflow_local_settings\.py$/.test(doc.path)) {
    const policies = program.nodes('function').some(({ node }) => /^(task_policy|dag_policy|task_instance_mutation_hook)$/.test(nameOf(node) ?? '') && node.parent?.type === 'module');
    if (policies && /(^|\/)airflow_local_settings\.py$|(^|\/)plugins\//.test(doc.path)) addTag(facts, TAG.failurePolicy);
  }
}

/** The first name of a dotted name: `pd` for `pd.read_csv`. */
function rootName(dotted: string): string {
  const dot = dotted.indexOf('.');
  return dot < 0 ? dotted : dotted.slice(0, dot);
}

/** A dict (literal or `dict(...)`) that carries a failure signal for Airflow tasks. */
export function failureSignalIn(node: SyntaxNode): boolean {
  const keys = new Map<string, SyntaxNode>();
  if (node.type === 'dictionary') {
    for (const pair of node.namedChildren) {
      if (pair?.type !== 'pair') continue;
      const key = pair.childForFieldName('key');
      const k = key?.type === 'string' ? key.text.replace(/^[a-zA-Z]*['"]+|['"]+$/g, '') : null;
      if (k && pair.childForFieldName('value')) keys.set(k, pair.childForFieldName('value')!);
    }
  } else if (node.type === 'call' && node.childForFieldName('function')?.text === 'dict') {
    for (const [k, v] of keywordArgs(node)) keys.set(k, v);
  } else return false;
  return hasFailureSignal(keys);
}

export function hasFailureSignal(keys: Map<string, SyntaxNode>): boolean {
  const truthy = (n: SyntaxNode | undefined) => !!n && n.type !== 'none' && n.type !== 'false' && !(n.type === 'list' && n.namedChildCount === 0);
  if (truthy(keys.get('on_failure_callback')) || truthy(keys.get('sla_miss_callback')) || truthy(keys.get('sla'))) return true;
  const email = keys.get('email');
  const onFailure = keys.get('email_on_failure');
  return truthy(email) && (onFailure === undefined || truthy(onFailure));
}

function collectYaml(doc: AnalyzedDocument, facts: FileFacts): void {
  for (const { doc: ydoc } of doc.yaml!.documents) {
    const root = ydoc.contents;
    if (isMap(root)) {
      const kind = root.get('kind');
      if (typeof kind === 'string' && /^(InferenceService|SeldonDeployment|ServingRuntime)$/.test(kind)) {
        const node = root.items.find((i) => isScalar(i.key) && i.key.value === 'kind')?.value;
        const range = isScalar(node) ? node.range : undefined;
        addTag(facts, TAG.serves, range ? locationOf(doc, doc.file, range[0], range[1]) : undefined);
      }
    }
    for (const { scalar, path } of yscalars(root)) {
      const last = path[path.length - 1];
      const value = typeof scalar.value === 'string' ? scalar.value : '';
      if (
        last === 'create_monitor' ||
        last === 'monitoring_signals' ||
        last === 'modelDeploymentMonitoringObjectiveConfigs' ||
        /^AWS::SageMaker::(MonitoringSchedule|DataQualityJobDefinition|ModelQualityJobDefinition|ModelBiasJobDefinition)$/.test(value) ||
        (typeof last === 'string' && /^(drift|data_drift|model_monitor(ing)?)$/i.test(last) && isSeq(scalar) === false && path.length <= 3)
      ) {
        addTag(facts, TAG.drift);
        return;
      }
      if (path.includes('dependencies') && value) {
        const name = value.replace(/^\s*-?\s*/, '').split(/[<>=!~\s[;]/)[0].toLowerCase().replace(/_/g, '-');
        if (DRIFT_PACKAGES.has(name)) addTag(facts, TAG.drift);
      }
    }
  }
}

// -----------------------------------------------------------------------------------------------
// Queries for the rules' `when` conditions

/** Some file defines `q` (a function or class) as a wrapper that calls a tracker. */
export function isTrackerWrapper(facts: WorkspaceFacts, q: string, fromPath: string): boolean {
  const target = absoluteName(q, fromPath);
  return facts.cached(`monitoring:wrapper:${target}`, () => facts.tagsWithPrefix(TAG.wrapper).some((w) => sameQualified(w, target)));
}

/** Some file calls `key` (`module.function`) inside a tracked run. */
export function isCalledTracked(facts: WorkspaceFacts, key: string): boolean {
  return facts.cached(`monitoring:tracked-call:${key}`, () => facts.tagsWithPrefix(TAG.trackedCall).some((c) => sameQualified(c, key)));
}

export function projectTracker(facts: WorkspaceFacts): 'mlflow' | 'wandb' | null {
  if (facts.hasTag(`${TAG.tracker}mlflow`)) return 'mlflow';
  if (facts.hasTag(`${TAG.tracker}wandb`)) return 'wandb';
  return null;
}

/** kedro-mlflow tracks every Kedro pipeline run from its `conf/<env>/mlflow.yml`. */
export function kedroMlflow(facts: WorkspaceFacts): boolean {
  return facts.cached('monitoring:kedro-mlflow', () => facts.findPaths((p) => /(^|\/)conf\/[^/]+\/mlflow\.ya?ml$/.test(p)).length > 0);
}

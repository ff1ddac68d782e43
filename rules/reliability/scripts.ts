import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import { PIPELINE_STEP, pipelineStepOf, type PipelineStep } from '../core/engine';
import { addTag, addValue, type WorkspaceFacts } from '../core/facts';
import type { FactCollector } from '../core/registry';
import type { FindingLocation } from '../core/rule';
import type { AnalyzedDocument } from '../documents/document';
import type { YamlKind } from '../documents/yaml-kind';
import { yentries, yget, ygetIn, yitems, ystring } from '../documents/yaml-nodes';
import { dirOf, dvcStages, normalizePath, scriptsOf, type ScriptUse } from '../reproducibility/dvc';
import { scalarOffsets } from '../reproducibility/yaml-text';
import { ciJobs } from './ci';
import { pipelineIr } from './kfp-ir';
import { containerSites, readableDocuments } from './workloads';

/**
 * Pipeline steps → the Python scripts they run. A `dvc.yaml` stage, an MLproject entry point, a
 * GitHub Actions or GitLab CI step, an Azure ML command job, an Argo/Kubeflow/Kubernetes container
 * or a Vertex AI worker pool that runs `python src/train.py` (or `python -m pkg.train`) makes that
 * script production code: the collector records, on the pipeline file's facts,
 *
 *  - the tag `runs-scripts`, with the places of the references (the pipeline → script link);
 *  - the tag `pipeline-script:<path>` for each workspace path the reference may designate, which a
 *    rule checking a script can test with `isPipelineScript(facts, path)`;
 *  - an `engine.pipeline-step` value (`PIPELINE_STEP`), with which `finalizeDocument` raises the
 *    script's findings to production-stage severities, as it does for notebooks a pipeline runs.
 *
 * Paths in checkout-based runners (DVC, MLflow, CI, Azure ML `code:`) are relative to the folder
 * the command runs in; paths in containers are paths in the image: `/app/src/train.py` may be the
 * workspace's `src/train.py` (the last folders of the path are tried).
 */

export const RUNS_SCRIPTS = 'runs-scripts';
export const PIPELINE_SCRIPT_TAG = 'pipeline-script:';

export interface ScriptRef {
  /** The word as written. */
  word: string;
  /** Workspace paths it may designate, most likely first. */
  paths: string[];
  start: number;
  end: number;
  /** Runs in a checkout of the repository (so the script must exist in the workspace). */
  checkout: boolean;
  /** What runs it, for messages. */
  via: string;
  kind: YamlKind;
}

/** Scripts only: notebooks that a pipeline runs are the notebook family's (pipeline-steps.ts). */
const SCRIPT = /\.py$/;
const TEMPLATED = /[{}$<>*`]|^[a-z][a-z0-9+.-]*:\/\//i;

function imagePaths(word: string): string[] {
  const r = word.replace(/\\/g, '/');
  if (r.startsWith('/')) {
    const parts = normalizePath(r).split('/');
    const out: string[] = [];
    for (let i = 1; i <= parts.length - 2; i++) out.push(parts.slice(i).join('/'));
    return out;
  }
  return [normalizePath(r)];
}

function moduleCandidates(module: string, base: string): string[] {
  const m = module.replace(/\./g, '/');
  return [normalizePath(`${base}${m}.py`), normalizePath(`${base}src/${m}.py`), normalizePath(`${base}${m}/__main__.py`)];
}

/** Script references in one command, given as a scalar (a `run:` block, a `cmd:`, one `args` item). */
function refsInScalar(doc: AnalyzedDocument, scalar: Scalar, base: string, checkout: boolean, via: string, kind: YamlKind): ScriptRef[] {
  if (typeof scalar.value !== 'string' || !scalar.range) return [];
  const map = scalarOffsets(doc.text, scalar);
  const out: ScriptRef[] = [];
  // `cd somewhere && python x.py`: the folder the script runs in is not the one mlready knows
  const moves = /(^|[;&|(\n]\s*)(cd|pushd)\s/.test(scalar.value);
  for (const use of scriptsOf(scalar.value, '')) {
    const ref = toRef(wordOf(use), use.module !== undefined, base, checkout && !moves, via, kind);
    if (!ref) continue;
    const [start, end] = map ? [map(use.start), map(use.end - 1) + 1] : [scalar.range[0], scalar.range[1]];
    out.push({ ...ref, start, end });
  }
  return out;
}

/** The script as written, or the dotted module of `python -m`. */
function wordOf(use: ScriptUse): string {
  return use.module !== undefined ? use.module.replace(/\//g, '.') : use.word;
}

function toRef(word: string, isModule: boolean, base: string, checkout: boolean, via: string, kind: YamlKind): Omit<ScriptRef, 'start' | 'end'> | undefined {
  const w = word.replace(/^["']|["']$/g, '');
  if (TEMPLATED.test(w)) return undefined;
  if (isModule) {
    if (/^(kfp|pip|venv|pytest|unittest|http|json|torch\.distributed|mlflow|dvc|papermill|jupyter|nbconvert|streamlit|uvicorn|gunicorn|flask)\b/.test(w)) return undefined;
    return { word: w, paths: moduleCandidates(w, checkout ? base : ''), checkout, via, kind };
  }
  if (!SCRIPT.test(w)) return undefined;
  if (/(^|\/)ephemeral_component\.py$/.test(w)) return undefined;
  if (checkout) {
    if (w.startsWith('/') || /^[A-Za-z]:[\\/]/.test(w) || w.startsWith('~')) return undefined;
    if (normalizePath(base + w).startsWith('..') || (base + w).split('/').filter((p) => p === '..').length > base.split('/').filter(Boolean).length) return undefined;
    return { word: w, paths: [normalizePath(base + w)], checkout, via, kind };
  }
  return { word: w, paths: imagePaths(w), checkout, via, kind };
}

/** Words of a container's `command` + `args`: run together as one command, and each spaced item alone. */
function containerRefs(doc: AnalyzedDocument, container: unknown, via: string, kind: YamlKind): ScriptRef[] {
  const items = [...yitems(yget(container, 'command')), ...yitems(yget(container, 'args'))].filter((n): n is Scalar => isScalar(n) && typeof n.value === 'string' && !!n.range);
  const out: ScriptRef[] = [];
  const single = items.filter((s) => !/\s/.test(s.value as string));
  const command = single.map((s) => `'${String(s.value).replace(/'/g, '')}'`).join(' ');
  let pos = 0;
  const spans = single.map((s) => {
    const len = String(s.value).replace(/'/g, '').length + 2;
    const span = { from: pos, to: pos + len, scalar: s };
    pos += len + 1;
    return span;
  });
  for (const use of scriptsOf(command, '')) {
    const span = spans.find((s) => use.start >= s.from && use.start < s.to);
    const ref = toRef(wordOf(use), use.module !== undefined, '', false, via, kind);
    if (!span || !ref) continue;
    out.push({ ...ref, start: span.scalar.range![0], end: span.scalar.range![1] });
  }
  for (const s of items) if (/\s/.test(s.value as string)) out.push(...refsInScalar(doc, s, '', false, via, kind));
  // a single string command: `command: python /app/train.py` (not valid Kubernetes, but Vertex/Azure shapes)
  const cmd = yget(container, 'command');
  if (isScalar(cmd) && typeof cmd.value === 'string') out.push(...refsInScalar(doc, cmd, '', false, via, kind));
  return out;
}

export function scriptRefs(doc: AnalyzedDocument): ScriptRef[] {
  const yaml = doc.yaml;
  if (!yaml) return [];
  const out: ScriptRef[] = [];
  const base = dirOf(doc.path);
  if (yaml.kind === 'dvc') {
    for (const stage of dvcStages(doc)) {
      for (const cmd of stage.cmds) out.push(...refsInScalar(doc, cmd, stage.wdir, true, `dvc stage \`${stage.name}\` (${doc.path})`, 'dvc'));
    }
    return out;
  }
  for (const { doc: d, kind } of readableDocuments(yaml)) {
    const root = d.contents;
    if (kind === 'mlproject') {
      for (const ep of yentries(yget(root, 'entry_points'))) {
        const cmd = yget(ep.value, 'command');
        if (isScalar(cmd)) out.push(...refsInScalar(doc, cmd, base, true, `MLproject entry point \`${ep.key}\` (${doc.path})`, kind));
      }
    } else if (kind === 'github-actions') {
      const workflowDir = ystring(ygetIn(root, ['defaults', 'run', 'working-directory']));
      for (const job of ciJobs(kind, root)) {
        const steps = yitems(yget(job.map, 'steps'));
        // a job that checks out another repository, or into a subfolder, runs paths mlready cannot map
        if (steps.some((s) => /^actions\/checkout@/.test(ystring(yget(s, 'uses')) ?? '') && (yget(yget(s, 'with'), 'repository') || yget(yget(s, 'with'), 'path')))) continue;
        const jobDir = ystring(ygetIn(job.map, ['defaults', 'run', 'working-directory'])) ?? workflowDir;
        for (const s of steps) {
          const run = yget(s, 'run');
          if (!isScalar(run)) continue;
          const wd = ystring(yget(s, 'working-directory')) ?? jobDir;
          if (wd && TEMPLATED.test(wd)) continue;
          const b = wd ? `${normalizePath(wd)}/`.replace(/^\/$/, '') : '';
          out.push(...refsInScalar(doc, run, b, true, `GitHub Actions job \`${job.id}\` (${doc.path})`, kind));
        }
      }
    } else if (kind === 'gitlab-ci') {
      for (const job of ciJobs(kind, root)) {
        for (const key of ['before_script', 'script']) {
          const v = yget(job.map, key);
          const lines = isSeq(v) ? v.items : [v];
          for (const l of lines) if (isScalar(l)) out.push(...refsInScalar(doc, l, '', true, `GitLab CI job \`${job.id}\` (${doc.path})`, kind));
        }
      }
    } else if (kind === 'azureml') {
      const jobs: { name: string; map: unknown }[] = [{ name: ystring(yget(root, 'name')) ?? ystring(yget(root, 'display_name')) ?? 'command job', map: root }, { name: 'trial', map: yget(root, 'trial') }];
      for (const e of yentries(yget(root, 'jobs'))) jobs.push({ name: e.key, map: e.value });
      for (const j of jobs) {
        const cmd = yget(j.map, 'command');
        const code = ystring(yget(j.map, 'code'));
        if (!isScalar(cmd) || (code && /^(azureml:|https?:|git\+)/.test(code))) continue;
        const b = code ? `${normalizePath(base + code)}/`.replace(/^\/$/, '') : base;
        out.push(...refsInScalar(doc, cmd, b, true, `Azure ML job \`${j.name}\` (${doc.path})`, kind));
      }
    } else if (kind === 'argo' || kind === 'kubernetes' || kind === 'kubeflow') {
      for (const site of containerSites(kind, root)) {
        out.push(...containerRefs(doc, site.container, `${site.workload.resourceKind} \`${site.workload.name}\`, container \`${site.name}\` (${doc.path})`, kind));
      }
    }
    if (kind === 'kubeflow' || kind === 'vertex') {
      const ir = pipelineIr(kind, root);
      for (const e of ir?.executors ?? []) out.push(...containerRefs(doc, e.container, `Kubeflow executor \`${e.name}\` (${doc.path})`, kind));
      for (const pool of yitems(yget(yget(root, 'jobSpec') ?? root, 'workerPoolSpecs'))) {
        const via = `Vertex AI custom job (${doc.path})`;
        const container = yget(pool, 'containerSpec');
        if (isMap(container)) out.push(...containerRefs(doc, container, via, kind));
        const module = yget(yget(pool, 'pythonPackageSpec'), 'pythonModule');
        if (isScalar(module) && typeof module.value === 'string' && module.range && !TEMPLATED.test(module.value)) {
          out.push({ word: module.value, paths: moduleCandidates(module.value, ''), start: module.range[0], end: module.range[1], checkout: false, via, kind });
        }
      }
    }
  }
  return out;
}

function locationOf(doc: AnalyzedDocument, start: number, end: number): FindingLocation {
  return { path: doc.path, range: doc.file.lines.rangeOf(start, end), fileRange: { start, end } };
}

export const scriptLinkCollector: FactCollector = (doc, facts) => {
  if (!doc.yaml || doc.yaml.kind === 'generic' || doc.yaml.kind === 'mlready-config') return;
  const seen = new Set<string>();
  for (const ref of scriptRefs(doc)) {
    const paths = ref.paths.filter((p) => p && p !== doc.path);
    if (!paths.length) continue;
    const location = locationOf(doc, ref.start, ref.end);
    addTag(facts, RUNS_SCRIPTS, location);
    for (const p of paths) addTag(facts, PIPELINE_SCRIPT_TAG + p, location);
    const key = `${paths.join('|')}@${ref.start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    addValue(facts, PIPELINE_STEP, { paths, via: ref.via, location } satisfies PipelineStep);
  }
};

/** True when some pipeline in the workspace runs this script (for a script rule's `when`). */
export function isPipelineScript(facts: WorkspaceFacts, path: string): boolean {
  return facts.hasTag(PIPELINE_SCRIPT_TAG + path);
}

/** The pipeline step that runs this script, if any (its `via` names the pipeline file and step). */
export function pipelineOfScript(facts: WorkspaceFacts, path: string): PipelineStep | undefined {
  return pipelineStepOf(facts, path);
}

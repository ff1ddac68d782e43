import type { Node } from '../documents/python/syntax-tree';
import { isMap, isScalar, isSeq, type Node as YNode, type Scalar } from 'yaml';
import { PIPELINE_STEP, pipelineStepOf, type PipelineStep } from '../core/engine';
import { firstAtOrAfter } from '../core/sorted';
import { addTag, addValue, type FileFacts, type WorkspaceFacts } from '../core/facts';
import type { FactCollector } from '../core/registry';
import type { FindingLocation } from '../core/rule';
import type { TextUnit } from '../core/units';
import type { AnalyzedDocument } from '../documents/document';
import { execForm } from '../documents/dockerfile';
import type { CallSite, StringLiteral } from '../documents/python/program';
import type { PythonUnit } from '../documents/python/unit';
import { stringParts } from '../documents/python/syntax';
import { yentries } from '../documents/yaml-nodes';
import { shellCommands } from '../reproducibility/pins';
import { dirOf, dvcStages, normalizePath } from '../reproducibility/dvc';

/**
 * Notebooks that a pipeline executes. A notebook run by `dvc repro`, papermill, an Airflow
 * `PapermillOperator`, dagstermill, ploomber, or a Kubeflow/Argo/CI container command
 * (`papermill train.ipynb out.ipynb`, `jupyter nbconvert --execute …`) is production code whatever
 * folder it sits in. The collector runs on the referencing file (dvc.yaml, a DAG, a component) and
 * records, for each notebook it runs, a `PIPELINE_STEP` value (read by the engine, which then
 * applies production-stage severities to the notebook's findings) and tags the referencing file
 * `runs-notebooks`. Notebooks a pipeline writes (papermill's output notebook, dvc `outs`) are
 * recorded as `PIPELINE_OUTPUT`: they are expected to carry outputs.
 */

export const RUNS_NOTEBOOKS = 'runs-notebooks';
export const PIPELINE_OUTPUT = 'notebook.pipeline-output';

export interface PipelineOutput {
  paths: string[];
}

/** The reference that makes this notebook a pipeline step, if any. */
export function pipelineStep(facts: WorkspaceFacts, path: string): PipelineStep | undefined {
  return pipelineStepOf(facts, path);
}

/** True when a pipeline writes this notebook (papermill's output, a dvc `outs` entry). */
export function isPipelineOutput(facts: WorkspaceFacts, path: string): boolean {
  for (const { value } of facts.values<PipelineOutput>(PIPELINE_OUTPUT)) if (value?.paths?.includes(path)) return true;
  return false;
}

/** Commands that execute a notebook. nbconvert only runs it with `--execute`. */
const RUNNER = /\b(papermill|runipy|nbexec|jupyter[\s,'"]+(?:execute|run)\b|nbconvert\b[\s\S]*--execute|--execute\b[\s\S]*nbconvert|quarto[\s,'"]+render\b[\s\S]*--execute|ipython[\s,'"]+[^\s'"]*\.ipynb)/;
const NOTEBOOK_WORD = /\.ipynb$/i;
const TEMPLATED = /[{}$<>*`]|^[a-z][a-z0-9+.-]*:\/\//i;

interface Ref {
  word: string;
  output: boolean;
  unit: TextUnit;
  start: number;
  end: number;
}

/** Notebook paths in one shell command line: inputs, and the outputs of papermill/runipy. */
function refsInCommand(command: string): { word: string; start: number; end: number; output: boolean }[] {
  const out: { word: string; start: number; end: number; output: boolean }[] = [];
  if (!RUNNER.test(command)) return out;
  for (const words of shellCommands(command)) {
    const names = words.map((w) => w.text.split('/').pop() ?? w.text);
    const runner = names.findIndex((n) => /^(papermill|runipy|nbexec|jupyter|jupyter-nbconvert|jupyter-execute|ipython|quarto)$/.test(n));
    if (runner < 0) continue;
    const joined = words.map((w) => w.text).join(' ');
    if (names[runner] === 'jupyter' && !/^(execute|run|nbconvert)$/.test(words[runner + 1]?.text ?? '')) continue;
    if (/nbconvert/.test(joined) && !/--execute\b/.test(joined)) continue;
    const producesOutput = /^(papermill|runipy)$/.test(names[runner]);
    let positional = 0;
    for (const w of words.slice(runner + 1)) {
      const value = w.text.includes('=') && w.text.startsWith('-') ? w.text.slice(w.text.indexOf('=') + 1) : w.text;
      if (!NOTEBOOK_WORD.test(value) || TEMPLATED.test(value)) continue;
      const offset = w.text.length - value.length;
      out.push({ word: value, start: w.start + offset + (w.quoted ? 1 : 0), end: w.end - (w.quoted ? 1 : 0), output: producesOutput && positional > 0 });
      positional++;
    }
  }
  return out;
}

/** Workspace paths a notebook reference may designate. */
function candidates(ref: string, base: string, rootRelativeToo: boolean): string[] {
  const r = ref.replace(/\\/g, '/');
  if (/^(\/|~\/|[A-Za-z]:\/)/.test(r)) {
    // a path inside a container or on a machine: the project is mounted somewhere above
    const parts = normalizePath(r.replace(/^~\/|^[A-Za-z]:\//, '')).split('/');
    const out: string[] = [];
    for (let i = 1; i <= parts.length - 2; i++) out.push(parts.slice(i).join('/'));
    return out;
  }
  const out = new Set<string>();
  if (!r.startsWith('../') || base) out.add(normalizePath(base + r));
  if (rootRelativeToo && !r.startsWith('../')) out.add(normalizePath(r));
  return [...out].filter(Boolean);
}

function locationOf(doc: AnalyzedDocument, unit: TextUnit, start: number, end: number): FindingLocation {
  const loc: FindingLocation = { path: doc.path, range: unit.lines.rangeOf(start, end), fileRange: { start: unit.toFileOffset(start), end: unit.toFileOffset(end) } };
  if (unit.cell !== undefined) loc.cell = unit.cell;
  return loc;
}

function record(doc: AnalyzedDocument, facts: FileFacts, refs: Ref[], base: string, rootRelativeToo: boolean, via: string): void {
  for (const ref of refs) {
    const paths = candidates(ref.word, base, rootRelativeToo).filter((p) => p !== doc.path);
    if (!paths.length) continue;
    const location = locationOf(doc, ref.unit, ref.start, ref.end);
    if (ref.output) {
      addValue(facts, PIPELINE_OUTPUT, { paths } satisfies PipelineOutput);
      continue;
    }
    addTag(facts, RUNS_NOTEBOOKS, location);
    addValue(facts, PIPELINE_STEP, { paths, via, location } satisfies PipelineStep);
  }
}

export const pipelineStepCollector: FactCollector = (doc, facts) => {
  if (doc.yaml) collectYaml(doc, facts);
  if (doc.python) collectPython(doc, facts);
  if (doc.dockerfile) collectDockerfile(doc, facts);
};

function collectYaml(doc: AnalyzedDocument, facts: FileFacts): void {
  const unit = doc.file;
  if (doc.yaml!.kind === 'dvc') {
    for (const stage of dvcStages(doc)) {
      const via = `dvc stage \`${stage.name}\` (${doc.path})`;
      const outs = new Set(stage.outs);
      // commands run in the stage's wdir
      const fromCommands: Ref[] = [];
      for (const cmd of stage.cmds) {
        const map = scalarMap(doc.text, cmd);
        for (const r of refsInCommand(String(cmd.value))) fromCommands.push({ word: r.word, output: r.output || outs.has(normalizePath(stage.wdir + r.word)), unit, start: map(r.start), end: map(r.end) });
      }
      record(doc, facts, dedupe(fromCommands), stage.wdir, false, via);
      // deps and outs are already workspace-relative; they are shown at the stage's name
      const [start, end] = stage.key.range ?? [0, 0];
      const fromLists: Ref[] = [];
      for (const dep of stage.deps) if (NOTEBOOK_WORD.test(dep) && !TEMPLATED.test(dep) && !outs.has(dep)) fromLists.push({ word: dep, output: false, unit, start, end });
      for (const out of stage.outs) if (NOTEBOOK_WORD.test(out)) fromLists.push({ word: out, output: true, unit, start, end });
      record(doc, facts, fromLists, '', false, via);
    }
    return;
  }
  const base = dirOf(doc.path);
  const isPloomber = /(^|\/)pipeline(\.[\w-]+)?\.ya?ml$/.test(doc.path);
  for (const { doc: d } of doc.yaml!.documents) {
    const refs: Ref[] = [];
    walkMaps(d.contents, (map) => {
      // a command split over keys: `command: [papermill]` + `args: [train.ipynb, out.ipynb]`
      const words: Scalar[] = [];
      for (const e of yentries(map)) {
        if (!COMMAND_KEYS.has(e.key)) continue;
        if (isScalar(e.value) && typeof e.value.value === 'string') words.push(e.value);
        else if (isSeq(e.value)) for (const i of e.value.items) if (isScalar(i) && typeof i.value === 'string') words.push(i as Scalar);
      }
      if (words.length) refs.push(...refsInWords(doc.text, unit, words));
      if (isPloomber) {
        const source = yentries(map).find((e) => e.key === 'source');
        if (source && isScalar(source.value) && typeof source.value.value === 'string' && NOTEBOOK_WORD.test(source.value.value) && source.value.range) {
          refs.push({ word: source.value.value, output: false, unit, start: source.value.range[0], end: source.value.range[1] });
        }
      }
    });
    record(doc, facts, dedupe(refs), base, true, `${doc.path}`);
  }
}

const COMMAND_KEYS = new Set(['command', 'commands', 'args', 'arguments', 'cmd', 'cmds', 'run', 'script', 'entrypoint', 'entry_point', 'bash_command']);

function walkMaps(root: unknown, visit: (map: YNode) => void): void {
  const stack: unknown[] = [root];
  let budget = 100_000;
  while (stack.length && budget-- > 0) {
    const n = stack.pop();
    if (isMap(n)) {
      visit(n as YNode);
      for (const p of n.items) stack.push(p.value);
    } else if (isSeq(n)) for (const i of n.items) stack.push(i);
  }
}

/** Offsets in the file of each character of a plain or quoted scalar's value (approximate for folded scalars). */
function scalarMap(text: string, s: Scalar): (i: number) => number {
  const [start, end] = s.range ?? [0, 0];
  const raw = text.slice(start, end);
  const value = String(s.value);
  if (raw === value) return (i) => start + i;
  if ((raw.startsWith('"') || raw.startsWith("'")) && raw.slice(1, -1) === value) return (i) => start + 1 + i;
  const at = raw.indexOf(value.split('\n')[0]);
  return (i) => Math.min(end, start + Math.max(0, at) + i);
}

/** References in a list of words: each scalar is one word, or a whole command when it has spaces. */
function refsInWords(text: string, unit: TextUnit, words: Scalar[]): Ref[] {
  if (!RUNNER.test(words.map((w) => String(w.value)).join(' '))) return [];
  const out: Ref[] = [];
  // single words (`[papermill, train.ipynb, out.ipynb]`) form one command together
  const single = words.filter((w) => !/\s/.test(String(w.value)));
  for (const { ref, item } of joinedCommand(single, (w) => String(w.value))) {
    if (item.range) out.push({ word: ref.word, output: ref.output, unit, start: item.range[0], end: item.range[1] });
  }
  // whole commands (`run: papermill train.ipynb out.ipynb`) are read one by one
  for (const w of words) {
    const v = String(w.value);
    if (!/\s/.test(v)) continue;
    const map = scalarMap(text, w);
    for (const r of refsInCommand(v)) out.push({ word: r.word, output: r.output, unit, start: map(r.start), end: map(r.end) });
  }
  return out;
}

/** Reads single words as one quoted shell command and says which item each notebook reference came from. */
function joinedCommand<T>(items: T[], valueOf: (t: T) => string): { ref: ReturnType<typeof refsInCommand>[number]; item: T }[] {
  let command = '';
  const spans: { from: number; to: number; item: T }[] = [];
  for (const item of items) {
    if (command) command += ' ';
    const from = command.length;
    command += `'${valueOf(item).replace(/'/g, '')}'`;
    spans.push({ from, to: command.length, item });
  }
  const out: { ref: ReturnType<typeof refsInCommand>[number]; item: T }[] = [];
  for (const ref of refsInCommand(command)) {
    const span = spans.find((sp) => ref.start >= sp.from && ref.start < sp.to);
    if (span) out.push({ ref, item: span.item });
  }
  return out;
}

function dedupe(refs: Ref[]): Ref[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const key = `${r.word}:${r.output}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The Python APIs that execute a notebook, and where their input and output notebooks are. */
const APIS: { test: (c: CallSite) => boolean; input: [string, number | undefined]; output?: [string, number | undefined]; via: string }[] = [
  { test: (c) => c.qualified === 'papermill.execute_notebook', input: ['input_path', 0], output: ['output_path', 1], via: 'papermill' },
  { test: (c) => c.method === 'PapermillOperator', input: ['input_nb', undefined], output: ['output_nb', undefined], via: 'Airflow PapermillOperator' },
  { test: (c) => c.method === 'define_dagstermill_op' || c.method === 'define_dagstermill_asset', input: ['notebook_path', 1], via: 'dagstermill' },
  { test: (c) => c.method === 'NotebookRunner' && !!c.qualified?.startsWith('ploomber'), input: ['source', 0], output: ['product', 1], via: 'ploomber NotebookRunner' },
  { test: (c) => /^nbformat\.(read|v4\.reads?)$/.test(c.qualified ?? ''), input: ['fp', 0], via: 'nbclient' },
];

function collectPython(doc: AnalyzedDocument, facts: FileFacts): void {
  const program = doc.python!;
  const base = dirOf(doc.path);
  const strings = program.strings();
  if (!strings.some((s) => s.value !== null && /\.ipynb/i.test(s.value))) return;
  const executes = program.imports.imports('nbclient') || program.imports.imports('nbconvert');
  const used = new Set<number>();
  const groups = new Map<string, Ref[]>();
  const add = (via: string, r: Ref) => {
    let list = groups.get(via);
    if (!list) groups.set(via, (list = []));
    list.push(r);
  };
  const literalRef = (node: Node | undefined, output: boolean): Ref | undefined => {
    // `Path("x.ipynb")`, `open("x.ipynb")`, `str(ROOT / "x.ipynb")`: the literal inside
    let lit = node;
    if (lit && lit.type !== 'string') lit = lit.descendantsOfType('string').find((n) => n && /\.ipynb/i.test(n.text)) ?? undefined;
    if (!lit || lit.type !== 'string') return undefined;
    const parts = stringParts(lit);
    if (parts.value === null || !NOTEBOOK_WORD.test(parts.value) || TEMPLATED.test(parts.value)) return undefined;
    used.add(lit.id);
    const unit = program.unitOf(lit);
    return { word: parts.value, output, unit, start: parts.contentStart, end: parts.contentEnd };
  };
  for (const call of program.calls()) {
    const api = APIS.find((a) => a.test(call));
    if (!api || (api.via === 'nbclient' && !executes)) continue;
    const input = literalRef(call.keywords.get(api.input[0]) ?? (api.input[1] !== undefined ? call.positional[api.input[1]] : undefined), false);
    if (input) add(`${api.via} in ${doc.path}`, input);
    if (api.output) {
      const output = literalRef(call.keywords.get(api.output[0]) ?? (api.output[1] !== undefined ? call.positional[api.output[1]] : undefined), true);
      if (output) add(`${api.via} in ${doc.path}`, output);
    }
  }
  // commands: "papermill a.ipynb b.ipynb" as one string, or ["papermill", "a.ipynb", "b.ipynb"] in a call
  for (const s of strings) {
    // a docstring that explains how to run a notebook does not run it
    if (s.value === null || s.docstring || used.has(s.node.id) || !/\s/.test(s.value) || !RUNNER.test(s.value)) continue;
    used.add(s.node.id);
    for (const r of refsInCommand(s.value)) {
      const raw = s.node.text.slice(s.contentStart - s.node.startIndex, s.contentEnd - s.node.startIndex);
      const exact = raw === s.value;
      add(`a notebook command in ${doc.path}`, { word: r.word, output: r.output, unit: s.unit, start: exact ? s.contentStart + r.start : s.contentStart, end: exact ? s.contentStart + r.end : s.contentEnd });
    }
  }
  const calls = program
    .calls()
    .filter((c) => c.node.endIndex - c.node.startIndex < 4000 && RUNNER.test(c.node.text))
    .sort((a, b) => a.node.endIndex - a.node.startIndex - (b.node.endIndex - b.node.startIndex));
  const inCall = stringsWithin(strings);
  for (const call of calls) {
    const literals = inCall(call.unit, call.node.startIndex, call.node.endIndex).filter((s) => s.unit === call.unit && s.node.startIndex >= call.node.startIndex && s.node.endIndex <= call.node.endIndex && s.value !== null && !used.has(s.node.id) && !/\s/.test(s.value));
    if (!literals.some((l) => NOTEBOOK_WORD.test(l.value!))) continue;
    for (const { ref, item } of joinedCommand(literals, (l) => l.value!)) {
      used.add(item.node.id);
      add(`a notebook command in ${doc.path}`, { word: ref.word, output: ref.output, unit: item.unit, start: item.contentStart, end: item.contentEnd });
    }
  }
  for (const [via, refs] of groups) record(doc, facts, dedupe(refs), base, true, via);
}

/**
 * The string literals of a unit that start within [from, to], in program order: a binary search
 * over each unit's literals (in offset order, as the index returns them), instead of a scan of all
 * the program's strings for every call.
 */
function stringsWithin(strings: StringLiteral[]): (unit: PythonUnit, from: number, to: number) => StringLiteral[] {
  const byUnit = new Map<PythonUnit, StringLiteral[]>();
  for (const s of strings) {
    const list = byUnit.get(s.unit);
    if (list) list.push(s);
    else byUnit.set(s.unit, [s]);
  }
  const sorted = [...byUnit.values()].every((list) => list.every((s, i) => i === 0 || list[i - 1].node.startIndex <= s.node.startIndex));
  return (unit, from, to) => {
    if (!sorted) return strings;
    const list = byUnit.get(unit) ?? [];
    const lo = firstAtOrAfter(list, from, (s) => s.node.startIndex);
    let end = lo;
    while (end < list.length && list[end].node.startIndex <= to) end++;
    return list.slice(lo, end);
  };
}

function collectDockerfile(doc: AnalyzedDocument, facts: FileFacts): void {
  const refs: Ref[] = [];
  for (const ins of doc.dockerfile!.instructions) {
    if (!['RUN', 'CMD', 'ENTRYPOINT'].includes(ins.keyword)) continue;
    const exec = execForm(ins);
    const command = exec ? exec.map((w) => (/\s/.test(w) ? w : `'${w.replace(/'/g, '')}'`)).join(' ') : ins.args;
    for (const r of refsInCommand(command)) refs.push({ word: r.word, output: r.output, unit: doc.file, start: ins.start, end: ins.keywordEnd });
  }
  // paths in an image are relative to its WORKDIR: the Dockerfile's folder is the usual build context
  record(doc, facts, dedupe(refs), dirOf(doc.path), true, `${doc.path}`);
}

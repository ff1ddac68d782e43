import type { Node } from '../documents/python/syntax-tree';
import { isMap, isScalar, isSeq, type Node as YNode, type Scalar } from 'yaml';
import { addValue } from '../core/facts';
import type { FactCollector } from '../core/registry';
import type { FindingLocation } from '../core/rule';
import type { AnalyzedDocument } from '../documents/document';
import type { CallSite, PythonProgram } from '../documents/python/program';
import type { PythonUnit } from '../documents/python/unit';
import { yentries, yget, yitems, ykeys, ystring } from '../documents/yaml-nodes';
import { shellCommands } from './pins';
import { callAt, stringValue } from './python';

/**
 * dvc.yaml stages as the DVC rules read them: the command(s), the scripts the commands run,
 * dependencies, outputs, metrics and declared params, all as workspace-relative paths.
 */

export interface DvcStage {
  name: string;
  /** The stage's key scalar (where stage-level findings go). */
  key: Scalar;
  /** The map holding cmd/deps/outs (the `do:` map of a foreach/matrix stage). */
  body: YNode | null;
  cmds: Scalar[];
  /** Workspace-relative folder commands run in (`wdir`), with a trailing slash or empty. */
  wdir: string;
  deps: string[];
  outs: string[];
  metrics: string[];
  plots: string[];
  /** Declared params: `key` (params.yaml) or `file:key`; `file:*` for a whole file. */
  params: string[];
  templated: boolean;
}

export interface ScriptUse {
  /** Workspace-relative path of the script (for `-m pkg.mod`: `pkg/mod.py`). */
  path: string;
  /** For `python -m`, the package folder that also covers it (`pkg/mod`). */
  module?: string;
  /** Offsets of the word in the command string, and the word as written. */
  start: number;
  end: number;
  word: string;
}

export function dirOf(path: string): string {
  return path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
}

export function normalizePath(p: string): string {
  const out: string[] = [];
  for (const part of p.replace(/\\/g, '/').split('/')) {
    if (part === '.' || part === '') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

function strings(node: unknown): string[] {
  const out: string[] = [];
  for (const item of yitems(node)) {
    if (isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number')) out.push(String(item.value));
    else if (isMap(item)) for (const k of ykeys(item)) out.push(k); // - path: { cache: false }
  }
  return out;
}

export function dvcStages(doc: AnalyzedDocument): DvcStage[] {
  const out: DvcStage[] = [];
  if (!doc.yaml || doc.yaml.kind !== 'dvc') return out;
  const base = dirOf(doc.path);
  for (const { doc: d, kind } of doc.yaml.documents) {
    if (kind !== 'dvc') continue;
    for (const e of yentries(yget(d.contents, 'stages'))) {
      const looped = yget(e.value, 'do');
      const body = (looped ?? e.value) as YNode | null;
      const templated = !!looped || !!yget(e.value, 'foreach') || !!yget(e.value, 'matrix');
      const wdirValue = ystring(yget(body, 'wdir'));
      const wdir = wdirValue ? normalizePath(base + wdirValue) : normalizePath(base);
      const rel = (p: string) => normalizePath((wdir ? `${wdir}/` : '') + p);
      const cmdNode = yget(body, 'cmd');
      const cmds: Scalar[] = [];
      if (isScalar(cmdNode) && typeof cmdNode.value === 'string') cmds.push(cmdNode);
      else if (isSeq(cmdNode)) for (const c of cmdNode.items) if (isScalar(c) && typeof c.value === 'string') cmds.push(c);
      const params: string[] = [];
      for (const item of yitems(yget(body, 'params'))) {
        if (isScalar(item) && item.value !== null) params.push(String(item.value));
        else if (isMap(item)) {
          for (const p of yentries(item)) {
            const file = p.key;
            const keys = strings(p.value);
            if (!keys.length) params.push(`${file}:*`);
            for (const k of keys) params.push(`${file}:${k}`);
          }
        }
      }
      out.push({
        name: e.key,
        key: e.keyNode,
        body,
        cmds,
        wdir: wdir ? `${wdir}/` : '',
        deps: strings(yget(body, 'deps')).map(rel),
        outs: [...strings(yget(body, 'outs')), ...strings(yget(body, 'outs_no_cache')), ...strings(yget(body, 'outs_persist'))].map(rel),
        metrics: strings(yget(body, 'metrics')).map(rel),
        plots: strings(yget(body, 'plots')).map(rel),
        params,
        templated,
      });
    }
  }
  return out;
}

const INTERPRETERS = /^(python[\d.]*|pypy[\d.]*|Rscript|bash|sh|zsh|julia|node|deno|uv|poetry|pipenv)$/;

/** The scripts a stage command runs: `python src/train.py …`, `python -m pkg.train`, `Rscript x.R`, `./run.sh`, `papermill nb.ipynb …`. */
export function scriptsOf(command: string, wdir: string): ScriptUse[] {
  const out: ScriptUse[] = [];
  const rel = (p: string) => normalizePath(wdir + p);
  for (let words of shellCommands(command)) {
    while (words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0].text)) words = words.slice(1);
    // uv run / poetry run / pipenv run python …
    if (words.length > 2 && ['uv', 'poetry', 'pipenv', 'pdm', 'hatch', 'conda'].includes(words[0].text) && words[1].text === 'run') words = words.slice(2);
    if (!words.length) continue;
    const first = words[0].text;
    if (/[${}]/.test(first)) continue;
    if (INTERPRETERS.test(first.split('/').pop() ?? first)) {
      for (let i = 1; i < words.length; i++) {
        const w = words[i];
        if (/[${}]/.test(w.text)) break;
        if (w.text === '-m' && words[i + 1] && !/[${}]/.test(words[i + 1].text)) {
          const mod = words[i + 1].text.replace(/\./g, '/');
          out.push({ path: rel(`${mod}.py`), module: rel(mod), start: words[i + 1].start, end: words[i + 1].end, word: `${first} -m ${words[i + 1].text}` });
          break;
        }
        if (w.text === '-c') break;
        if (w.text.startsWith('-')) continue;
        if (/\.(py|R|r|sh|jl|js|ts|ipynb)$/.test(w.text)) out.push({ path: rel(w.text), start: w.start, end: w.end, word: w.text });
        break;
      }
    } else if ((first === 'papermill' || first === 'jupyter') && words.length > 1) {
      const nb = words.find((w) => w.text.endsWith('.ipynb'));
      if (nb && !/[${}]/.test(nb.text)) out.push({ path: rel(nb.text), start: nb.start, end: nb.end, word: nb.text });
    } else if (/^\.{0,2}\/?[\w./-]+\.(sh|py|R)$/.test(first) && (first.startsWith('./') || first.includes('/'))) {
      out.push({ path: rel(first), start: words[0].start, end: words[0].end, word: first });
    }
  }
  return out;
}

/** True when a dependency (a file or a folder) covers the path. */
export function covers(dep: string, path: string): boolean {
  return dep === path || path.startsWith(`${dep}/`) || dep === '' || dep === '.';
}

// ─── facts for the workspace rules ──────────────────────────────────────────────────────────

export const DVC_STAGE_KEY = 'repro.dvc-stage';
export const PARAMS_READ_KEY = 'repro.params-read';
export const DVC_OUTS_KEY = 'repro.dvc-outs';

export interface DvcStageFact {
  stage: string;
  scripts: string[];
  params: string[];
  templated: boolean;
  /** The dvc.yaml folder: params.yaml paths are relative to it. */
  dir: string;
  location: FindingLocation;
}

export interface ParamsReadFact {
  script: string;
  file: string;
  keys: string[];
}

export const dvcCollector: FactCollector = (doc, facts) => {
  if (doc.yaml?.kind !== 'dvc') return;
  for (const s of dvcStages(doc)) {
    const unit = doc.file;
    const [start, end] = s.key.range ?? [0, 0];
    const location: FindingLocation = { path: doc.path, range: unit.lines.rangeOf(start, end), fileRange: { start, end } };
    const scripts = s.cmds.flatMap((c) => scriptsOf(c.value as string, s.wdir).map((u) => u.path));
    addValue(facts, DVC_STAGE_KEY, { stage: s.name, scripts, params: s.params, templated: s.templated, dir: dirOf(doc.path), location } satisfies DvcStageFact);
    for (const o of s.outs) addValue(facts, DVC_OUTS_KEY, o);
  }
};

const PARAMS_FILE = /(^|\/)params\.ya?ml$/;

/** Params are read by `dvc.api.params_show()` or by a loader given "params.yaml": without either in the program, nothing is. */
function mayReadParams(program: PythonProgram): boolean {
  return program.strings().some((s) => s.value !== null && PARAMS_FILE.test(s.value)) || program.calls().some((c) => c.qualified === 'dvc.api.params_show');
}

const LOADERS = new Set(['yaml.safe_load', 'yaml.load', 'yaml.full_load', 'yaml.unsafe_load', 'omegaconf.OmegaConf.load', 'ruamel.yaml.YAML.load']);

/**
 * Keys a Python script reads from DVC params: `params = yaml.safe_load(open("params.yaml"))` or
 * `params = dvc.api.params_show()`, then `params["train"]["lr"]` (also through `cfg = params["train"]`).
 */
export const paramsReadCollector: FactCollector = (doc, facts) => {
  const program = doc.python;
  if (!program || !mayReadParams(program)) return;
  const roots = new Map<string, string[]>();
  const withFiles = new Map<string, string>();
  for (const { node } of program.nodes('with')) {
    for (const item of node.descendantsOfType('as_pattern')) {
      if (!item) continue;
      const value = item.namedChild(0);
      const alias = item.childForFieldName('alias')?.namedChild(0) ?? item.namedChildren[1];
      const text = stringValue(value?.descendantsOfType('string')[0]) ?? '';
      if (alias?.type === 'identifier' && PARAMS_FILE.test(text)) withFiles.set(alias.text, text);
    }
  }
  const readsParams = (call: CallSite): boolean => {
    if (call.qualified === 'dvc.api.params_show') return true;
    if (!call.qualified || !LOADERS.has(call.qualified)) return false;
    const arg = call.positional[0];
    if (!arg) return false;
    if (arg.type === 'identifier') return withFiles.has(arg.text);
    return arg.descendantsOfType('string').some((s) => PARAMS_FILE.test(stringValue(s) ?? ''));
  };
  const keysOf = (node: Node): { root: string; keys: string[] } | null => {
    const keys: string[] = [];
    let n: Node | null = node;
    while (n) {
      if (n.type === 'subscript') {
        const idx = n.childForFieldName('subscript');
        const key = stringValue(idx);
        if (key === undefined) return null;
        keys.unshift(key);
        n = n.childForFieldName('value');
      } else if (n.type === 'call' && n.childForFieldName('function')?.type === 'attribute' && n.childForFieldName('function')?.childForFieldName('attribute')?.text === 'get') {
        const first = n.childForFieldName('arguments')?.namedChild(0);
        const key = stringValue(first);
        if (key === undefined) return null;
        keys.unshift(key);
        n = n.childForFieldName('function')?.childForFieldName('object') ?? null;
      } else if (n.type === 'identifier') {
        return { root: n.text, keys };
      } else return null;
    }
    return null;
  };
  // roots, in program order (cfg = params["train"] after params = …)
  for (const { node } of program.nodes('assignment')) {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left?.type !== 'identifier' || !right) continue;
    const call = callAt(program, right);
    if (call && readsParams(call)) {
      roots.set(left.text, []);
      continue;
    }
    const inner = keysOf(right);
    if (inner && inner.keys.length) {
      if (roots.has(inner.root)) roots.set(left.text, [...roots.get(inner.root)!, ...inner.keys]);
      else {
        // yaml.safe_load(open("params.yaml"))["train"]
        let base: Node | null = right;
        while (base && (base.type === 'subscript' || base.type === 'call')) {
          if (base.type === 'call') {
            const c = callAt(program, base);
            if (c && readsParams(c)) {
              roots.set(left.text, inner.keys);
              break;
            }
          }
          base = base.type === 'subscript' ? base.childForFieldName('value') : (base.childForFieldName('function')?.childForFieldName('object') ?? null);
        }
      }
    }
  }
  if (!roots.size) return;
  // every outermost key chain rooted at a params variable
  const chains: { node: Node; root: string; keys: string[] }[] = [];
  const visit = (node: Node) => {
    const parent = node.parent;
    if (parent && parent.type === 'subscript' && parent.childForFieldName('value')?.id === node.id) return;
    if (parent?.type === 'attribute' && parent.parent?.type === 'call' && parent.childForFieldName('attribute')?.text === 'get') return;
    const k = keysOf(node);
    if (k && roots.has(k.root) && k.keys.length) chains.push({ node, ...k });
  };
  const getCalls = new Map<PythonUnit, CallSite[]>();
  for (const c of program.calls()) if (c.method === 'get') (getCalls.get(c.unit) ?? getCalls.set(c.unit, []).get(c.unit)!).push(c);
  for (const unit of program.units) {
    for (const s of unit.root.descendantsOfType('subscript')) if (s) visit(s);
    for (const c of getCalls.get(unit) ?? []) visit(c.node);
  }
  // `cfg = params["train"]` followed by `cfg["lr"]`: the section is counted through its keys
  const sections = new Set(chains.map((c) => c.root));
  const keys = new Set<string>();
  for (const c of chains) {
    const parent = c.node.parent;
    const left = parent?.type === 'assignment' && parent.childForFieldName('right')?.id === c.node.id ? parent.childForFieldName('left') : null;
    if (left?.type === 'identifier' && sections.has(left.text) && left.text !== c.root) continue;
    keys.add([...roots.get(c.root)!, ...c.keys].join('.'));
  }
  if (keys.size) addValue(facts, PARAMS_READ_KEY, { script: doc.path, file: 'params.yaml', keys: [...keys].sort() } satisfies ParamsReadFact);
};

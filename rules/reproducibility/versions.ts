import { isMap, isScalar } from 'yaml';
import { addValue, type WorkspaceFacts } from '../core/facts';
import type { FactCollector } from '../core/registry';
import type { EditSpec, FixSpec } from '../core/rule';
import { outputTexts, type NotebookModel } from '../documents/notebook';
import { yget, yitems, ystring } from '../documents/yaml-nodes';
import { normalizeName, pinState } from './pins';

/**
 * What the project says about exact versions, gathered from the files the scan reads: pinned
 * requirements and constraints files, conda-lock files, pinned conda environments, and the
 * project's virtual environment (`WorkspaceFacts.installed`, from `.venv/…/*.dist-info` names).
 * poetry.lock, uv.lock and pdm.lock are not read by the scan (they are not analysed file kinds):
 * they satisfy the manifest rule by their presence, but their versions are not offered as pins.
 */
export const VERSION_KEY = 'repro.version';

export interface KnownVersion {
  name: string;
  version: string;
  /** 0 = a lock file, 1 = a pinned manifest, 2 = the installed environment. */
  rank: number;
  manager: 'pip' | 'conda';
  source: string;
}

/** Lock files that freeze a whole environment. */
export const LOCK_FILE = /(^|\/)(poetry\.lock|uv\.lock|pdm\.lock|Pipfile\.lock|pixi\.lock|requirements[^/]*\.lock|conda-lock\.ya?ml|[^/]+\.conda-lock\.ya?ml|conda-[^/]+\.lock|[^/]*\.lock\.txt)$/;

const dirOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');

/** Lock files in the manifest's folder or any folder above it. */
export function locksFor(facts: WorkspaceFacts, path: string): string[] {
  const dir = dirOf(path);
  return facts.findPaths((p) => LOCK_FILE.test(p) && (dirOf(p) === '' || dir === dirOf(p) || dir.startsWith(`${dirOf(p)}/`)));
}

/** Signs that the workspace deploys or runs something (so its pyproject/setup.py describe an application). */
export function deploysSomething(facts: WorkspaceFacts): boolean {
  const kinds = new Set(['kubernetes', 'argo', 'kubeflow', 'vertex', 'azureml', 'docker-compose', 'mlproject', 'dvc']);
  for (const f of facts.files.values()) if (f.kind === 'dockerfile' || (f.yamlKind && kinds.has(f.yamlKind))) return true;
  return facts.findPaths((p) => /(^|\/)(Dockerfile|Containerfile|MLproject|dvc\.yaml|Procfile|app\.yaml|serverless\.ya?ml)$/.test(p)).length > 0;
}

/** The one version the project knows for a package, or undefined when it knows none or several disagree. */
export function knownVersion(facts: WorkspaceFacts, name: string, manager: 'pip' | 'conda' = 'pip'): KnownVersion | undefined {
  const n = normalizeName(name);
  const candidates: KnownVersion[] = facts.values<KnownVersion>(VERSION_KEY).map((v) => v.value).filter((v) => v.name === n && (manager === 'pip' || v.manager === 'conda'));
  const installed = facts.installed.get(n);
  if (installed && manager === 'pip') candidates.push({ name: n, version: installed, rank: 2, manager: 'pip', source: 'the project\'s virtual environment' });
  if (!candidates.length) return undefined;
  const best = Math.min(...candidates.map((c) => c.rank));
  const top = candidates.filter((c) => c.rank === best);
  return new Set(top.map((c) => c.version)).size === 1 ? top[0] : undefined;
}

/** A pin fix computed once every file's versions are known. */
export function deferredPin(name: string, manager: 'pip' | 'conda', edit: (version: string) => EditSpec | null): (facts: WorkspaceFacts) => FixSpec[] {
  return (facts) => {
    const known = knownVersion(facts, name, manager);
    if (!known) return [];
    const e = edit(known.version);
    return e ? [pinFix(name, known.version, known.source, e)] : [];
  };
}

export function pinFix(name: string, version: string, source: string, edit: EditSpec): FixSpec {
  // Unsafe: a fresh install gets this version instead of the newest one, and mlready cannot check it against the other constraints.
  return { title: `Pin ${name} to ${version} (the version in ${source})`, applicability: 'unsafe', edits: [edit] };
}

/** `Successfully installed pandas-2.2.1 numpy-1.26.4`, `Requirement already satisfied: pandas in … (2.2.1)` in a cell's outputs. */
export function notebookInstalledVersions(notebook: NotebookModel | undefined, cell: number | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const c = notebook?.cells.find((x) => x.index === cell);
  if (!notebook || !c) return out;
  for (const o of c.outputs) {
    for (const { value } of outputTexts(notebook.text, o)) {
      for (const line of value.split(/\r?\n/)) {
        const ok = /^Successfully installed (.+)$/.exec(line.trim());
        if (ok) {
          for (const token of ok[1].split(/\s+/)) {
            const dash = token.lastIndexOf('-');
            if (dash > 0) out.set(normalizeName(token.slice(0, dash)), token.slice(dash + 1));
          }
        }
        const already = /^Requirement already satisfied: ([A-Za-z0-9._-]+)(?:\[[^\]]*\])?(?:[<>=!~][^ ]*)? in .* \(([^()\s]+)\)\s*$/.exec(line.trim());
        if (already) out.set(normalizeName(already[1]), already[2]);
      }
    }
  }
  return out;
}

/** Records exact versions from pinned requirement files, conda-lock files and pinned conda environments. */
export const versionCollector: FactCollector = (doc, facts) => {
  const record = (name: string, version: string, rank: number, manager: 'pip' | 'conda') =>
    addValue(facts, VERSION_KEY, { name: normalizeName(name), version, rank, manager, source: doc.path } satisfies KnownVersion);
  if (doc.requirements) {
    const lockLike = /(lock|constraints|frozen|freeze)/i.test(doc.path);
    for (const r of doc.requirements.requirements) {
      const m = /^===?([^,;*\s]+)$/.exec(r.specifier);
      if (r.pinned && m && !r.direct) record(r.name, m[1], lockLike || r.hashes ? 0 : 1, 'pip');
    }
  }
  if (doc.yaml) {
    const base = doc.path.split('/').pop() ?? '';
    for (const { doc: d, kind } of doc.yaml.documents) {
      const root = d.contents;
      if (/conda-lock\.ya?ml$/.test(base) || /\.conda-lock\.ya?ml$/.test(base)) {
        for (const p of yitems(yget(root, 'package'))) {
          const name = ystring(yget(p, 'name'));
          const version = ystring(yget(p, 'version'));
          const manager = ystring(yget(p, 'manager')) === 'pip' ? 'pip' : 'conda';
          if (name && version) record(name, version, 0, manager);
        }
      } else if (kind === 'conda-env') {
        for (const item of yitems(yget(root, 'dependencies'))) {
          if (isScalar(item) && typeof item.value === 'string') {
            const m = /^(?:[^:\s]+::)?([A-Za-z0-9_][A-Za-z0-9._-]*)\s*(==?)\s*([0-9][^=\s,*]*)(=\S+)?$/.exec(item.value);
            if (m && pinState(`${m[2]}${m[3]}${m[4] ?? ''}`, 'conda') === 'pinned') record(m[1], m[3], 1, 'conda');
          } else if (isMap(item)) {
            for (const p of yitems(yget(item, 'pip'))) {
              const s = ystring(p);
              const m = s ? /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*===?\s*([^,;*\s]+)$/.exec(s) : null;
              if (m) record(m[1], m[2], 1, 'pip');
            }
          }
        }
      }
    }
  }
};

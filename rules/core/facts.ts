import type { AnalyzedDocument } from '../documents/document';
import type { FindingLocation } from './rule';

/**
 * Facts are what a project-level judgement needs from each file: which libraries it imports,
 * which qualified functions it calls, and tags that collectors set (`serves-model`,
 * `tracks-experiments` …) with the places that justify them. They are small, so the language
 * server keeps them for every file of the workspace while it keeps trees only for open ones.
 */
export interface FileFacts {
  path: string;
  kind: AnalyzedDocument['kind'] | 'other';
  lines: number;
  /** Modules imported, with their parents (`sklearn.ensemble` adds `sklearn`). */
  modules: Set<string>;
  /** Qualified names of called functions resolved through imports (`mlflow.start_run`). */
  calls: Set<string>;
  /** Names of functions and classes defined at any level. */
  definitions: Set<string>;
  /** Kind of YAML (first non-generic document). */
  yamlKind?: string;
  tags: Map<string, FindingLocation[]>;
  /**
   * Structured facts a family records for project-level judgements, keyed by a family-prefixed
   * name (`repro.dvc-stage` …). Absent until a collector adds one.
   */
  values?: Map<string, unknown[]>;
}

export function emptyFileFacts(path: string, kind: FileFacts['kind'], lines = 0): FileFacts {
  return { path, kind, lines, modules: new Set(), calls: new Set(), definitions: new Set(), tags: new Map() };
}

export function addTag(facts: FileFacts, tag: string, location?: FindingLocation): void {
  let list = facts.tags.get(tag);
  if (!list) facts.tags.set(tag, (list = []));
  if (location) list.push(location);
}

export function addValue(facts: FileFacts, key: string, value: unknown): void {
  facts.values ??= new Map();
  let list = facts.values.get(key);
  if (!list) facts.values.set(key, (list = []));
  list.push(value);
}

/** Facts of the whole workspace: every analysed file, and the paths of all files seen. */
export class WorkspaceFacts {
  readonly files = new Map<string, FileFacts>();
  /** Every file path in the workspace (analysed or not), `/`-separated, relative to the root. */
  readonly paths = new Set<string>();
  /**
   * Packages installed in the project's own virtual environment (`.venv/lib/pythonX.Y/site-packages/
   * <name>-<version>.dist-info`), by normalised name (PEP 503). Filled by the scan when it sees one.
   */
  readonly installed = new Map<string, string>();
  /** Sizes in bytes of files the scan lists but does not analyse (data files), when the adapter can tell. */
  readonly sizes = new Map<string, number>();
  /** Text of small repository metadata files the scan reads as is (`.gitignore`, `.gitattributes`), by path. */
  readonly texts = new Map<string, string>();

  set(facts: FileFacts): void {
    this.files.set(facts.path, facts);
    this.paths.add(facts.path);
  }

  delete(path: string): void {
    this.files.delete(path);
    this.paths.delete(path);
  }

  importsAnywhere(module: string): boolean {
    for (const f of this.files.values()) if (f.modules.has(module)) return true;
    return false;
  }

  filesImporting(module: string): FileFacts[] {
    return [...this.files.values()].filter((f) => f.modules.has(module));
  }

  tagged(tag: string): { file: FileFacts; locations: FindingLocation[] }[] {
    const out: { file: FileFacts; locations: FindingLocation[] }[] = [];
    for (const f of this.files.values()) {
      const l = f.tags.get(tag);
      if (l) out.push({ file: f, locations: l });
    }
    return out.sort((a, b) => a.file.path.localeCompare(b.file.path));
  }

  hasTag(tag: string): boolean {
    for (const f of this.files.values()) if (f.tags.has(tag)) return true;
    return false;
  }

  /** Paths matching a test, e.g. `p => /(^|\/)CODEOWNERS$/.test(p)`. */
  findPaths(test: (path: string) => boolean): string[] {
    return [...this.paths].filter(test).sort();
  }

  /** Every value recorded under `key`, with the file that recorded it, in path order. */
  values<T>(key: string): { file: FileFacts; value: T }[] {
    const out: { file: FileFacts; value: T }[] = [];
    for (const f of [...this.files.values()].sort((a, b) => a.path.localeCompare(b.path))) {
      for (const v of f.values?.get(key) ?? []) out.push({ file: f, value: v as T });
    }
    return out;
  }

  get totalLines(): number {
    let n = 0;
    for (const f of this.files.values()) n += f.lines;
    return n;
  }
}

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

/** A Map that tells its owner when it changes (so that answers cached from it are dropped). */
class WatchedMap<K, V> extends Map<K, V> {
  onChange?: () => void;
  set(key: K, value: V): this {
    this.onChange?.();
    return super.set(key, value);
  }
  delete(key: K): boolean {
    this.onChange?.();
    return super.delete(key);
  }
  clear(): void {
    this.onChange?.();
    super.clear();
  }
}

class WatchedSet<T> extends Set<T> {
  onChange?: () => void;
  add(value: T): this {
    if (!this.has(value)) this.onChange?.();
    return super.add(value);
  }
  delete(value: T): boolean {
    this.onChange?.();
    return super.delete(value);
  }
  clear(): void {
    this.onChange?.();
    super.clear();
  }
}

/**
 * Facts of the whole workspace: every analysed file, and the paths of all files seen.
 *
 * Project-level questions ("does any file call this inside a tracked run?") are asked once per
 * finding, and each answer reads every file's facts: answered afresh each time, a scan costs the
 * square of the workspace. `cached` keeps each answer until the facts change (any change to the
 * collections below); a FileFacts is not changed once it is `set`.
 */
export class WorkspaceFacts {
  readonly files = new WatchedMap<string, FileFacts>();
  /** Every file path in the workspace (analysed or not), `/`-separated, relative to the root. */
  readonly paths = new WatchedSet<string>();
  /**
   * Packages installed in the project's own virtual environment (`.venv/lib/pythonX.Y/site-packages/
   * <name>-<version>.dist-info`), by normalised name (PEP 503). Filled by the scan when it sees one.
   */
  readonly installed = new WatchedMap<string, string>();
  /** Sizes in bytes of files the scan lists but does not analyse (data files), when the adapter can tell. */
  readonly sizes = new WatchedMap<string, number>();
  /** Text of small repository metadata files the scan reads as is (`.gitignore`, `.gitattributes`), by path. */
  readonly texts = new WatchedMap<string, string>();

  private answers = new Map<string, unknown>();

  constructor() {
    const forget = () => {
      if (this.answers.size) this.answers = new Map();
    };
    this.files.onChange = forget;
    this.paths.onChange = forget;
    this.installed.onChange = forget;
    this.sizes.onChange = forget;
    this.texts.onChange = forget;
  }

  /**
   * The answer to a question about the whole workspace, computed once while the facts stay as
   * they are. `key` names the question and its arguments; the answer must not be mutated.
   */
  cached<T>(key: string, compute: () => T): T {
    if (this.answers.has(key)) return this.answers.get(key) as T;
    const value = compute();
    this.answers.set(key, value);
    return value;
  }

  set(facts: FileFacts): void {
    this.files.set(facts.path, facts);
    this.paths.add(facts.path);
  }

  delete(path: string): void {
    this.files.delete(path);
    this.paths.delete(path);
  }

  /** Every module imported by some file. */
  private allModules(): Set<string> {
    return this.cached('facts:modules', () => {
      const all = new Set<string>();
      for (const f of this.files.values()) for (const m of f.modules) all.add(m);
      return all;
    });
  }

  /** Every tag set by some file. */
  private allTags(): Set<string> {
    return this.cached('facts:tags', () => {
      const all = new Set<string>();
      for (const f of this.files.values()) for (const t of f.tags.keys()) all.add(t);
      return all;
    });
  }

  /** Every distinct tag that starts with `prefix`, with the prefix removed (do not mutate). */
  tagsWithPrefix(prefix: string): string[] {
    return this.cached(`facts:prefix:${prefix}`, () => [...this.allTags()].filter((t) => t.startsWith(prefix)).map((t) => t.slice(prefix.length)));
  }

  importsAnywhere(module: string): boolean {
    return this.allModules().has(module);
  }

  filesImporting(module: string): FileFacts[] {
    if (!this.importsAnywhere(module)) return [];
    return [...this.files.values()].filter((f) => f.modules.has(module));
  }

  tagged(tag: string): { file: FileFacts; locations: FindingLocation[] }[] {
    if (!this.hasTag(tag)) return [];
    const out: { file: FileFacts; locations: FindingLocation[] }[] = [];
    for (const f of this.files.values()) {
      const l = f.tags.get(tag);
      if (l) out.push({ file: f, locations: l });
    }
    return out.sort((a, b) => a.file.path.localeCompare(b.file.path));
  }

  hasTag(tag: string): boolean {
    return this.allTags().has(tag);
  }

  /** Paths matching a test, e.g. `p => /(^|\/)CODEOWNERS$/.test(p)`. */
  findPaths(test: (path: string) => boolean): string[] {
    return [...this.paths].filter(test).sort();
  }

  /** Every value recorded under `key`, with the file that recorded it, in path order. */
  values<T>(key: string): { file: FileFacts; value: T }[] {
    const all = this.cached(`facts:values:${key}`, () => {
      const out: { file: FileFacts; value: unknown }[] = [];
      for (const f of this.sortedFiles()) for (const v of f.values?.get(key) ?? []) out.push({ file: f, value: v });
      return out;
    });
    return all.slice() as { file: FileFacts; value: T }[];
  }

  private sortedFiles(): FileFacts[] {
    return this.cached('facts:sorted', () => [...this.files.values()].sort((a, b) => a.path.localeCompare(b.path)));
  }

  get totalLines(): number {
    return this.cached('facts:lines', () => {
      let n = 0;
      for (const f of this.files.values()) n += f.lines;
      return n;
    });
  }
}

import { defaultConfig, WorkspaceFacts, type FileFacts, type Finding, type LintOptions, type Registry, type ResolvedConfig, type SkippedFile, type Stage } from '../rules';
import { childUri, fsPathOf, relativeTo } from './uri';

/**
 * What the server knows about one workspace folder, kept between requests: the resolved config,
 * the facts of every analysed file (small; no trees), the latest findings of every file (from the
 * open buffer when it is open, else from the disk), and the project-level findings of the last
 * scan (config problems, workspace rules). Files outside every folder share a "loose" index with
 * the default config and no scan.
 */
export class FolderIndex {
  /** Config of mlready.yaml, before the settings' stage override. */
  config: ResolvedConfig = defaultConfig();
  configPath?: string;
  stageOverride: Stage | null = null;
  facts = new WorkspaceFacts();
  /** Latest findings per workspace-relative path. */
  readonly findings = new Map<string, Finding[]>();
  /** Config problems (G001) and workspace-rule findings, from the last scan. */
  projectFindings: Finding[] = [];
  skipped: SkippedFile[] = [];
  /** URIs of closed files we published diagnostics for, so a rescan can clear them. */
  readonly publishedClosed = new Set<string>();
  scanning = false;
  scanned = false;
  scannedAt?: Date;
  /** Resolves once mlready.yaml has been read, so first lints use the project's config. */
  configReady: Promise<void> = Promise.resolve();
  /** How many files contribute each project-level fact (see projectKeys). */
  private readonly projectFactCounts = new Map<string, number>();

  constructor(
    /** Folder URI; undefined for the loose index. */
    readonly uri: string | undefined,
    readonly root: string | undefined,
    readonly name: string,
    private readonly registry: Registry,
  ) {}

  get isLoose(): boolean {
    return this.uri === undefined;
  }

  get effectiveConfig(): ResolvedConfig {
    return this.stageOverride ? { ...this.config, stage: this.stageOverride } : this.config;
  }

  get lintOptions(): LintOptions {
    return { config: this.effectiveConfig, registry: this.registry };
  }

  uriOf(relPath: string): string {
    return childUri(this.uri!, relPath);
  }

  /** Project-level findings located in this file (config problems on mlready.yaml …). */
  projectFindingsFor(relPath: string): Finding[] {
    return this.projectFindings.filter((f) => f.file === relPath);
  }

  /** Every finding of the folder: per file, and project-level. */
  allFindings(): Finding[] {
    const out: Finding[] = [];
    for (const list of this.findings.values()) out.push(...list);
    out.push(...this.projectFindings);
    return out;
  }

  /** Forgets a file (deleted, or closed when the workspace is not scanned). Returns true when project-level facts changed. */
  forget(relPath: string): boolean {
    const old = this.facts.files.get(relPath);
    this.facts.delete(relPath);
    this.findings.delete(relPath);
    return this.updateProjectFacts(old, undefined);
  }

  /** Replaces the facts wholesale (after a scan) and recounts. */
  replaceFacts(facts: WorkspaceFacts): void {
    this.facts = facts;
    this.projectFactCounts.clear();
    for (const f of facts.files.values()) this.updateProjectFacts(undefined, f);
  }

  /**
   * Accounts for one file's facts going from `old` to `next`. Returns true when the project-wide
   * set changed (a module imported nowhere before, the last file with a tag gone …): judgements
   * like "no tracker anywhere" may then change in other files. Cost: the size of one file's facts.
   */
  updateProjectFacts(old: FileFacts | undefined, next: FileFacts | undefined): boolean {
    let changed = false;
    for (const key of projectKeys(old)) {
      const n = (this.projectFactCounts.get(key) ?? 0) - 1;
      if (n <= 0) {
        this.projectFactCounts.delete(key);
        changed = true;
      } else this.projectFactCounts.set(key, n);
    }
    for (const key of projectKeys(next)) {
      const n = (this.projectFactCounts.get(key) ?? 0) + 1;
      this.projectFactCounts.set(key, n);
      if (n === 1) changed = true;
    }
    return changed;
  }
}

/**
 * The facts project-level judgements read: imported modules, tags and file kinds. Calls and
 * definitions are left out: they change with nearly every keystroke.
 */
function projectKeys(facts: FileFacts | undefined): Set<string> {
  const keys = new Set<string>();
  if (!facts) return keys;
  keys.add(`kind:${facts.kind}`);
  if (facts.yamlKind) keys.add(`yaml:${facts.yamlKind}`);
  for (const m of facts.modules) keys.add(`module:${m}`);
  for (const t of facts.tags.keys()) keys.add(`tag:${t}`);
  return keys;
}

export class WorkspaceIndex {
  readonly folders: FolderIndex[] = [];
  readonly loose: FolderIndex;

  constructor(private readonly registry: Registry) {
    this.loose = new FolderIndex(undefined, undefined, '(outside the workspace)', registry);
  }

  addFolder(uri: string, name: string): FolderIndex | undefined {
    const root = fsPathOf(uri);
    if (!root || this.folders.some((f) => f.uri === uri)) return undefined;
    const folder = new FolderIndex(uri, root, name, this.registry);
    this.folders.push(folder);
    return folder;
  }

  removeFolder(uri: string): FolderIndex | undefined {
    const i = this.folders.findIndex((f) => f.uri === uri);
    return i >= 0 ? this.folders.splice(i, 1)[0] : undefined;
  }

  folderByUri(uri: string | undefined): FolderIndex | undefined {
    return uri === undefined ? undefined : this.folders.find((f) => f.uri === uri || f.uri === uri.replace(/\/$/, ''));
  }

  /** The folder that owns a document URI and the document's path in it (the name alone when loose). */
  locate(uri: string, baseName: string): { folder: FolderIndex; path: string } {
    const fsPath = fsPathOf(uri);
    let best: { folder: FolderIndex; path: string } | undefined;
    if (fsPath) {
      for (const folder of this.folders) {
        const rel = relativeTo(folder.root!, fsPath);
        // nested folders: the deepest one owns the file
        if (rel && (!best || folder.root!.length > best.folder.root!.length)) best = { folder, path: rel };
      }
    }
    return best ?? { folder: this.loose, path: baseName };
  }
}

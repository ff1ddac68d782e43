import { defaultConfig, WorkspaceFacts, type Finding, type LintOptions, type Registry, type ResolvedConfig, type SkippedFile, type Stage } from '../rules';
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

  /** Forgets a file (deleted, or closed when the workspace is not scanned). */
  forget(relPath: string): void {
    this.facts.delete(relPath);
    this.findings.delete(relPath);
  }
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

import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { classify, decodeFile, isIgnoredPath, loadConfig, loadDocument, scanWorkspace, type Finding, type ScanResult, type SourceKind } from '../rules';
import { collectGarbage } from '../rules/workspace/analysis';
import { AnalysisPool } from '../rules/workspace/pool';
import type { ServerContext } from './context';
import { toDiagnostic } from './lint/diagnostics';
import { notebookJsonLocator, plainFileLocator, type Locator } from './lint/locate';
import { lineStartsOf } from './lint/positions';
import { runGuarded } from './safe';
import { ServerFiles } from './server-files';
import type { FolderIndex } from './workspace-index';

/** Wait after a change of project-level facts before refreshing the folder (coalesces typing). */
export const FACTS_REFRESH_MS = 1500;
/** Wait after mlready.yaml changed before applying it (coalesces typing in its buffer). */
export const CONFIG_RESCAN_MS = 300;
/**
 * Lines of pending results a scan keeps before it re-lints the rest at the end (see
 * rules/workspace/analysis.ts). They are kept in the scan's worker thread, which ends with the
 * scan, and cost about 450 bytes a line: half the CLI analyser's budget, held only while the server
 * scans, so that it does not analyse most of a large workspace twice.
 */
export const SCAN_RETAIN_LINES = 200_000;

/** Bytes the server has written to the client but the transport has not yet taken (stdio or Node IPC). */
function outputPending(): number {
  const channel = (process as { channel?: { writeQueueSize?: number } }).channel;
  return (process.stdout.writableLength ?? 0) + (channel?.writeQueueSize ?? 0);
}

/** Resolves once the transport has taken what was written (checked every 250 ms, for at most a minute). */
function afterOutputDrained(): Promise<void> {
  return new Promise((resolve) => {
    let waited = 0;
    const check = () => {
      if (outputPending() === 0 || waited >= 60_000) resolve();
      else {
        waited += 250;
        setTimeout(check, 250).unref();
      }
    };
    setTimeout(check, 250).unref();
  });
}

function memorySummary(): string {
  const m = process.memoryUsage();
  const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;
  return `${mb(m.rss)} resident, JavaScript heap ${mb(m.heapUsed)} of ${mb(m.heapTotal)}, buffers ${mb(m.external)}`;
}

/** One worker thread for scans (a pool of N jobs has N − 1 workers; offloaded, this thread only collects). */
const SCAN_JOBS = 2;

interface ScanState {
  files?: ServerFiles;
  /** Set when another scan was asked for while this one ran: it runs again when done. */
  again: boolean;
  full: boolean;
  done: Promise<void>;
}

export interface ScanSummary {
  scanned: number;
  skipped: number;
  durationMs: number;
}

/**
 * The workspace beyond the open documents: config loading, scans (the engine's scanWorkspace over
 * open buffers and the disk), diagnostics of closed files, and incremental updates when one file
 * changes on disk. With `mlready.scanWorkspace` off, a scan covers only the open documents and the
 * config file, so project-level findings still have facts to work with.
 */
export class WorkspaceService {
  private readonly scans = new Map<FolderIndex, ScanState>();
  private readonly refreshTimers = new Map<FolderIndex, NodeJS.Timeout>();
  private readonly configTimers = new Map<FolderIndex, NodeJS.Timeout>();
  readonly lastScan = new Map<FolderIndex, ScanSummary>();

  /** The newest diagnostics written for closed files: the transport writes in order, so once it is done all earlier ones are too. */
  private lastPublished: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: ServerContext) {}

  private publish(params: PublishDiagnosticsParams): void {
    this.lastPublished = this.ctx.connection.sendDiagnostics(params).catch(() => undefined);
  }

  addFolder(uri: string, name: string): FolderIndex | undefined {
    const folder = this.ctx.index.addFolder(uri, name);
    if (!folder) return undefined;
    folder.configReady = this.ctx.initialized.then(() => this.reloadConfig(folder)).catch((e) => this.ctx.log.failure('loading mlready.yaml', e, folder.name));
    this.ctx.docs.rebind();
    return folder;
  }

  removeFolder(uri: string): void {
    const folder = this.ctx.index.removeFolder(uri);
    if (!folder) return;
    this.scans.get(folder)?.files?.cancel();
    clearTimeout(this.refreshTimers.get(folder));
    clearTimeout(this.configTimers.get(folder));
    for (const u of folder.publishedClosed) this.publish({ uri: u, diagnostics: [] });
    this.ctx.docs.rebind();
    this.ctx.linter.relintFolder(undefined);
  }

  /** Reads mlready.yaml (open buffer first) and the folder's stage setting. */
  async reloadConfig(folder: FolderIndex): Promise<void> {
    if (folder.isLoose) return;
    const settings = await this.ctx.settings.get(folder.uri!);
    const files = this.filesFor(folder, true);
    const loaded = await loadConfig(files, this.ctx.registry, files.configNames());
    folder.config = loaded.config;
    folder.configPath = loaded.path;
    folder.stageOverride = settings.stage ?? null;
  }

  /** Scans a folder; concurrent requests are coalesced into one more scan after the running one. */
  scan(folder: FolderIndex, full = false): Promise<void> {
    const running = this.scans.get(folder);
    if (running) {
      running.again = true;
      running.full ||= full;
      return running.done;
    }
    const state: ScanState = { again: false, full, done: Promise.resolve() };
    state.done = (async () => {
      do {
        state.again = false;
        try {
          await this.scanOnce(folder, state);
        } catch (e) {
          this.ctx.log.failure('workspace scan', e, folder.name);
        }
      } while (state.again && !this.ctx.shuttingDown && this.ctx.index.folders.includes(folder));
    })().finally(() => {
      this.scans.delete(folder);
      folder.scanning = false;
      this.ctx.status.changed(true);
      // the scan's result is garbage now (its findings and facts were kept in their compact form):
      // collected, and its pages given back, once the re-lints of open documents have run and the
      // diagnostics of closed files (tens of MB of messages on a large workspace, queued in the
      // JSON-RPC writer until written) have been sent
      void this.lastPublished.then(afterOutputDrained).then(() => {
        collectGarbage({ returnMemory: true });
        if (process.env.MLREADY_DEBUG) this.ctx.log.info(`mlready: memory after the scan: ${memorySummary()}`);
      });
    });
    this.scans.set(folder, state);
    return state.done;
  }

  private filesFor(folder: FolderIndex, openOnly: boolean): ServerFiles {
    return new ServerFiles(folder.root!, (p) => this.ctx.docs.bufferText(folder, p), () => this.ctx.docs.openPaths(folder), openOnly);
  }

  private async scanOnce(folder: FolderIndex, state: ScanState): Promise<void> {
    const started = performance.now();
    const settings = await this.ctx.settings.get(folder.uri!);
    const openOnly = !(settings.scanWorkspace || state.full) || !settings.enable;
    const files = this.filesFor(folder, openOnly);
    state.files = files;
    folder.scanning = true;
    this.ctx.status.changed(true);
    await this.reloadConfig(folder);
    // documents the user just opened are linted first: a scan at start-up (of the open documents
    // only, in this thread, when few) would otherwise delay their first diagnostics by its length
    await this.ctx.linter.settled();
    // the analysis runs in a worker thread that ends with the scan: the server keeps only results,
    // and the scan's garbage (a heap V8 would otherwise keep committed) goes back to the system
    const pool = new AnalysisPool(SCAN_JOBS);
    let result: ScanResult;
    try {
      result = await scanWorkspace(files, this.ctx.registry, folder.stageOverride ? { stage: folder.stageOverride } : undefined, { retainLines: SCAN_RETAIN_LINES, pool, offload: true });
    } finally {
      await pool.close();
    }
    if (files.isCancelled || this.ctx.shuttingDown || !this.ctx.index.folders.includes(folder)) return;
    this.applyScan(folder, result, files, openOnly || !settings.enable);
    folder.scanned = true;
    folder.scannedAt = new Date();
    const durationMs = performance.now() - started;
    this.lastScan.set(folder, { scanned: result.files.scanned, skipped: result.files.skipped.length, durationMs });
    this.ctx.log.info(`mlready: scanned ${folder.name}${openOnly ? ' (open files only)' : ''}: ${result.files.scanned} files, ${result.findings.length} findings, ${result.files.skipped.length} skipped, ${durationMs.toFixed(0)} ms.`);
    // open documents: re-lint with the complete facts and the config the scan used
    this.ctx.linter.relintFolder(folder, true);
  }

  /** A finding about the project rather than one file's text: config problems and workspace rules. */
  private isProjectFinding(f: Finding): boolean {
    return f.file === null || f.code === 'G001' || !!this.ctx.registry.byCode(f.code)?.checkWorkspace;
  }

  private applyScan(folder: FolderIndex, result: ScanResult, files: ServerFiles, openOnly: boolean): void {
    const { docs } = this.ctx;
    folder.replaceFacts(result.facts);
    folder.skipped = result.files.skipped;
    for (const e of result.ruleErrors) this.ctx.log.ruleError(e.code, e.file);
    const project: Finding[] = [];
    const perFile = new Map<string, Finding[]>();
    for (const f of result.findings) {
      if (this.isProjectFinding(f)) project.push(f);
      else {
        let list = perFile.get(f.file!);
        if (!list) perFile.set(f.file!, (list = []));
        list.push(f);
      }
    }
    folder.projectFindings = project;
    // open documents keep the findings of their live buffer; every other file takes the scan's
    for (const p of [...folder.findings.keys()]) if (!docs.isOpen(folder, p)) folder.findings.delete(p);
    for (const [p, list] of perFile) if (!docs.isOpen(folder, p)) folder.findings.set(p, list);

    const published = new Set<string>();
    if (!openOnly) {
      const paths = new Set([...perFile.keys(), ...project.filter((f) => f.file !== null).map((f) => f.file!)]);
      for (const p of paths) {
        if (docs.isOpen(folder, p)) continue;
        const uri = folder.uriOf(p);
        const positions = files.notebookPositions.get(p);
        const locator = p.toLowerCase().endsWith('.ipynb') ? (positions ? notebookJsonLocator(uri, positions) : undefined) : plainFileLocator(uri);
        if (locator && this.publishClosed(folder, p, folder.findings.get(p) ?? [], locator)) published.add(uri);
      }
    }
    // published: what a closed file's findings still serve (score, panel, which files fix-all
    // re-analyses) needs no edits, and on a large workspace the edits are most of their memory
    for (const [p, list] of folder.findings) if (!docs.isOpen(folder, p)) folder.findings.set(p, list.map(withoutEdits));
    for (const uri of folder.publishedClosed) if (!published.has(uri)) this.publish({ uri, diagnostics: [] });
    folder.publishedClosed.clear();
    for (const uri of published) folder.publishedClosed.add(uri);
  }

  /** Publishes a closed file's findings (no fixes: code actions are only asked for open files). Returns true when any was published. */
  private publishClosed(folder: FolderIndex, relPath: string, findings: Finding[], locator: Locator): boolean {
    const diagnostics: Diagnostic[] = [];
    for (const f of [...findings, ...folder.projectFindingsFor(relPath)]) {
      const place = locator.finding(f);
      if (place) diagnostics.push(toDiagnostic({ finding: f, ...place, fixes: [] }, this.ctx.docsBaseUri));
    }
    const uri = folder.uriOf(relPath);
    if (diagnostics.length === 0 && !folder.publishedClosed.has(uri)) return false;
    this.publish({ uri, diagnostics });
    if (diagnostics.length) folder.publishedClosed.add(uri);
    else folder.publishedClosed.delete(uri);
    return diagnostics.length > 0;
  }

  private clearClosed(folder: FolderIndex, uri: string): void {
    if (folder.publishedClosed.delete(uri)) this.publish({ uri, diagnostics: [] });
  }

  /** Project-level facts of a folder changed: refresh it soon (closed files' conditional findings, workspace rules). */
  factsChanged(folder: FolderIndex): void {
    this.scheduleRescan(folder, FACTS_REFRESH_MS);
  }

  scheduleRescan(folder: FolderIndex, delayMs: number): void {
    if (folder.isLoose || this.ctx.shuttingDown) return;
    clearTimeout(this.refreshTimers.get(folder));
    this.refreshTimers.set(
      folder,
      setTimeout(() => {
        this.refreshTimers.delete(folder);
        runGuarded(this.ctx.log, 'workspace refresh', () => this.scan(folder), folder.name);
      }, delayMs),
    );
  }

  /**
   * mlready.yaml changed (on disk or in its buffer): after a short pause (typing), open documents
   * are linted with the new config and the folder is rescanned, since severities and ignores
   * change every file's findings.
   */
  configChanged(folder: FolderIndex): void {
    if (folder.isLoose) return;
    clearTimeout(this.configTimers.get(folder));
    this.configTimers.set(
      folder,
      setTimeout(() => {
        this.configTimers.delete(folder);
        runGuarded(this.ctx.log, 'reloading mlready.yaml', async () => {
          folder.configReady = this.reloadConfig(folder);
          await folder.configReady;
          this.ctx.linter.relintFolder(folder);
          await this.scan(folder);
        }, folder.name);
      }, CONFIG_RESCAN_MS),
    );
  }

  /** A file changed on disk (watched files): update its facts and diagnostics when it is not open. */
  async fileChanged(folder: FolderIndex, relPath: string, deleted: boolean): Promise<void> {
    if (folder.isLoose || this.ctx.docs.isOpen(folder, relPath)) return;
    const settings = await this.ctx.settings.get(folder.uri!);
    if (!settings.enable || !settings.scanWorkspace) return;
    const running = this.scans.get(folder);
    if (running) {
      // the running scan may have read the old content: scan once more when it ends
      running.again = true;
      return;
    }
    if (deleted) {
      const gone = [...folder.facts.paths].filter((p) => p === relPath || p.startsWith(`${relPath}/`));
      let changed = false;
      for (const p of gone) {
        changed = folder.forget(p) || changed;
        this.clearClosed(folder, folder.uriOf(p));
      }
      // a removed path can matter by itself (a Dockerfile makes /app a container path)
      if (changed || gone.length) this.factsChanged(folder);
      return;
    }
    await this.lintFromDisk(folder, relPath);
  }

  /** An open document was closed: its diagnostics now come from the disk (or vanish). */
  async documentClosed(folder: FolderIndex, relPath: string, uri: string): Promise<void> {
    const settings = folder.isLoose ? undefined : await this.ctx.settings.get(folder.uri!);
    if (this.ctx.docs.isOpen(folder, relPath)) return;
    if (!settings?.scanWorkspace || !settings.enable) {
      const changed = folder.forget(relPath);
      this.publish({ uri, diagnostics: [] });
      if (changed && !folder.isLoose) this.factsChanged(folder);
      return;
    }
    this.publish({ uri, diagnostics: [] });
    await this.lintFromDisk(folder, relPath);
  }

  /** Lints one closed file from the disk and publishes it. */
  private async lintFromDisk(folder: FolderIndex, relPath: string): Promise<void> {
    const uri = folder.uriOf(relPath);
    const kind = classify(relPath);
    folder.facts.paths.add(relPath);
    if (!kind || isIgnoredPath(folder.effectiveConfig, relPath)) return;
    let bytes: Uint8Array;
    try {
      bytes = await fs.promises.readFile(path.join(folder.root!, relPath));
    } catch {
      if (folder.forget(relPath)) this.factsChanged(folder);
      this.clearClosed(folder, uri);
      return;
    }
    if (this.ctx.docs.isOpen(folder, relPath)) return; // opened while we read it
    const decoded = decodeFile(relPath, bytes);
    folder.skipped = folder.skipped.filter((s) => s.file !== relPath);
    if ('skip' in decoded) {
      folder.skipped.push({ file: relPath, reason: decoded.skip });
      if (folder.forget(relPath)) this.factsChanged(folder);
      this.clearClosed(folder, uri);
      return;
    }
    const text = decoded.text;
    const locator = kind === 'notebook' ? notebookJsonLocator(uri, lineStartsOf(text)) : plainFileLocator(uri);
    const analysis = this.ctx.linter.analyzeIn(folder, relPath, () => loadDocument(relPath, text, kind), locator, true);
    this.publishClosed(folder, relPath, analysis.findings, locator);
    this.ctx.status.changed();
  }

  /** Lints a closed file from disk for a one-off purpose (fix-all preview); nothing is published. */
  async analyzeClosed(folder: FolderIndex, relPath: string): Promise<{ findings: Finding[]; locator: Locator; text: string; kind: SourceKind } | undefined> {
    const kind = classify(relPath);
    if (!kind) return undefined;
    let bytes: Uint8Array;
    try {
      bytes = await fs.promises.readFile(path.join(folder.root!, relPath));
    } catch {
      return undefined;
    }
    const decoded = decodeFile(relPath, bytes);
    if ('skip' in decoded) return undefined;
    const uri = folder.uriOf(relPath);
    const locator = kind === 'notebook' ? notebookJsonLocator(uri, lineStartsOf(decoded.text)) : plainFileLocator(uri);
    const analysis = this.ctx.linter.analyzeIn(folder, relPath, () => loadDocument(relPath, decoded.text, kind), locator, false);
    return { findings: analysis.findings, locator, text: decoded.text, kind };
  }

  dispose(): void {
    for (const s of this.scans.values()) s.files?.cancel();
    for (const t of [...this.refreshTimers.values(), ...this.configTimers.values()]) clearTimeout(t);
    this.refreshTimers.clear();
    this.configTimers.clear();
  }
}

/** A finding as kept for a closed file: its fixes by title and applicability only. */
function withoutEdits(f: Finding): Finding {
  if (!f.fixes.length) return f;
  return { ...f, fixes: f.fixes.map((x) => ({ title: x.title, applicability: x.applicability, edits: [] })) };
}

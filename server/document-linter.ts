import type { Diagnostic } from 'vscode-languageserver/node';
import { documentFromNotebook, isIgnoredPath, loadDocument, notebookFromCells, type AnalyzedDocument } from '../rules';
import { withParseCache, type ParseCache } from '../rules/documents/python/unit';
import { collectYoungGarbage } from '../rules/workspace/analysis';
import type { ServerContext } from './context';
import { analyze, type Analysis } from './lint/analyze';
import { toDiagnostic } from './lint/diagnostics';
import { cellBasesOf } from './lint/fix-edits';
import { notebookCellsLocator, notebookJsonLocator, plainFileLocator, type Locator } from './lint/locate';
import { LintScheduler } from './lint/scheduler';
import { notebookMetadata, type OpenNotebook, type OpenText } from './open-documents';
import type { FolderIndex } from './workspace-index';

/** Lints slower than this are logged (at debug level) with their file and duration. */
const SLOW_LINT_MS = 100;
/** Open buffers over these sizes are not analysed (the engine's limits for files on disk). */
const MAX_TEXT_CHARS = 2 * 1024 * 1024;
const MAX_NOTEBOOK_CHARS = 50 * 1024 * 1024;

/** A fresh lint of an open document, for code actions that must not trust published diagnostics. */
export interface FreshAnalysis {
  analysis: Analysis;
  locator: Locator;
  /** For notebook documents: running offsets of the cells (see safeFixEdits). */
  cellBases?: number[];
}

/**
 * Lints open documents: debounced per document, synchronous from reading the buffer to
 * publishing (so the published diagnostics always belong to the version that was read), and
 * measured. Notebook documents are linted as one program and published per cell.
 */
export class DocumentLinter {
  private readonly scheduler: LintScheduler;

  constructor(private readonly ctx: ServerContext) {
    this.scheduler = new LintScheduler((key) => this.run(key).catch((e) => ctx.log.failure('lint', e, key)));
  }

  /** Schedules a lint of an open text document or notebook (by its URI). */
  async request(uri: string, immediate = false): Promise<void> {
    const settings = await this.ctx.settings.get(uri);
    if (this.ctx.shuttingDown) return;
    this.scheduler.schedule(uri, immediate ? 0 : this.scheduler.delayFor(uri, settings.debounceMs));
  }

  cancel(uri: string): void {
    this.scheduler.cancel(uri);
  }

  /** Resolves once the lints of open documents asked for so far have published (see LintScheduler.settled). */
  settled(): Promise<void> {
    return this.scheduler.settled();
  }

  /**
   * Re-lints every open document of a folder (after a scan, a config change …). `afterScan`: the
   * facts these lints record must not start another scan (an open notebook's cells can differ
   * from its .ipynb on disk, which the scan read, and would otherwise rescan forever).
   */
  relintFolder(folder: FolderIndex | undefined, afterScan = false): void {
    for (const e of [...this.ctx.docs.allTexts(), ...this.ctx.docs.allNotebooks()]) {
      if (folder && e.folder !== folder) continue;
      e.afterScan = afterScan;
      void this.request(e.uri, true);
    }
  }

  dispose(): void {
    this.scheduler.dispose();
  }

  private youngCollection: NodeJS.Immediate | undefined;

  /**
   * A lint allocates several MB that are all garbage once its diagnostics are written. Collected
   * then, between two lints (about 3 ms, measured, with almost nothing alive), the next lint starts
   * with an empty young generation and is not interrupted by a collection that would also copy
   * everything it holds at that moment.
   */
  private collectYoungSoon(): void {
    this.youngCollection ??= setImmediate(() => {
      this.youngCollection = undefined;
      collectYoungGarbage();
    });
  }

  /**
   * Lints a document and publishes its diagnostics; resolves once the transport has written them.
   * The lint itself is synchronous (`lintTextNow`, `lintNotebookNow`): nothing it made is still
   * referenced while this waits, so the young collection that follows the write finds only
   * garbage. The collection comes after the write, never between the lint and its diagnostics
   * (the JSON-RPC writer also writes from an immediate). A scan waiting for the lints of open
   * documents (LintScheduler.settled) thus starts its synchronous work only once they are out.
   */
  private async run(uri: string): Promise<void> {
    const settings = await this.ctx.settings.get(uri);
    const text = this.ctx.docs.text(uri);
    const notebook = text ? undefined : this.ctx.docs.notebook(uri);
    const folder = text?.folder ?? notebook?.folder;
    if (!folder) return;
    await folder.configReady;
    const written = text ? this.lintTextNow(text, settings.enable) : notebook ? this.lintNotebookNow(notebook, settings.enable) : undefined;
    if (!written) return;
    this.ctx.status.changed();
    await written.catch(() => undefined); // a closed connection: nobody is waiting for them
    this.collectYoungSoon();
  }

  private lintTextNow(entry: OpenText, enable: boolean): Promise<void> | undefined {
    const { ctx } = this;
    const doc = ctx.docs.texts.get(entry.uri);
    if (!doc || ctx.docs.text(entry.uri) !== entry) return undefined; // closed meanwhile
    entry.linted = true;
    const text = doc.getText();
    if (!enable || this.skipped(entry.folder, entry.path, text)) {
      entry.folder.findings.delete(entry.path);
      entry.published = undefined;
      return ctx.connection.sendDiagnostics({ uri: entry.uri, version: doc.version, diagnostics: [] });
    }
    const version = doc.version;
    const locator = entry.kind === 'notebook' ? notebookJsonLocator(entry.uri, doc) : plainFileLocator(entry.uri);
    const userEdit = !entry.afterScan;
    entry.afterScan = false;
    const analysis = this.analyzeIn(entry.folder, entry.path, () => withParseCache(entry.parses, () => loadDocument(entry.path, text, entry.kind)), locator, userEdit, entry.parses);
    this.scheduler.ran(entry.uri, analysis.durationMs);
    // never publish results for a version the editor has moved past
    if (ctx.docs.texts.get(entry.uri)?.version !== version) return undefined;
    const diagnostics = this.diagnostics(analysis, entry.folder, entry.path, locator);
    entry.published = analysis.located;
    return ctx.connection.sendDiagnostics({ uri: entry.uri, version, diagnostics });
  }

  private lintNotebookNow(entry: OpenNotebook, enable: boolean): Promise<void> | undefined {
    const { ctx } = this;
    const nb = ctx.docs.notebooks.getNotebookDocument(entry.uri);
    if (!nb || ctx.docs.notebook(entry.uri) !== entry) return undefined;
    entry.linted = true;
    const { inputs, cellUris } = ctx.docs.cellInputs(nb);
    const byCell = new Map<string, Diagnostic[]>();
    if (enable && !isIgnoredPath(entry.folder.effectiveConfig, entry.path)) {
      const stamp = this.notebookStamp(nb.version, cellUris);
      const locator = notebookCellsLocator(cellUris);
      const load = (): AnalyzedDocument => withParseCache(entry.parses, () => documentFromNotebook(entry.path, notebookFromCells(inputs, notebookMetadata(nb))));
      const userEdit = !entry.afterScan;
      entry.afterScan = false;
      const analysis = this.analyzeIn(entry.folder, entry.path, load, locator, userEdit, entry.parses);
      this.scheduler.ran(entry.uri, analysis.durationMs);
      if (this.notebookStamp(nb.version, cellUris) !== stamp || ctx.docs.notebook(entry.uri) !== entry) return undefined;
      this.diagnostics(analysis, entry.folder, entry.path, locator, byCell);
      entry.published = analysis.located;
    } else {
      entry.folder.findings.delete(entry.path);
      entry.published = undefined;
    }
    return this.publishCells(entry, byCell);
  }

  /**
   * Publishes per cell: the cells whose diagnostics changed or that were edited (a keystroke in
   * one cell of a 200-cell notebook used to send all of them again, for the editor to parse and
   * redraw), and clears cells that had diagnostics before (fixed, or removed from the notebook).
   * Resolves once all are written (the transport writes in order).
   */
  private publishCells(entry: OpenNotebook, byCell: Map<string, Diagnostic[]>): Promise<void> {
    let written: Promise<void> = Promise.resolve();
    const published = new Map<string, string>();
    for (const [uri, diagnostics] of byCell) {
      const stamp = `${this.ctx.docs.versionOf(uri) ?? ''} ${JSON.stringify(diagnostics)}`;
      published.set(uri, stamp);
      if (entry.publishedCells.get(uri) !== stamp) written = this.ctx.connection.sendDiagnostics({ uri, diagnostics });
    }
    for (const uri of entry.publishedCells.keys()) if (!byCell.has(uri)) written = this.ctx.connection.sendDiagnostics({ uri, diagnostics: [] });
    entry.publishedCells = published;
    return written;
  }

  /** Clears everything published for a notebook (on close). */
  clearNotebook(entry: OpenNotebook): void {
    void this.publishCells(entry, new Map()).catch(() => undefined);
  }

  private notebookStamp(version: number, cellUris: string[]): string {
    return `${version}:${cellUris.map((u) => `${u}@${this.ctx.docs.versionOf(u)}`).join(',')}`;
  }

  private skipped(folder: FolderIndex, path: string, text: string): boolean {
    if (isIgnoredPath(folder.effectiveConfig, path)) return true;
    const limit = path.toLowerCase().endsWith('.ipynb') ? MAX_NOTEBOOK_CHARS : MAX_TEXT_CHARS;
    const reason = text.length > limit ? `buffer of ${(text.length / 1048576).toFixed(1)} M characters is over the analysis limit` : text.slice(0, 8192).includes('\0') ? 'binary content (NUL characters)' : undefined;
    if (!reason) {
      // the buffer is analysed again: it is no longer a skipped file
      if (folder.skipped.some((s) => s.file === path)) folder.skipped = folder.skipped.filter((s) => s.file !== path);
      return false;
    }
    if (!folder.skipped.some((s) => s.file === path)) {
      folder.skipped.push({ file: path, reason });
      this.ctx.log.info(`mlready: ${path} is not analysed: ${reason}.`);
    }
    return true;
  }

  /**
   * Lints one document in a folder: records its findings and facts there, logs rule errors once
   * and slow lints, and tells the workspace when project-level facts changed. `userEdit` is false
   * for re-lints that follow a scan, which must not start another scan.
   */
  analyzeIn(folder: FolderIndex, path: string, load: () => AnalyzedDocument, locator: Locator, userEdit: boolean, parses?: ParseCache): Analysis {
    const before = folder.facts.files.get(path);
    const analysis = analyze(load, locator, folder.lintOptions, folder.facts);
    // the nodes this lint made of trees the cache keeps are garbage now: let them die young
    parses?.forgetNewNodes();
    folder.findings.set(path, analysis.findings);
    for (const e of analysis.ruleErrors) this.ctx.log.ruleError(e.code, path);
    if (analysis.durationMs > SLOW_LINT_MS) this.ctx.log.debug(`mlready: slow lint of ${path}: ${analysis.durationMs.toFixed(1)} ms`);
    const projectChanged = folder.updateProjectFacts(before, analysis.facts);
    if (userEdit && projectChanged && !folder.isLoose) this.ctx.workspace.factsChanged(folder);
    return analysis;
  }

  /** Diagnostics of a lint plus the project-level findings placed in the same file; grouped by URI into `byUri` when given. */
  diagnostics(analysis: Analysis, folder: FolderIndex, path: string, locator: Locator, byUri?: Map<string, Diagnostic[]>): Diagnostic[] {
    const versionOf = (uri: string) => this.ctx.docs.versionOf(uri);
    const out: Diagnostic[] = [];
    const add = (uri: string, d: Diagnostic) => {
      out.push(d);
      if (byUri) {
        let list = byUri.get(uri);
        if (!list) byUri.set(uri, (list = []));
        list.push(d);
      }
    };
    for (const l of analysis.located) add(l.uri, toDiagnostic(l, this.ctx.docsBaseUri, versionOf));
    for (const f of folder.projectFindingsFor(path)) {
      const place = locator.finding(f);
      if (place) add(place.uri, toDiagnostic({ finding: f, ...place, fixes: [] }, this.ctx.docsBaseUri));
    }
    return out;
  }

  /** Lints an open document (a text document, a notebook, or the notebook of a cell URI) now, without publishing. */
  fresh(uri: string): FreshAnalysis | undefined {
    const { docs } = this.ctx;
    const text = docs.text(uri);
    const doc = docs.texts.get(uri);
    if (text && doc) {
      const locator = text.kind === 'notebook' ? notebookJsonLocator(uri, doc) : plainFileLocator(uri);
      const content = doc.getText();
      if (this.skipped(text.folder, text.path, content)) return undefined;
      return { analysis: this.analyzeIn(text.folder, text.path, () => withParseCache(text.parses, () => loadDocument(text.path, content, text.kind)), locator, false, text.parses), locator };
    }
    const entry = docs.notebook(uri) ?? docs.notebookOfCell(uri);
    const nb = entry && docs.notebooks.getNotebookDocument(entry.uri);
    if (!entry || !nb || isIgnoredPath(entry.folder.effectiveConfig, entry.path)) return undefined;
    const { inputs, cellUris } = docs.cellInputs(nb);
    const locator = notebookCellsLocator(cellUris);
    const load = () => withParseCache(entry.parses, () => documentFromNotebook(entry.path, notebookFromCells(inputs, notebookMetadata(nb))));
    return { analysis: this.analyzeIn(entry.folder, entry.path, load, locator, false), locator, cellBases: cellBasesOf(inputs.map((c) => c.text)) };
  }
}

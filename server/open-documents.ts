import { NotebookCellKind, NotebookDocuments, TextDocuments, type NotebookDocument } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { classify, type CellInput, type SourceKind } from '../rules';
import { ParseCache } from '../rules/documents/python/unit';
import type { LocatedFinding } from './lint/analyze';
import { baseNameOf } from './uri';
import type { FolderIndex, WorkspaceIndex } from './workspace-index';

/**
 * The documents open in the editor: text documents (incremental sync) and notebook documents
 * (LSP 3.17 notebook sync, each cell its own text document). Each open document is bound to the
 * workspace folder that owns it and to its path there.
 */

export interface OpenText {
  uri: string;
  kind: SourceKind;
  folder: FolderIndex;
  path: string;
  /** False until the first lint ran, so the first one is not debounced. */
  linted: boolean;
  /** Set when the next lint only follows a scan: its facts must not start another scan. */
  afterScan?: boolean;
  /** The document's Python trees between lints, for incremental re-parsing; freed on close. */
  parses: ParseCache;
  /** The findings last published, placed, with their fixes: code actions take their edits from here. */
  published?: readonly LocatedFinding[];
}

export interface OpenNotebook {
  uri: string;
  folder: FolderIndex;
  path: string;
  linted: boolean;
  afterScan?: boolean;
  /** The cells' Python trees between lints (unchanged cells are not parsed again); freed on close. */
  parses: ParseCache;
  /**
   * What was last published on each cell that has diagnostics (the cell's version and its
   * diagnostics, serialised): cells are published again only when that changes, and cells that
   * had diagnostics are cleared when they have none or are removed.
   */
  publishedCells: Map<string, string>;
  /** As OpenText.published. */
  published?: readonly LocatedFinding[];
}

/** Editors for languages whose URI does not tell the kind (untitled buffers). */
const KIND_BY_LANGUAGE: Record<string, SourceKind> = {
  python: 'python',
  yaml: 'yaml',
  'pip-requirements': 'requirements',
  dockerfile: 'dockerfile',
  dotenv: 'dotenv',
  toml: 'toml',
};

export class OpenDocuments {
  readonly texts = new TextDocuments(TextDocument);
  readonly notebooks = new NotebookDocuments(TextDocument);
  private readonly textEntries = new Map<string, OpenText>();
  private readonly notebookEntries = new Map<string, OpenNotebook>();

  constructor(private readonly index: WorkspaceIndex) {}

  /** Binds a newly opened text document, or returns undefined when mlready does not analyse it. */
  openText(doc: TextDocument): OpenText | undefined {
    // cells of a notebook come through notebook sync; a client that also sends them as text is ignored
    if (doc.uri.startsWith('vscode-notebook-cell:')) return undefined;
    const { folder, path } = this.index.locate(doc.uri, baseNameOf(doc.uri));
    const kind = classify(path) ?? (doc.uri.startsWith('file:') ? undefined : KIND_BY_LANGUAGE[doc.languageId]);
    if (!kind) return undefined;
    const entry: OpenText = { uri: doc.uri, kind, folder, path, linted: false, parses: new ParseCache() };
    this.textEntries.set(doc.uri, entry);
    return entry;
  }

  closeText(uri: string): OpenText | undefined {
    const entry = this.textEntries.get(uri);
    this.textEntries.delete(uri);
    entry?.parses.dispose();
    return entry;
  }

  text(uri: string): OpenText | undefined {
    return this.textEntries.get(uri);
  }

  openNotebook(nb: NotebookDocument): OpenNotebook {
    const name = baseNameOf(nb.uri);
    const { folder, path } = this.index.locate(nb.uri, name);
    const entry: OpenNotebook = { uri: nb.uri, folder, path, linted: false, parses: new ParseCache(), publishedCells: new Map() };
    this.notebookEntries.set(nb.uri, entry);
    return entry;
  }

  closeNotebook(uri: string): OpenNotebook | undefined {
    const entry = this.notebookEntries.get(uri);
    this.notebookEntries.delete(uri);
    entry?.parses.dispose();
    return entry;
  }

  notebook(uri: string): OpenNotebook | undefined {
    return this.notebookEntries.get(uri);
  }

  /** The open notebook a cell URI belongs to. */
  notebookOfCell(cellUri: string): OpenNotebook | undefined {
    const nb = this.notebooks.findNotebookDocumentForCell(cellUri);
    return nb ? this.notebookEntries.get(nb.uri) : undefined;
  }

  allTexts(): OpenText[] {
    return [...this.textEntries.values()];
  }

  allNotebooks(): OpenNotebook[] {
    return [...this.notebookEntries.values()];
  }

  /** Open documents of a folder, by path: whose findings come from buffers, not from the disk. */
  openPaths(folder: FolderIndex): string[] {
    const out: string[] = [];
    for (const e of this.textEntries.values()) if (e.folder === folder) out.push(e.path);
    for (const e of this.notebookEntries.values()) if (e.folder === folder) out.push(e.path);
    return out;
  }

  isOpen(folder: FolderIndex, path: string): boolean {
    for (const e of this.textEntries.values()) if (e.folder === folder && e.path === path) return true;
    for (const e of this.notebookEntries.values()) if (e.folder === folder && e.path === path) return true;
    return false;
  }

  /** Text of an open text document of the folder at this path (buffers are read before the disk). */
  bufferText(folder: FolderIndex, path: string): string | undefined {
    for (const e of this.textEntries.values()) if (e.folder === folder && e.path === path) return this.texts.get(e.uri)?.getText();
    return undefined;
  }

  /** Version of an open text document or notebook cell. */
  versionOf(uri: string): number | undefined {
    return (this.texts.get(uri) ?? this.notebooks.cellTextDocuments.get(uri))?.version;
  }

  /** The notebook's cells as the engine reads them: index = position in the notebook's cells array. */
  cellInputs(nb: NotebookDocument): { inputs: CellInput[]; cellUris: string[] } {
    const inputs: CellInput[] = [];
    const cellUris: string[] = [];
    nb.cells.forEach((cell, index) => {
      const doc = this.notebooks.getCellTextDocument(cell);
      const isPython = doc === undefined || doc.languageId === 'python';
      const kind: CellInput['kind'] = cell.kind === NotebookCellKind.Markup ? 'markdown' : isPython ? 'code' : 'raw';
      inputs.push({ index, kind, text: doc?.getText() ?? '', executionCount: cell.executionSummary?.executionOrder ?? null });
      cellUris.push(cell.document);
    });
    return { inputs, cellUris };
  }

  /** Rebinds open documents to folders after workspace folders were added or removed. */
  rebind(): void {
    for (const e of this.textEntries.values()) Object.assign(e, this.index.locate(e.uri, baseNameOf(e.uri)));
    for (const e of this.notebookEntries.values()) Object.assign(e, this.index.locate(e.uri, baseNameOf(e.uri)));
  }
}

/** Jupyter metadata as the engine expects it (VS Code nests the .ipynb metadata under `custom` or `metadata`). */
export function notebookMetadata(nb: NotebookDocument): Record<string, unknown> {
  const m = (nb.metadata ?? {}) as Record<string, unknown>;
  const custom = (m.custom as Record<string, unknown> | undefined)?.metadata;
  const candidates = [m, m.metadata, custom];
  const found = candidates.find((o) => !!o && typeof o === 'object' && ('language_info' in o || 'kernelspec' in o));
  return (found as Record<string, unknown> | undefined) ?? {};
}

/**
 * A minimal LSP client for the tests: starts the bundled server (`node dist/server.js --stdio`),
 * speaks JSON-RPC to it, answers its `workspace/configuration` and `client/registerCapability`
 * requests, and records what it publishes so tests can wait for it (polling on events, never
 * sleeping a fixed time when a condition can be awaited).
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { MlreadySettings, StatusParams } from '../../common/protocol';
import { serverEnvironment } from '../../common/server-process';

export const ROOT = path.resolve(__dirname, '..', '..');
export const SERVER = path.join(ROOT, 'dist', 'server.js');

/** Rebuilds the bundles when dist/server.js is missing or older than any source it is built from. */
export function ensureBuilt(): void {
  const newest = Math.max(...['server', 'rules', 'common'].map((d) => newestMtime(path.join(ROOT, d))));
  if (fs.existsSync(SERVER) && fs.statSync(SERVER).mtimeMs >= newest) return;
  const r = require('child_process').spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (/\.(ts|json|scm)$/.test(entry.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** A temporary workspace folder with the given files; removed by `dispose`. */
export class TempWorkspace {
  readonly dir: string;
  readonly uri: string;

  constructor(files: Record<string, string | Uint8Array> = {}) {
    this.dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mlready-lsp-')));
    this.uri = pathToFileURL(this.dir).href;
    for (const [rel, content] of Object.entries(files)) this.write(rel, content);
  }

  write(rel: string, content: string | Uint8Array): string {
    const full = path.join(this.dir, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
    return this.uriOf(rel);
  }

  uriOf(rel: string): string {
    return pathToFileURL(path.join(this.dir, rel)).href;
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface StartOptions {
  workspace?: TempWorkspace;
  settings?: Partial<MlreadySettings>;
  initializationOptions?: Record<string, unknown>;
  /** Whether the client announces WorkspaceEdit.documentChanges (default false: plain `changes`). */
  documentChanges?: boolean;
  /** WorkspaceEdit.resourceOperations the client announces (e.g. `['create']`). */
  resourceOperations?: string[];
  /** Whether the client announces codeAction resolveSupport for `edit`. */
  codeActionResolve?: boolean;
}

export interface Published {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

export class LspClient {
  readonly published = new Map<string, Published>();
  /** Every publishDiagnostics in arrival order. */
  readonly history: Published[] = [];
  readonly statuses: StatusParams[] = [];
  readonly logs: { type: number; message: string }[] = [];
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  stderr = '';
  settings: Partial<MlreadySettings>;
  initializeResult!: InitializeResult;
  private listeners: (() => void)[] = [];
  private exited: Promise<number | null>;

  private constructor(
    readonly proc: ChildProcess,
    readonly conn: ProtocolConnection,
    options: StartOptions,
  ) {
    this.settings = { ...(options.settings ?? {}) };
    this.exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
    proc.stderr!.on('data', (d) => (this.stderr += String(d)));
    conn.onNotification('textDocument/publishDiagnostics', (p: Published) => {
      this.published.set(p.uri, p);
      this.history.push(p);
      this.notify();
    });
    conn.onNotification('mlready/status', (p: StatusParams) => {
      this.statuses.push(p);
      this.notify();
    });
    conn.onNotification('window/logMessage', (p: { type: number; message: string }) => {
      this.logs.push(p);
      this.notify();
    });
    conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map((i) => (i.section === 'mlready' ? this.settings : null)));
    conn.onRequest('client/registerCapability', (p: { registrations: { method: string; registerOptions?: unknown }[] }) => {
      this.registrations.push(...p.registrations);
      this.notify();
      return null;
    });
    conn.onRequest('window/workDoneProgress/create', () => null);
  }

  static async start(options: StartOptions = {}): Promise<LspClient> {
    // MLREADY_TEST_SERVER_ARGS: Node options for the server (`--cpu-prof --cpu-prof-dir=DIR` to profile it)
    const proc = spawn(process.execPath, [...(process.env.MLREADY_TEST_SERVER_ARGS ? process.env.MLREADY_TEST_SERVER_ARGS.split(' ') : []), SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: serverEnvironment(process.env) });
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new LspClient(proc, conn, options);
    conn.listen();
    const folders = options.workspace ? [{ uri: options.workspace.uri, name: path.basename(options.workspace.dir) }] : null;
    client.initializeResult = await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: options.workspace?.uri ?? null,
      workspaceFolders: folders,
      initializationOptions: options.initializationOptions,
      capabilities: {
        workspace: {
          configuration: true,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceFolders: true,
          workspaceEdit: { documentChanges: options.documentChanges ?? false, ...(options.resourceOperations ? { resourceOperations: options.resourceOperations } : {}) },
        },
        textDocument: { publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true }, codeAction: { dataSupport: true, ...(options.codeActionResolve ? { resolveSupport: { properties: ['edit'] } } : {}) } },
        notebookDocument: { synchronization: { dynamicRegistration: false, executionSummarySupport: true } },
      },
    });
    await conn.sendNotification('initialized', {});
    return client;
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Resolves when `check` returns a value other than undefined, re-checked on every message. */
  waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 8000): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        let value: T | undefined;
        try {
          value = check();
        } catch (e) {
          done();
          reject(e);
          return;
        }
        if (value !== undefined) {
          done();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${what}; last diagnostics: ${JSON.stringify([...this.published.values()].map((p) => ({ uri: p.uri, codes: p.diagnostics.map((d) => d.code) })))}\nstderr: ${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== attempt);
      };
      this.listeners.push(attempt);
      attempt();
    });
  }

  /** The diagnostics of a URI once `accept` holds for them. */
  diagnosticsFor(uri: string, accept: (d: Diagnostic[], p: Published) => boolean = () => true, timeoutMs?: number): Promise<Diagnostic[]> {
    return this.waitFor(
      `diagnostics of ${uri}`,
      () => {
        const p = this.published.get(uri);
        return p && accept(p.diagnostics, p) ? p.diagnostics : undefined;
      },
      timeoutMs,
    );
  }

  /** Waits for a publication after the current one (by count), then applies `accept`. */
  nextDiagnostics(uri: string, accept: (d: Diagnostic[]) => boolean = () => true, timeoutMs?: number): Promise<Diagnostic[]> {
    const seen = this.history.length;
    return this.waitFor(
      `new diagnostics of ${uri}`,
      () => {
        const mine = this.history.slice(seen).filter((p) => p.uri === uri);
        const last = mine[mine.length - 1];
        return last && accept(last.diagnostics) ? last.diagnostics : undefined;
      },
      timeoutMs,
    );
  }

  open(uri: string, languageId: string, text: string, version = 1): void {
    void this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, contentChanges: ({ range: Range; text: string } | { text: string })[]): void {
    void this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  close(uri: string): void {
    void this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Opens a notebook document; cells are python code cells unless `kind` 1 (markdown) is given. */
  openNotebook(uri: string, cells: NotebookCellSpec[], version = 1): void {
    void this.conn.sendNotification('notebookDocument/didOpen', {
      notebookDocument: { uri, notebookType: 'jupyter-notebook', version, metadata: {}, cells: cells.map(toNotebookCell) },
      cellTextDocuments: cells.map((c) => ({ uri: c.uri, languageId: c.language ?? (c.kind === 1 ? 'markdown' : 'python'), version: 1, text: c.text })),
    });
  }

  /** Replaces `deleteCount` cells at `start` by `insert` (new cells are opened, removed ones closed). */
  spliceCells(uri: string, version: number, start: number, deleteCount: number, insert: NotebookCellSpec[], removedUris: string[], reopen: string[] = []): void {
    void this.conn.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri, version },
      change: {
        cells: {
          structure: {
            array: { start, deleteCount, cells: insert.map(toNotebookCell) },
            didOpen: insert.filter((c) => !reopen.includes(c.uri)).map((c) => ({ uri: c.uri, languageId: c.language ?? (c.kind === 1 ? 'markdown' : 'python'), version: 1, text: c.text })),
            didClose: removedUris.filter((u) => !reopen.includes(u)).map((u) => ({ uri: u })),
          },
        },
      },
    });
  }

  /** Edits the text of one cell. */
  changeCell(uri: string, version: number, cellUri: string, cellVersion: number, changes: ({ range: Range; text: string } | { text: string })[]): void {
    void this.conn.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri, version },
      change: { cells: { textContent: [{ document: { uri: cellUri, version: cellVersion }, changes }] } },
    });
  }

  closeNotebook(uri: string, cellUris: string[]): void {
    void this.conn.sendNotification('notebookDocument/didClose', { notebookDocument: { uri }, cellTextDocuments: cellUris.map((u) => ({ uri: u })) });
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    return this.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, ...(only ? { only } : {}) } });
  }

  request<R>(method: string, params?: unknown): Promise<R> {
    return this.conn.sendRequest(method, params);
  }

  notification(method: string, params?: unknown): void {
    void this.conn.sendNotification(method, params);
  }

  /** shutdown + exit; resolves with the process exit code. */
  async shutdown(): Promise<number | null> {
    if (this.proc.exitCode !== null) return this.proc.exitCode;
    try {
      await withTimeout(this.conn.sendRequest('shutdown'), 5000);
      await this.conn.sendNotification('exit');
    } catch {
      this.proc.kill();
    }
    const code = await withTimeout(this.exited, 5000).catch(() => {
      this.proc.kill('SIGKILL');
      return null;
    });
    this.conn.dispose();
    return code;
  }
}

export interface NotebookCellSpec {
  uri: string;
  text: string;
  /** 1 markdown, 2 code (default). */
  kind?: 1 | 2;
  language?: string;
}

function toNotebookCell(c: NotebookCellSpec) {
  return { kind: c.kind ?? 2, document: c.uri };
}

/** URIs of a notebook's cells as VS Code makes them: the notebook path with a fragment per cell. */
export function cellUri(notebookUri: string, id: string): string {
  return `${notebookUri.replace(/^file:/, 'vscode-notebook-cell:')}#${id}`;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

/** Applies LSP text edits to a text. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'plaintext', 0, text), edits);
}

/** The edits of a WorkspaceEdit for one URI (from `changes` or `documentChanges`). */
export function editsFor(edit: WorkspaceEdit | undefined, uri: string): TextEdit[] {
  if (!edit) return [];
  if (edit.changes) return edit.changes[uri] ?? [];
  const out: TextEdit[] = [];
  for (const dc of edit.documentChanges ?? []) if ('textDocument' in dc && dc.textDocument.uri === uri) out.push(...(dc.edits as TextEdit[]));
  return out;
}

export function codes(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code)).sort();
}

export function rangeAt(line: number, character = 0, endLine = line, endCharacter = character): Range {
  return { start: { line, character }, end: { line: endLine, character: endCharacter } };
}

import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { renderReadinessReport, type ReadinessReportModel } from '../../common/readiness-report';
import { Commands } from '../command-ids';
import { revealFinding } from '../readiness/reveal';
import type { ReadinessView } from '../readiness/view';
import type { FolderReadiness, ReadinessFinding, ReadinessResult } from '../server-api';
import { isCancellation, requestErrorMessage, type ServerSession } from '../server-session';
import { makeNonce, renderPanelBody, renderPanelHtml, type PanelTarget } from './render';

export const READINESS_PANEL_TYPE = 'mlreadyReadinessPanel';

type Message = { command: 'ready' | 'rescan' | 'fixAll' | 'export' } | { command: 'open'; target: number } | { command: 'doc'; doc: number };

/**
 * The "ML Readiness" webview (issue 9), after vscode-extension-samples' webview-sample: one
 * instance (`show` creates or reveals it), restored after a reload by a serializer, scripts only
 * with a nonce, no resource outside the extension's media folder (and none loaded at all). It
 * implements ReadinessView, so `mlready.showReadiness` (command palette, status bar) opens it.
 * Live: it re-asks `mlready/readiness` when the server says findings changed (after an edit or a
 * save; the server re-lints the document itself, no workspace scan).
 */
export class ReadinessPanel implements ReadinessView {
  private panel?: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private panelDisposables: vscode.Disposable[] = [];
  private folder?: FolderReadiness;
  private folderUri?: string;
  private targets: PanelTarget[] = [];
  private docs: string[] = [];
  private busy = false;
  private refreshing?: Promise<void>;
  private refreshAgain = false;

  constructor(
    private readonly session: ServerSession,
    private readonly extensionUri: vscode.Uri,
  ) {
    this.disposables.push(
      session.onDidChangeReadiness((p) => {
        if (!this.panel) return;
        if (this.folderUri && p.folderUris.length && !p.folderUris.includes(this.folderUri)) return;
        void this.refresh();
      }),
      session.onDidChangeState((state) => {
        if (state === 'running' && this.panel) void this.refresh();
      }),
      vscode.window.registerWebviewPanelSerializer(READINESS_PANEL_TYPE, {
        deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
          this.folderUri = (state as { folderUri?: string } | undefined)?.folderUri;
          this.adopt(panel);
          this.render();
          void this.refresh();
        },
      }),
    );
  }

  /** ReadinessView: create or reveal the panel and show this result. */
  async show(result: ReadinessResult): Promise<void> {
    const folder = this.pickFolder(result);
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(READINESS_PANEL_TYPE, 'ML Readiness', vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
      this.adopt(panel);
    } else this.panel.reveal(undefined, false);
    this.folder = folder;
    this.folderUri = folder?.folderUri;
    this.render();
  }

  private pickFolder(result: ReadinessResult): FolderReadiness | undefined {
    return result.folders.find((f) => f.folderUri === this.folderUri) ?? result.folders[0];
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.webview.options = webviewOptions(this.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    panel.webview.html = renderPanelHtml({ cspSource: panel.webview.cspSource, nonce: makeNonce((n) => randomBytes(n)), body: '<p class="muted" role="status">Loading the readiness score…</p>' });
    this.panelDisposables.push(
      panel.onDidDispose(() => this.disposePanel()),
      panel.webview.onDidReceiveMessage((m: Message) => void this.onMessage(m)),
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.visible) void this.refresh();
      }),
    );
  }

  private render(): void {
    if (!this.panel) return;
    const { body, targets, docs } = renderPanelBody({ folder: this.folder, busy: this.busy, message: this.folder ? undefined : 'Open a folder to get its readiness score.' });
    this.targets = targets;
    this.docs = docs;
    void this.panel.webview.postMessage({ command: 'update', body, folderUri: this.folderUri });
  }

  /** Fetches the readiness again (coalesced: at most one request in flight, one queued). */
  async refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        try {
          const result = await this.session.readiness(this.folderUri ? { folderUri: this.folderUri } : {});
          const folder = this.pickFolder(result);
          if (folder) {
            this.folder = folder;
            this.folderUri = folder.folderUri;
          }
          this.render();
        } catch {
          // the server may be restarting; the next notification or state change refreshes again
        }
      } while (this.refreshAgain);
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async onMessage(m: Message): Promise<void> {
    switch (m?.command) {
      case 'ready':
        this.render();
        return;
      case 'rescan':
        this.busy = true;
        this.render();
        try {
          await this.session.scanWorkspace(this.folderUri ? { folderUri: this.folderUri } : {});
        } catch (e) {
          if (!isCancellation(e)) void vscode.window.showErrorMessage(requestErrorMessage('the workspace scan', e));
        } finally {
          this.busy = false;
        }
        await this.refresh();
        return;
      case 'fixAll':
        // the existing command: trust check, count, "Apply" or "Preview…"
        await vscode.commands.executeCommand(Commands.fixAllWorkspace);
        await this.refresh();
        return;
      case 'export':
        await this.exportReport();
        return;
      case 'open': {
        const t = this.targets[m.target];
        if (t) await revealFinding(asFinding(t));
        return;
      }
      case 'doc': {
        const url = this.docs[m.doc];
        if (url) await vscode.commands.executeCommand(Commands.showRuleDocs, url);
        return;
      }
    }
  }

  private async exportReport(): Promise<void> {
    const folder = this.folder;
    if (!folder) return;
    const base = vscode.Uri.parse(folder.folderUri, true);
    const target = await vscode.window.showSaveDialog({
      title: 'Export the readiness report',
      defaultUri: vscode.Uri.joinPath(base, 'mlready-report.html'),
      filters: { HTML: ['html'], Markdown: ['md'] },
    });
    if (!target) return;
    const format = /\.(md|markdown)$/i.test(target.path) ? 'markdown' : 'html';
    const text = renderReadinessReport(format, reportModel(folder));
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    const open = 'Open';
    if ((await vscode.window.showInformationMessage(`mlready: report written to ${vscode.workspace.asRelativePath(target)}.`, open)) === open) {
      await vscode.commands.executeCommand('vscode.open', target);
    }
  }

  private disposePanel(): void {
    this.panel = undefined;
    for (const d of this.panelDisposables) d.dispose();
    this.panelDisposables = [];
  }

  dispose(): void {
    this.panel?.dispose();
    this.disposePanel();
    for (const d of this.disposables) d.dispose();
  }
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, retainContextWhenHidden: false, enableFindWidget: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
}

function asFinding(t: PanelTarget): ReadinessFinding {
  const range = t.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { code: '', name: '', category: 'portability', severity: 'info', message: '', path: null, uri: t.uri, range, docUrl: '', ...(t.cell !== undefined ? { cell: t.cell } : {}), ...(t.cellUri ? { cellUri: t.cellUri } : {}) };
}

/** The report model from what the panel has (the CLI's `mlready report` adds the suppressions). */
export function reportModel(folder: FolderReadiness): ReadinessReportModel {
  const findings = folder.findings ?? [...folder.projectFindings, ...folder.topFindings];
  return {
    root: folder.name,
    version: '',
    generatedAt: new Date().toISOString(),
    score: { overall: folder.score.overall, categories: folder.score.categories, stage: folder.score.stage, practices: folder.score.practices, details: folder.score.details, mlTestScore: folder.score.mlTestScore },
    gaps: folder.gaps,
    findings: findings.map((f) => ({ code: f.code, name: f.name, category: f.category, severity: f.severity, message: f.message, file: f.path, ...(f.cell !== undefined ? { cell: f.cell } : {}), range: f.range, docUrl: f.docUrl })),
    scanned: folder.score.size?.files ?? folder.files.length,
    skipped: folder.skipped,
  };
}

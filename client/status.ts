import * as vscode from 'vscode';
import { Commands, CONFIG_SECTION } from './command-ids';
import { normalizeCounts, type ReadinessResult, type StatusParams } from './server-api';
import type { ServerSession } from './server-session';
import { statusPresentation, type StatusModel } from './status-text';

/**
 * The status bar item: readiness score and finding counts from `mlready/status` and
 * `mlready/readiness`, a spinner while scanning, "restricted" in an untrusted workspace.
 * All wording lives in status-text.ts; this class only keeps the model and renders it.
 */
export class ReadinessStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mlready.status', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private model: StatusModel;
  /** Local scans in flight (the scan command), independent of what the server reports. */
  private localScans = 0;
  private serverScanning = false;

  constructor(session: ServerSession) {
    this.item.name = 'mlready readiness';
    this.model = {
      trusted: vscode.workspace.isTrusted,
      enabled: readEnabled(),
      server: session.state,
      scanning: false,
    };
    this.disposables.push(
      session.onDidChangeState((server) => this.update({ server })),
      session.onDidChangeStatus((params) => this.applyStatus(params)),
      session.onDidFetchReadiness((r) => this.applyReadiness(r)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.update({ trusted: true })),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${CONFIG_SECTION}.enable`)) this.update({ enabled: readEnabled() });
      }),
    );
    this.render();
    this.item.show();
  }

  /** Wraps a client-side long operation (the scan command) in the spinner. */
  async whileScanning<T>(work: () => Promise<T>): Promise<T> {
    this.localScans++;
    this.update({});
    try {
      return await work();
    } finally {
      this.localScans--;
      this.update({});
    }
  }

  private applyStatus(p: StatusParams): void {
    this.serverScanning = p.state === 'scanning';
    this.update({
      ...(typeof p.score === 'number' ? { score: Math.round(p.score) } : {}),
      ...(p.bySeverity ? { counts: normalizeCounts(p.bySeverity) } : {}),
      ...(typeof p.files === 'number' ? { files: p.files } : {}),
      message: typeof p.message === 'string' ? p.message : undefined,
    });
  }

  /** The first folder's numbers: the status bar has room for one score. */
  private applyReadiness(r: ReadinessResult): void {
    const folder = r.folders[0];
    if (!folder) return;
    this.update({ score: Math.round(folder.score.overall), counts: normalizeCounts(folder.bySeverity) });
  }

  private update(change: Partial<StatusModel>): void {
    this.model = { ...this.model, ...change, scanning: this.localScans > 0 || this.serverScanning };
    this.render();
  }

  private render(): void {
    const p = statusPresentation(this.model, { readiness: Commands.showReadiness, output: Commands.showOutput });
    this.item.text = p.text;
    this.item.tooltip = p.tooltip;
    this.item.command = p.command;
    this.item.accessibilityInformation = { label: p.accessibleLabel, role: 'button' };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function readEnabled(): boolean {
  return vscode.workspace.getConfiguration(CONFIG_SECTION).get<boolean>('enable', true);
}

import * as vscode from 'vscode';
import { Commands } from '../command-ids';
import type { FolderReadiness, ReadinessFinding, ReadinessResult } from '../server-api';
import { folderSummary, readinessRows } from './format';
import { revealFinding } from './reveal';
import type { ReadinessView } from './view';

type Item = vscode.QuickPickItem & { finding?: ReadinessFinding; action?: 'rescan' | 'problems'; folder?: FolderReadiness };

/**
 * Interim readiness view (until the panel of issue 9): overall and per-category scores and the top
 * findings of a folder in a quick pick; picking a finding opens it.
 */
export class QuickPickReadinessView implements ReadinessView {
  async show(result: ReadinessResult): Promise<void> {
    const folder = await this.pickFolder(result.folders);
    if (!folder) return;
    const items: Item[] = [];
    let section = '';
    for (const row of readinessRows(folder)) {
      const heading = row.kind === 'category' ? 'Categories, weakest first' : row.kind === 'finding' ? 'Top findings' : '';
      if (heading && heading !== section) items.push({ label: heading, kind: vscode.QuickPickItemKind.Separator });
      section = heading || section;
      items.push({ label: row.label, description: row.description, detail: row.detail, finding: row.kind === 'finding' ? row.finding : undefined });
    }
    items.push(
      { label: 'Actions', kind: vscode.QuickPickItemKind.Separator },
      { label: '$(refresh) Re-scan the workspace', action: 'rescan' },
      { label: '$(warning) Open the Problems panel', action: 'problems' },
    );
    const picked = await vscode.window.showQuickPick(items, {
      title: `ML readiness of ${folder.name}: ${folder.score.overall}/100`,
      placeHolder: 'Pick a finding to open it',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (picked?.finding) await revealFinding(picked.finding);
    else if (picked?.action === 'rescan') await vscode.commands.executeCommand(Commands.scanWorkspace);
    else if (picked?.action === 'problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
  }

  private async pickFolder(folders: FolderReadiness[]): Promise<FolderReadiness | undefined> {
    if (folders.length <= 1) return folders[0];
    const picked = await vscode.window.showQuickPick(
      folders.map((folder): Item => ({ label: folder.name, description: folderSummary(folder), folder })),
      { title: 'ML readiness: which folder?' },
    );
    return picked?.folder;
  }

  dispose(): void {}
}

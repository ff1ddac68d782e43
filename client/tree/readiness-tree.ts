import * as vscode from 'vscode';
import { Commands } from '../command-ids';
import type { FolderReadiness, ReadinessFinding } from '../server-api';
import type { ServerSession } from '../server-session';
import { readinessTreeModel, type TreeNode } from './model';

export const READINESS_TREE_VIEW = 'mlreadyReadiness';
export const REVEAL_FINDING_COMMAND = 'mlready-readiness.revealFinding';

/**
 * The sidebar tree (issue 9): Readiness → category → file → finding, fed by the same
 * `mlready/readiness` result as the panel and refreshed on `mlready/readinessChanged`.
 */
export class ReadinessTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private folders: FolderReadiness[] = [];
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private view?: vscode.TreeView<TreeNode>;
  private timer?: NodeJS.Timeout;

  constructor(private readonly session: ServerSession) {
    this.disposables.push(
      session.onDidFetchReadiness((r) => {
        this.folders = r.folders;
        this.changed.fire(undefined);
      }),
      session.onDidChangeReadiness(() => this.scheduleRefresh()),
      session.onDidChangeState((s) => {
        if (s === 'running') this.scheduleRefresh();
      }),
    );
  }

  attach(view: vscode.TreeView<TreeNode>): void {
    this.view = view;
    this.disposables.push(view.onDidChangeVisibility((e) => e.visible && this.scheduleRefresh()));
  }

  private scheduleRefresh(): void {
    if (this.view && !this.view.visible) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.session.readiness().catch(() => undefined), 100);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, node.children ? (node.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed) : vscode.TreeItemCollapsibleState.None);
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.id = node.id;
    item.iconPath = new vscode.ThemeIcon(node.icon);
    item.accessibilityInformation = { label: node.accessibleLabel ?? `${node.label} ${node.description ?? ''}`.trim() };
    if (node.finding) item.command = { command: REVEAL_FINDING_COMMAND, title: 'Open', arguments: [node.finding] };
    else if (node.kind === 'folder') item.command = { command: Commands.showReadiness, title: 'Show ML Readiness' };
    if (node.resourceUri) item.resourceUri = vscode.Uri.parse(node.resourceUri, true);
    item.contextValue = node.kind;
    return item;
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) return readinessTreeModel(this.folders);
    return node.children ?? [];
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

export type { ReadinessFinding };

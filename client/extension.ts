import * as vscode from 'vscode';
import { Commands } from './command-ids';
import { registerCommands } from './commands';
import { createLanguageClient } from './language-client';
import { ReadinessPanel } from './panel/readiness-panel';
import { revealFinding } from './readiness/reveal';
import { ServerSession } from './server-session';
import type { ReadinessFinding } from './server-api';
import { ReadinessStatusBar } from './status';
import { READINESS_TREE_VIEW, ReadinessTreeProvider, REVEAL_FINDING_COMMAND } from './tree/readiness-tree';

/**
 * Entry point (bundled to dist/client.js). Thin by design: it starts the bundled language server,
 * which does all the analysis, and wires commands and the status bar to it.
 */
let session: ServerSession | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  session = new ServerSession(createLanguageClient(context));
  const status = new ReadinessStatusBar(session);
  // the readiness webview (issue 9) behind the ReadinessView interface, and the sidebar tree
  const readinessView = new ReadinessPanel(session, context.extensionUri);
  const tree = new ReadinessTreeProvider(session);
  const treeView = vscode.window.createTreeView(READINESS_TREE_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  tree.attach(treeView);
  context.subscriptions.push(session, status, readinessView, tree, treeView);
  context.subscriptions.push(vscode.commands.registerCommand(REVEAL_FINDING_COMMAND, (f: ReadinessFinding) => revealFinding(f)));
  context.subscriptions.push(...registerCommands({ session, status, readinessView, extensionUri: context.extensionUri }));

  // the server learns trust from initializationOptions; restart so it drops its read-only limits
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void session?.restart().catch(() => undefined)));

  try {
    await session.start();
  } catch (e) {
    const show = 'Show Output';
    const choice = await vscode.window.showErrorMessage(
      `mlready: the language server could not start: ${e instanceof Error ? e.message : String(e)}`,
      show,
    );
    if (choice === show) await vscode.commands.executeCommand(Commands.showOutput);
    return;
  }
  // a first score for the status bar; the server may not offer it yet, which is fine
  session.readiness().catch(() => undefined);
}

export async function deactivate(): Promise<void> {
  await session?.client.stop().catch(() => undefined);
  session = undefined;
}

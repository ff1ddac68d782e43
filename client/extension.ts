import * as vscode from 'vscode';
import { Commands } from './command-ids';
import { registerCommands } from './commands';
import { createLanguageClient } from './language-client';
import { QuickPickReadinessView } from './readiness/quick-pick-view';
import { ServerSession } from './server-session';
import { ReadinessStatusBar } from './status';

/**
 * Entry point (bundled to dist/client.js). Thin by design: it starts the bundled language server,
 * which does all the analysis, and wires commands and the status bar to it.
 */
let session: ServerSession | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  session = new ServerSession(createLanguageClient(context));
  const status = new ReadinessStatusBar(session);
  // issue 9 swaps this for the webview panel (same ReadinessView interface)
  const readinessView = new QuickPickReadinessView();
  context.subscriptions.push(session, status, readinessView);
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

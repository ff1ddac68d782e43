import * as vscode from 'vscode';
import { Commands } from '../command-ids';
import { isCancellation, requestErrorMessage } from '../server-session';
import { scanSummary } from '../text';
import type { CommandServices } from './context';

/** `mlready.scanWorkspace`: analyse every file of the workspace (read-only, so allowed when untrusted). */
export async function scanWorkspace({ session, status }: CommandServices): Promise<void> {
  try {
    const result = await status.whileScanning(async () =>
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'mlready: scanning the workspace…', cancellable: true },
        (_progress, token) => session.scanWorkspace({}, token),
      ),
    );
    const show = 'Show Readiness';
    const choice = await vscode.window.showInformationMessage(`mlready: ${scanSummary(result.folders)}`, show);
    if (choice === show) await vscode.commands.executeCommand(Commands.showReadiness);
  } catch (e) {
    if (!isCancellation(e)) void vscode.window.showErrorMessage(requestErrorMessage('the workspace scan', e));
  }
}

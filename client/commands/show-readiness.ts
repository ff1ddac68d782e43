import * as vscode from 'vscode';
import { isCancellation, requestErrorMessage } from '../server-session';
import type { CommandServices } from './context';

/** `mlready.showReadiness`: fetch the score from the server and show it in the current readiness view. */
export async function showReadiness({ session, readinessView }: CommandServices): Promise<void> {
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'mlready: computing readiness' },
      () => session.readiness(),
    );
    if (result.folders.length === 0) {
      void vscode.window.showInformationMessage('mlready: open a folder to get its readiness score.');
      return;
    }
    await readinessView.show(result);
  } catch (e) {
    if (!isCancellation(e)) void vscode.window.showErrorMessage(requestErrorMessage('computing the readiness score', e));
  }
}

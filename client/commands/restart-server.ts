import * as vscode from 'vscode';
import { requestErrorMessage } from '../server-session';
import type { CommandServices } from './context';

/** `mlready.restartServer`: stop and start the language server (settings and trust are re-read). */
export async function restartServer({ session }: CommandServices): Promise<void> {
  try {
    await session.restart();
  } catch (e) {
    void vscode.window.showErrorMessage(requestErrorMessage('restarting the server', e));
  }
}

import * as vscode from 'vscode';

/**
 * Workspace Trust. In Restricted Mode mlready keeps analysing (read-only, which is safe: it only
 * parses text and never executes project code) but refuses every command that writes to files.
 */
export function isTrusted(): boolean {
  return vscode.workspace.isTrusted;
}

/**
 * Returns true when `action` may proceed; otherwise tells the user why not, offering the trust
 * editor. Call at the top of every command that changes files.
 */
export async function ensureTrustedFor(action: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = 'Manage Workspace Trust';
  const choice = await vscode.window.showWarningMessage(
    `mlready cannot ${action} in Restricted Mode: this workspace is not trusted, so mlready only analyses files and does not change them.`,
    manage,
  );
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}

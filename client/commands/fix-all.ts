import * as vscode from 'vscode';
import { FIX_ALL_KIND } from '../command-ids';
import { ensureTrustedFor } from '../trust';
import type { CommandServices } from './context';

const fixAllKind = vscode.CodeActionKind.Empty.append(FIX_ALL_KIND);

/**
 * `mlready.fixAll`: apply the safe fixes of the active file or notebook through the server's
 * `source.fixAll.mlready` code action (the one `editor.codeActionsOnSave` runs), so the fix logic
 * stays in the server.
 */
export async function fixAll(_services: CommandServices): Promise<void> {
  if (!(await ensureTrustedFor('apply fixes'))) return;
  const document = documentToFix();
  if (!document) {
    void vscode.window.showInformationMessage(
      'mlready: open a Python file, notebook, YAML or requirements file to fix it, or run "mlready: Fix All Safe Issues in the Workspace…".',
    );
    return;
  }
  if (await applyFixAllAction(document)) vscode.window.setStatusBarMessage('$(check) mlready: safe fixes applied', 3000);
  else void vscode.window.showInformationMessage('mlready: no safe fixes to apply here.');
}

/**
 * The active text editor's document, or for a notebook its first code cell: the server lints a
 * notebook as one program, so the fix-all asked for on any cell covers every cell.
 */
function documentToFix(): vscode.TextDocument | undefined {
  const notebook = vscode.window.activeNotebookEditor?.notebook;
  if (notebook) return notebook.getCells().find((c) => c.kind === vscode.NotebookCellKind.Code)?.document;
  return vscode.window.activeTextEditor?.document;
}

async function applyFixAllAction(document: vscode.TextDocument): Promise<boolean> {
  const whole = document.validateRange(new vscode.Range(0, 0, document.lineCount, 0));
  // the last argument asks VS Code to resolve lazily computed edits (codeAction/resolve)
  const actions =
    (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      whole,
      FIX_ALL_KIND,
      5,
    )) ?? [];
  const action = actions.find((a): a is vscode.CodeAction => 'kind' in a && a.kind !== undefined && fixAllKind.contains(a.kind));
  if (!action) return false;
  let changed = false;
  if (action.edit && action.edit.size > 0) changed = await vscode.workspace.applyEdit(action.edit);
  if (action.command) {
    await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
    changed = true;
  }
  return changed;
}
